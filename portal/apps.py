from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("服务门户 · 统一申请与审批")

    def ready(self):
        # Which rows move the monthly figures (datahub.figures; the command center listens).
        from datahub.figures import watch

        from .models import Ticket

        watch(Ticket, units=lambda t: [t.org_unit_id], months=lambda t: [t.submitted_at, t.due_at, t.closed_at])

        # The directory tells when a person leaves their post; the portal files the 离岗 bundle.
        from datahub.signals import person_leaving

        from .services.bundles import member_moved, on_person_leaving
        from .signals import bundle_member_moved

        person_leaving.connect(on_person_leaving, dispatch_uid="portal.leaving_bundle")
        # A member ticket that moves starts, or withdraws, the members waiting for it.
        bundle_member_moved.connect(member_moved, dispatch_uid="portal.bundle_member_moved")

        from django.utils.translation import gettext_lazy as _

        from datahub.navigation import SECTIONS, Section, count_once
        from datahub.roles import Role, add_group_permissions

        from . import accounts, home

        accounts.register_kinds()
        home.register()

        for role in (Role.BUREAU_ADMIN, Role.LEADER):
            add_group_permissions(role, "portal.view_ticket")
        everyone = tuple(Role.values)
        # The portal comes first: it is what every civil servant opens.
        SECTIONS[0:0] = [
            Section(_("服务门户"), "portal:home", everyone, _("发起申请、查看我的申请")),
            Section(
                _("待我审批"),
                "portal:inbox",
                everyone,
                _("等待您决定的申请"),
                count=count_once("portal.inbox", home.inbox_count),
                in_topbar=False,
            ),
            Section(
                _("待我处理"),
                "portal:handling",
                everyone,
                _("已批准、等待您办理的申请"),
                count=count_once("portal.handling", home.handling_count),
                in_topbar=False,
            ),
        ]
