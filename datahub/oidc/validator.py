"""Where the platform's rules meet the protocol (OAUTH2_VALIDATOR_CLASS).

- A suspended system is an unknown client: no sign-in, no token, and its tokens stop working at once.
- A deactivated person's tokens stop working at once (access, refresh, a code not yet exchanged).
- A system gets only the scopes it was registered for (datahub.oidc.scopes) and client credentials only if
  it was registered to call the API.
- Claims come from the directory at sign-in; ``sub`` is the person's random subject identifier.
"""

import hashlib
from collections import OrderedDict

from django.utils.translation import gettext as _
from oauth2_provider.models import AccessToken, RefreshToken
from oauth2_provider.oauth2_validators import OAuth2Validator

from ..models import User
from . import rules, selectors, services


def _system_active(application) -> bool:
    system = selectors.registration_of(application)
    return system is not None and system.is_active


def _person_active(user) -> bool:
    return user is None or user.is_active


class Validator(OAuth2Validator):
    oidc_claim_scope = dict(rules.CLAIM_SCOPE)

    def _load_application(self, client_id, request):
        application = super()._load_application(client_id, request)
        if application is not None and not _system_active(application):
            request.client = None
            return None
        return application

    def validate_bearer_token(self, token, scopes, request):
        if not super().validate_bearer_token(token, scopes, request):
            return False
        access_token = request.access_token
        if not _system_active(access_token.application) or not _person_active(access_token.user):
            request.oauth2_error = OrderedDict(
                [("error", "invalid_token"), ("error_description", _("访问令牌已失效（系统已停用或账号已停用）。"))]
            )
            for name in ("client", "user", "access_token"):
                setattr(request, name, None)
            return False
        return True

    # prompt=none (OpenID Connect): the authorize view only gets this far for a signed-in person, and it is the
    # view that knows the person and answers consent_required when no stored consent covers the scopes.
    def validate_silent_login(self, request):
        return True

    def validate_silent_authorization(self, request):
        return True

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        return super().validate_code(client_id, code, client, request, *args, **kwargs) and _person_active(request.user)

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        valid = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        return valid and _person_active(request.user)

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        system = selectors.registration_of(request.client)
        if system is None:
            return False
        if grant_type == "client_credentials":
            return rules.kind_calls_api(system.kind)
        if grant_type in ("authorization_code", "refresh_token"):
            return rules.kind_signs_in(system.kind)
        return False

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs):
        system = selectors.registration_of(client)
        return response_type == "code" and system is not None and rules.kind_signs_in(system.kind)

    def revoke_token(self, token, token_type_hint, request, *args, **kwargs):
        application = request.client
        checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
        users = set()
        if getattr(application, "pk", None) is not None:
            for model in (AccessToken, RefreshToken):
                users |= set(
                    model.objects.filter(token_checksum=checksum, application=application).values_list(
                        "user_id", flat=True
                    )
                )
        super().revoke_token(token, token_type_hint, request, *args, **kwargs)
        if users:
            system = selectors.registration_of(application)
            for user_id in users:
                user = User.objects.filter(pk=user_id).first() if user_id else None
                services.record_token_revoked(system=system, user=user)

    # --- claims ----------------------------------------------------------------------------------

    def get_claim_dict(self, request):
        claims = selectors.claims_of(request.user, services.subject_for(user=request.user))
        return {k: v for k, v in claims.items() if k not in rules.FORBIDDEN_CLAIMS}

    def get_discovery_claims(self, request):
        return list(rules.CLAIM_SCOPE)

    def get_oidc_claims(self, token, token_handler, request):
        granted = set(request.scopes or ())
        return {k: v for k, v in self.get_claim_dict(request).items() if self.oidc_claim_scope.get(k) in granted}
