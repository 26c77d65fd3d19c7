from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnergyConfig(AppConfig):
    name = "energy"
    verbose_name = _("公共机构节能")

    def ready(self):
        from datetime import date

        # Which rows move the monthly figures (datahub.figures; the command center listens).
        from datahub.figures import watch

        from .models import ConsumptionRecord, InstitutionProfile

        watch(ConsumptionRecord, units=lambda r: [r.org_unit_id], months=lambda r: [date(r.year, r.month, 1)])
        watch(
            InstitutionProfile,
            units=lambda p: [p.org_unit_id],
            months=lambda p: [date(p.year, m, 1) for m in range(1, 13)],
        )

        # The directory tells who left a unit (before its save); once committed, the users follow.
        from django.db import transaction

        from datahub.signals import person_leaving

        from . import services

        def person_leaving_follow(sender, person, **kwargs):
            old_unit_id, person_id = person.org_unit_id, person.pk
            transaction.on_commit(lambda: services.person_moved(person_id=person_id, old_unit_id=old_unit_id))

        person_leaving.connect(person_leaving_follow, weak=False, dispatch_uid="energy-users-follow")

        # Imported here: models and selectors can only load once the app registry is ready.
        from datahub.navigation import SECTIONS, Section, WorkItem, count_once, register_work_item
        from datahub.roles import Role, add_group_permissions

        from . import datasets, home, kinds

        datasets.register()  # publishes this app's datasets to the data-sharing catalog
        kinds.register_kind()  # the quarterly/annual report on the portal's one workflow engine

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
            # Open anomalies in scope (reports to review are in the portal's one inbox).
            count=count_once("energy.anomalies", home.anomalies),
        )
        before = next((i for i, s in enumerate(SECTIONS) if s.url_name == "admin:index"), len(SECTIONS))
        SECTIONS.insert(before, section)
        register_work_item(
            WorkItem(
                "health",
                _("待核实的能耗异常"),
                "energy:anomalies",
                (Role.ENERGY_REPORTER, Role.BUREAU_ADMIN),
                count_once("energy.anomalies", home.anomalies),
            )
        )
