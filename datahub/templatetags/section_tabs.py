"""The tab bar of a section's pages, drawn by one include (includes/tabs.html) from the Tab rows that the
section declares in ``<app>/navigation.py``. The module is found by the app's label, as Django's admin finds
each app's admin.py, so datahub imports no app of ours."""

from importlib import import_module

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..memo import Bounded
from ..navigation import held_roles

register = template.Library()


@register.simple_tag(takes_context=True)
def section_tabs(context, section: str, tab: str | None = None):
    """``{% section_tabs "assets" "cards" %}``: the section's tabs the user may open, ``tab`` marked active
    (default: the page's own ``tab`` variable). Drawn once per section, tab, role set, language and URL
    configuration (its ``reverse()`` and template were redone on every page, #17)."""
    user = context["request"].user
    tab = context.get("tab", "") if tab is None else tab
    roles = "*" if user.is_superuser else frozenset(held_roles(user))
    key = (section, tab, roles, get_language(), get_script_prefix(), get_urlconf())
    html = _DRAWN.get(key)
    if html is None:
        tabs = [
            (t.key, reverse(t.url_name, args=t.args) + t.query, t.label)
            for t in import_module(f"{section}.navigation").TABS
            if t.roles is None or _holds(user, t.roles)
        ]
        html = _DRAWN.keep(key, mark_safe(get_template("includes/tabs.html").render({"tabs": tabs, "tab": tab})))
    return html


_DRAWN = Bounded(1024)


def _holds(user, roles) -> bool:
    # The header already read the user's roles for the top bar (cached on the user): no query per tab.
    return user.is_superuser or bool(held_roles(user) & set(roles))
