"""The tab bar of a section's pages, drawn by one include (includes/tabs.html) from the Tab rows that the
section declares in ``<app>/navigation.py``. The module is found by the app's label, as Django's admin finds
each app's admin.py, so datahub imports no app of ours."""

from importlib import import_module

from django import template
from django.urls import reverse

from ..navigation import held_roles

register = template.Library()


@register.inclusion_tag("includes/tabs.html", takes_context=True)
def section_tabs(context, section: str, tab: str | None = None):
    """``{% section_tabs "assets" "cards" %}``: the section's tabs the user may open, ``tab`` marked active
    (default: the page's own ``tab`` variable)."""
    user = context["request"].user
    tabs = [
        (t.key, reverse(t.url_name, args=t.args) + t.query, t.label)
        for t in import_module(f"{section}.navigation").TABS
        if t.roles is None or _holds(user, t.roles)
    ]
    return {"tabs": tabs, "tab": context.get("tab", "") if tab is None else tab}


def _holds(user, roles) -> bool:
    # The header already read the user's roles for the top bar (cached on the user): no query per tab.
    return user.is_superuser or bool(held_roles(user) & set(roles))
