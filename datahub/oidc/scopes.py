"""Scopes as django-oauth-toolkit asks for them: a system may obtain only the scopes it was registered for."""

from oauth2_provider.scopes import BaseScopes

from . import selectors
from .rules import ALL_SCOPES


class RegisteredScopes(BaseScopes):
    def get_all_scopes(self):
        return dict(ALL_SCOPES)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        system = selectors.registration_of(application)
        return list(system.scopes) if system is not None else []

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        # A client that names no scope gets everything it was registered for (client credentials usually do).
        return self.get_available_scopes(application, request)
