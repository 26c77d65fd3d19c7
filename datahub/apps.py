from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils import timezone


def _update_last_login_quietly(sender, user, **kwargs):
    """Django's update_last_login, minus a history row per sign-in (history is for directory changes)."""
    user.last_login = timezone.now()
    user.skip_history_when_saving = True
    try:
        user.save(update_fields=["last_login"])
    finally:
        del user.skip_history_when_saving


def _ensure_role_groups(sender, **kwargs):
    # apps.py is imported before the app registry is ready: the services (and their models) only when the signal fires.
    from .services import ensure_role_groups

    ensure_role_groups()


def _record_sign_in_failure(sender, credentials, request=None, **kwargs):
    """Keep every failed sign-in in the append-only audit trail (django-axes resets its own on success)."""
    from .services import record_sign_in_failure  # not at the top: see _ensure_role_groups

    record_sign_in_failure(username=str(credentials.get("username", "")), request=request)


class DatahubConfig(AppConfig):
    name = "datahub"
    verbose_name = "数据中台 · 统一身份与组织机构"

    def ready(self):
        from . import converters, directory_imports  # noqa: F401 - directory_imports registers its importers

        converters.register()
        # Role groups need the permissions that post_migrate creates for every app, so they
        # are rebuilt after each app's (cheap and idempotent); the last run sees them all.
        post_migrate.connect(_ensure_role_groups, dispatch_uid="datahub-role-groups")
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import (
            exporters,  # noqa: F401  (registers the directory's exports)
            sheets,  # noqa: F401  (registers the SHEET_LIMITS check)
        )

        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(_update_last_login_quietly, dispatch_uid="update_last_login")
        user_login_failed.connect(_record_sign_in_failure, dispatch_uid="datahub-audit-sign-in-failure")

        from .auth.middleware import remember_password_expiry

        user_logged_in.connect(remember_password_expiry, dispatch_uid="datahub-password-expiry")
