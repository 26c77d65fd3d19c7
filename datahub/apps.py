from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


def _record_token_issued(sender, request, token, **kwargs):
    """Every token the identity provider issues is in the audit trail (who, which system, which scopes)."""
    from .oidc import selectors, services  # not at the top: see _ensure_role_groups

    system = selectors.registration_of(token.application)
    if system is not None:
        services.record_token_issued(
            system=system,
            user=token.user,
            scopes=token.scope,
            grant_type=request.POST.get("grant_type", ""),
            request=request,
        )


def _sync_catalog(sender, **kwargs):
    """Publish the declared datasets once every app has migrated (a no-op before the directory has a root)."""
    if sender.name != "datahub":
        return
    from .catalog.services import catalog_sync  # not at the top: see _ensure_role_groups

    catalog_sync()


class DatahubConfig(AppConfig):
    name = "datahub"
    verbose_name = _("数据中台 · 统一身份与组织机构")

    def ready(self):
        # directory_imports registers its importers; tasks registers the background jobs' tasks (jobs.RUNNERS).
        from . import converters, directory_imports, tasks  # noqa: F401

        converters.register()
        # Role groups need the permissions that post_migrate creates for every app, so they
        # are rebuilt after each app's (cheap and idempotent); the last run sees them all.
        post_migrate.connect(_ensure_role_groups, dispatch_uid="datahub-role-groups")
        post_migrate.connect(_sync_catalog, dispatch_uid="datahub-catalog-sync")
        from . import datasets
        from .catalog import exporters as catalog_exporters  # noqa: F401  (registers the catalog's exports)

        datasets.register()
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import (
            exporters,  # noqa: F401  (registers the directory's exports)
            sheets,  # noqa: F401  (registers the SHEET_LIMITS check)
        )

        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(_update_last_login_quietly, dispatch_uid="update_last_login")
        user_login_failed.connect(_record_sign_in_failure, dispatch_uid="datahub-audit-sign-in-failure")

        from .auth.middleware import remember_password_expiry

        self._connect_user_cache()

        user_logged_in.connect(remember_password_expiry, dispatch_uid="datahub-password-expiry")

        from oauth2_provider.signals import app_authorized

        from .oidc import checks  # noqa: F401  (registers the signing-key check)

        app_authorized.connect(_record_token_issued, dispatch_uid="datahub-audit-token-issued")

        from .navigation import HomePanel, WorkItem, register_home_panel, register_work_item, work_panel
        from .roles import STAFF_ROLES
        from .selectors import unfinished_import_jobs

        register_work_item(
            WorkItem(
                "queue",
                _("导入任务（进行中或失败）"),
                "import-list",
                STAFF_ROLES,
                lambda user: unfinished_import_jobs(user).count(),
            )
        )
        # Between the approver's inbox and the user's own requests: what waits for a domain administrator.
        register_home_panel(HomePanel("work", STAFF_ROLES, "datahub/_home_work.html", work_panel, order=20))

    def _connect_user_cache(self):
        """A write to a user, a role grant or a unit retires the cached signed-in users it touches."""
        from .auth import usercache  # called from ready(): the models only once the registry is ready
        from .models import OrgUnit, OrgUnitUserPermission, User  # (same)
        from .signals import org_unit_moved  # (same)

        for signal in (post_save, post_delete):
            signal.connect(usercache.on_user_saved, sender=User, dispatch_uid=f"usercache-user-{signal}")
            signal.connect(
                usercache.on_grant_saved, sender=OrgUnitUserPermission, dispatch_uid=f"usercache-grant-{signal}"
            )
            signal.connect(usercache.on_units_changed, sender=OrgUnit, dispatch_uid=f"usercache-unit-{signal}")
        org_unit_moved.connect(usercache.on_units_changed, dispatch_uid="usercache-unit-moved")
        # Any other row written through the ORM may change a count on the home page (datahub.homecounts).
        from . import homecounts  # (same)

        post_save.connect(homecounts.on_row_written, dispatch_uid="homecounts-save")
        post_delete.connect(homecounts.on_row_written, dispatch_uid="homecounts-delete")
