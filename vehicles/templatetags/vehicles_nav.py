"""The vehicles section's tabs, each shown only to the roles its page admits (no link to a 403)."""

from django import template
from django.utils.translation import gettext_lazy as _

from datahub.navigation import held_roles
from datahub.roles import Role

from .. import selectors

register = template.Library()

# (tab, url name, label, roles that may open it) — the same role sets the views check.
TABS = (
    ("home", "vehicles:home", _("概览"), selectors.FLEET_READERS),
    ("vehicles", "vehicles:vehicle-list", _("车辆台账"), selectors.FLEET_READERS),
    ("drivers", "vehicles:driver-list", _("驾驶员"), selectors.FLEET_READERS),
    ("board", "vehicles:board", _("调度台"), selectors.FLEET_EDITORS),
    ("reviews", "vehicles:reviews", _("紧急用车审核"), (Role.APPROVER, Role.BUREAU_ADMIN)),
    ("stats", "vehicles:statistics", _("统计"), selectors.FLEET_READERS),
    ("renewal", "vehicles:renewal", _("更新与新能源"), selectors.FLEET_READERS),
)


@register.inclusion_tag("vehicles/_nav.html", takes_context=True)
def vehicles_nav(context):
    user = context["request"].user
    tabs = [(tab, url, label) for tab, url, label, roles in TABS if _holds(user, roles)]
    return {"tabs": tabs, "tab": context.get("tab", "")}


@register.simple_tag(takes_context=True)
def may_dispatch(context) -> bool:
    return _holds(context["request"].user, selectors.FLEET_EDITORS)


def _holds(user, roles) -> bool:
    # The header already read the user's roles for the top bar (cached on the user): no query per tab.
    return user.is_superuser or bool(held_roles(user) & set(roles))
