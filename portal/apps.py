from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "服务门户 · 统一申请与审批"

    def ready(self):
        from datahub.navigation import SECTIONS, Section
        from datahub.roles import Role, add_group_permissions

        for role in (Role.BUREAU_ADMIN, Role.LEADER):
            add_group_permissions(role, "portal.view_ticket")
        everyone = tuple(Role.values)
        # The portal comes first: it is what every civil servant opens.
        SECTIONS[0:0] = [
            Section("服务门户", "portal:home", everyone, "发起申请、我的申请、待我审批、待我处理", "📝"),
        ]
