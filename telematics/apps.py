from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelematicsConfig(AppConfig):
    """北斗/GPS monitoring of the official vehicles: terminals, positions, alert rules, alerts."""

    name = "telematics"
    verbose_name = _("公务用车监控")

    def ready(self):
        # Which rows move the monthly figures (datahub.figures; the command center listens).
        from datahub.figures import watch

        from .models import Alert

        watch(Alert, units=lambda a: [a.vehicle.org_unit_id], months=lambda a: [a.started_at, a.acknowledged_at])

        # Imported here: navigation, selectors and exporters need the app registry ready.
        from datahub.navigation import SECTIONS, Section, WorkItem, count_once, register_work_item
        from datahub.roles import Role, add_group_permissions

        from . import datasets, exporters, home, selectors  # noqa: F401  (exporters registers the Excel exports)

        datasets.register()  # publishes this app's datasets to the data-sharing catalog

        models = ("terminal", "position", "calendarday", "geofence", "alertrule", "alert")
        readable = tuple(f"telematics.view_{m}" for m in models)
        editable = tuple(f"telematics.{a}_{m}" for m in ("terminal", "geofence", "alertrule") for a in ("change",))
        fences = ("telematics.add_geofence", "telematics.add_alertrule", "telematics.delete_geofence")
        add_group_permissions(Role.VEHICLE_DISPATCHER, *readable, *editable, *fences)
        add_group_permissions(
            Role.BUREAU_ADMIN,
            *readable,
            *editable,
            *fences,
            "telematics.add_calendarday",
            "telematics.change_calendarday",
            "telematics.delete_calendarday",
        )
        add_group_permissions(Role.LEADER, *readable)
        section = Section(
            _("车辆监控"),
            "telematics:home",
            selectors.MONITOR_READERS,
            _("北斗/GPS 告警、车载终端、电子围栏与工作日历"),
            # Alerts nobody has dealt with yet, in the user's scope.
            count=count_once("telematics.open_alerts", home.open_alerts),
        )
        before = next((i for i, s in enumerate(SECTIONS) if s.url_name == "admin:index"), len(SECTIONS))
        SECTIONS.insert(before, section)
        register_work_item(
            WorkItem(
                "health",
                _("未处理的车辆监控告警"),
                "telematics:alert-list",
                selectors.MONITOR_EDITORS,
                count_once("telematics.open_alerts", home.open_alerts),
            )
        )
