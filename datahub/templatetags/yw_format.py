"""The platform's number filters, built into every template (settings TEMPLATES builtins), so every app
shows money, areas, energy and percentages alike (datahub.formatting says how):

    {{ card.value|money }}              129,640.06 元
    {{ room.area|area }}                18.00 m²
    {{ row.kwh|qty:"kWh" }}             20,500.00 kWh     {{ row.kwh|qty:"kWh,0" }}  20,500 kWh
    {{ share|pct }}  {{ rate|pct:"ratio" }}   12.3%
    {{ kind.sla_hours|time_limit }}     48 小时 / 15 日   {{ kind|kind_limit }}  5 个工作日
    {{ unit|unit_path }}                财政厅 › 办公室
    {{ row.org_unit|unit_path:row.unit_parent_name }}   the same for a list's row (its query read the parent)
    {{ row.caller_label|trail_caller }}  系统：X / "System: X" (an access-trail row's caller)
    {{ ticket|display:"status" }}       ticket.get_status_display, its labels kept per language (datahub.labels)
"""

from django import template
from django.utils.translation import gettext

from .. import formatting
from ..catalog.models import shown_caller
from ..labels import choice_shown

register = template.Library()


@register.filter
def money(value):
    return formatting.money(value)


@register.filter
def amount(value, places=2):
    """A plain number with separators and ``places`` decimals (no unit)."""
    return formatting.number(value, int(places))


@register.filter
def area(value):
    return formatting.with_unit(value, "m²", 2)


@register.filter
def qty(value, spec="", /):
    """``"kWh"`` or ``"kWh,0"``: the unit and, after a comma, the decimals (2 by default)."""
    unit, _, places = str(spec).partition(",")
    # A unit written in Chinese (件, 辆, 小时) is a label: shown in the reader's language.
    return formatting.with_unit(
        value, gettext(unit.strip()) if unit.strip() else "", int(places) if places.strip() else 2
    )


@register.filter
def pct(value, mode=""):
    return formatting.percent(value, ratio=mode == "ratio")


@register.filter
def time_limit(hours):
    return formatting.time_limit(hours)


@register.filter
def kind_limit(kind):
    """A request kind's time limit, in working days when the kind states them (``sla_working_days``)."""
    return formatting.time_limit(kind.sla_hours, working_days=getattr(kind, "sla_working_days", None))


@register.filter
def unit_path(unit, parent_name=None):
    """A unit named so it can be told apart: its parent before it (``财政厅 › 办公室``). A row of a list
    passes the parent's name its query read (``{{ row.org_unit|unit_path:row.unit_parent_name }}``, the
    ``with_unit_parent_name`` helper); a unit from ``with_parent_name`` carries it itself."""
    return formatting.unit_label(unit, parent_name)


@register.filter
def trail_caller(label):
    """An access-trail row's caller label (stored in Chinese, part of its hash chain) in the reader's language."""
    return shown_caller(label or "")


@register.filter
def display(obj, field_name):
    return choice_shown(obj, field_name)
