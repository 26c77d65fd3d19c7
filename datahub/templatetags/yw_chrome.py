"""The chrome of every page (base.html): the static assets of ``<head>`` and the top bar, each rendered by the
template engine once per process and variant, then filled with the request's own values.

The top bar is the same markup for everyone reading in one language except for a few values: the unread count,
the person's name and unit, the CSRF token, the current path and the section links (themselves drawn once per
role set: ``navigation.topbar_html``). Its template (``includes/topbar.html``) is rendered once per language,
URL configuration and shape (signed in or not, with a unit, with unread notifications, with a CSRF token) with a
marker in place of each value, and split at the markers; a request then joins the pieces with its values, each
put through ``render_value_in_context`` as the template would (escaped, localized). Its eight ``{% url %}``,
twelve ``{% trans %}``, two ``{% csrf_token %}`` and the language list were ~1 ms of CPU on every page (#17). The
head's four ``{% static %}`` do not depend on the request at all.

``{% once a b %}…{% endonce %}`` does the same for a page's own fixed markup (a list's tabs and table head, its
filter form, the pager): rendered the first time, then reused for the same language, URL configuration and values
of ``a``, ``b``. Only for markup that depends on nothing else (no CSRF token, no user; a request value only when
it is one of the values named).
"""

import re
from types import SimpleNamespace

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import render_value_in_context
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ..memo import Bounded

register = template.Library()

_MARKER = re.compile("\x00([a-z]+)\x00")
_SKELETONS = Bounded(256)  # variants: languages × URL configurations × 16 shapes
_HEAD: dict[tuple, SafeString] = {}
_generation = [0]  # bumped when a setting changes: every {% once %} block renders anew


def _marker(name: str) -> str:
    return f"\x00{name}\x00"


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    # A test that changes STATIC_URL, the storages or the languages sees its own settings.
    _SKELETONS.clear()
    _HEAD.clear()
    _generation[0] += 1


def _key() -> tuple:
    return (get_language(), get_script_prefix(), get_urlconf())


@register.simple_tag
def head_assets() -> SafeString:
    """The stylesheet, scripts and icon of ``<head>`` (includes/head_assets.html), rendered once."""
    key = _key()
    html = _HEAD.get(key)
    if html is None:
        html = _HEAD[key] = mark_safe(get_template("includes/head_assets.html").render({}))
    return html


def _skeleton(shape: tuple) -> tuple[tuple[str, str | None], ...]:
    signed_in, with_unit, with_unread, with_csrf = shape
    unit = SimpleNamespace(name=_marker("unit")) if with_unit else None
    user = SimpleNamespace(is_authenticated=signed_in, get_full_name=lambda: _marker("name"), org_unit=unit)
    html = get_template("includes/topbar.html").render(
        {
            "user": user,
            "unread_notifications": _marker("unread") if with_unread else 0,
            "csrf_token": _marker("csrf") if with_csrf else None,
            "request": SimpleNamespace(get_full_path=lambda: _marker("next")),
            "topbar_nav": mark_safe(_marker("nav")),
        }
    )
    pieces = _MARKER.split(html)
    # (text, slot) pairs: the text before each marker and the marker's name (None after the last text).
    return tuple(zip(pieces[::2], [*pieces[1::2], None], strict=True))


@register.simple_tag(takes_context=True)
def topbar(context) -> SafeString:
    """The ``<header>`` of includes/topbar.html for this request, from its skeleton."""
    user = context.get("user")
    signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
    unit = getattr(user, "org_unit", None) if signed_in else None
    unread = context.get("unread_notifications")
    token = context.get("csrf_token")
    with_csrf = bool(token) and token != "NOTPROVIDED"
    shape = (signed_in, bool(unit), bool(unread), with_csrf)
    key = (*_key(), shape)
    pieces = _SKELETONS.get(key)
    if pieces is None:
        pieces = _SKELETONS.keep(key, _skeleton(shape))
    request = context.get("request")
    values = {
        "unread": render_value_in_context(unread, context) if unread else "",
        "name": render_value_in_context(user.get_full_name(), context) if signed_in else "",
        "unit": render_value_in_context(unit.name, context) if unit else "",
        "csrf": conditional_escape(token) if with_csrf else "",
        "next": render_value_in_context(request.get_full_path(), context) if request is not None else "",
        "nav": render_value_in_context(context.get("topbar_nav", ""), context) if signed_in else "",
    }
    return mark_safe("".join([text + values[slot] if slot else text for text, slot in pieces]))


class OnceNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values
        self.rendered = Bounded(256)  # a block's variants are few: a bound against an unforeseen key

    def render(self, context):
        key = (*_key(), _generation[0], *(value.resolve(context) for value in self.values))
        try:
            html = self.rendered.get(key)
        except TypeError:  # a value that cannot be a key: rendered every time
            return self.nodelist.render(context)
        if html is None:
            html = self.nodelist.render(context)
            self.rendered.keep(key, html)
        return html


@register.tag
def once(parser, token):
    """``{% once mode oversees %}…{% endonce %}``: the block rendered once per language, URL configuration and
    values of the variables named (see the module's docstring)."""
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, values)
