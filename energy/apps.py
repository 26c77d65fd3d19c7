from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnergyConfig(AppConfig):
    name = "energy"
    verbose_name = "公共机构节能"

    def ready(self):
        # Imported here: models and selectors can only load once the app registry is ready.
        from datahub.navigation import SECTIONS, Section
        from datahub.roles import Role, add_group_permissions

        from . import exporters, selectors  # noqa: F401  (exporters registers the Excel exports)

        readable = tuple(
            f"energy.view_{m}"
            for m in (
                "coefficientversion",
                "coefficient",
                "gridfactor",
                "quota",
                "target",
                "institutionprofile",
                "consumptionrecord",
                "reportingperiod",
                "submission",
                "submissionevent",
                "anomaly",
            )
        )
        add_group_permissions(
            Role.ENERGY_REPORTER, *readable, "energy.add_institutionprofile", "energy.change_institutionprofile"
        )
        add_group_permissions(Role.LEADER, *readable)
        add_group_permissions(
            Role.BUREAU_ADMIN,
            *readable,
            "energy.add_institutionprofile",
            "energy.change_institutionprofile",
            *(
                f"energy.{a}_{m}"
                for m in ("coefficientversion", "coefficient", "gridfactor", "quota", "target", "reportingperiod")
                for a in ("add", "change")
            ),
        )
        section = Section(
            _("公共机构节能"),
            "energy:home",
            (Role.ENERGY_REPORTER, Role.BUREAU_ADMIN, Role.LEADER),
            _("能源资源消费填报、折标与碳排放、指标与定额、报送审核"),
            # Reports waiting for this user's review plus open anomalies in scope.
            count=lambda user: selectors.review_inbox(user).count() + selectors.anomalies(user).count(),
        )
        before = next((i for i, s in enumerate(SECTIONS) if s.url_name == "admin:index"), len(SECTIONS))
        SECTIONS.insert(before, section)
