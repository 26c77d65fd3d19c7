from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_role_groups(sender, **kwargs):
    from .services import ensure_role_groups

    ensure_role_groups()


class DatahubConfig(AppConfig):
    name = "datahub"
    verbose_name = "数据中台 · 统一身份与组织机构"

    def ready(self):
        # Role groups need the permissions that post_migrate creates for every app, so they
        # are rebuilt after each app's (cheap and idempotent); the last run sees them all.
        post_migrate.connect(_ensure_role_groups, dispatch_uid="datahub-role-groups")
