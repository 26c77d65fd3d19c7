"""The monitoring section's tabs (drawn by datahub's {% section_tabs "telematics" %}; each page passes its
``tab`` in the context)."""

from django.utils.translation import gettext_lazy as _

from datahub.navigation import Tab

TABS = (
    Tab("alerts", "telematics:alert-list", _("监控告警")),
    Tab("terminals", "telematics:terminal-list", _("车载终端")),
    Tab("geofences", "telematics:geofence-list", _("电子围栏")),
    Tab("rules", "telematics:rule-list", _("告警规则")),
    Tab("calendar", "telematics:calendar", _("工作日历")),
)
