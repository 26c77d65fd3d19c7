"""The vehicles section's tabs (drawn by datahub's {% section_tabs "vehicles" %}), each shown only to the
roles its page admits (no link to a 403) — the same role sets the views check."""

from django.utils.translation import gettext_lazy as _

from datahub.navigation import Tab
from datahub.roles import Role

from .selectors import FLEET_EDITORS, FLEET_READERS

TABS = (
    Tab("home", "vehicles:home", _("概览"), roles=FLEET_READERS),
    Tab("vehicles", "vehicles:vehicle-list", _("车辆台账"), roles=FLEET_READERS),
    Tab("drivers", "vehicles:driver-list", _("驾驶员"), roles=FLEET_READERS),
    Tab("board", "vehicles:board", _("调度台"), roles=FLEET_EDITORS),
    Tab("reviews", "vehicles:reviews", _("紧急用车审核"), roles=(Role.APPROVER, Role.BUREAU_ADMIN)),
    Tab("stats", "vehicles:statistics", _("统计"), roles=FLEET_READERS),
    Tab("renewal", "vehicles:renewal", _("更新与新能源"), roles=FLEET_READERS),
)
