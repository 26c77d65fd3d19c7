"""The office-space section's tabs (drawn by datahub's {% section_tabs "officespace" %})."""

from django.utils.translation import gettext_lazy as _

from datahub.navigation import Tab

TABS = (
    Tab("home", "officespace:home", _("概览")),
    Tab("buildings", "officespace:building-list", _("楼宇")),
    Tab("rooms", "officespace:room-list", _("房间")),
    Tab("over", "officespace:over-standard", _("超标准占用")),
    Tab("take_back", "officespace:take-back", _("待收回办公室")),
    Tab("repairs", "officespace:repairs", _("维修台账")),
    Tab("bookings", "officespace:bookings", _("会议室预订")),
    Tab("units", "officespace:unit-report", _("单位汇总")),
    Tab("disclosure", "officespace:disclosure", _("使用公示")),
    Tab("filing", "officespace:leader-filing", _("领导备案")),
    Tab("stats", "officespace:statistics", _("统计")),
    Tab("standards", "officespace:standards", _("面积标准")),
)
