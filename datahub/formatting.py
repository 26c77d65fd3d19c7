"""Numbers and durations as people read them, one set for every app (the template filters in
``datahub/templatetags/yw_format.py`` call these; Python code building a message may too).

- money: thousands separators and 2 decimals, ``129,640.06 元`` (never ``129640.060000000``)
- area: 2 decimals with m², energy and other quantities with their unit and sensible decimals
- percentages: one decimal, ``12.5%``
- a time limit in the unit people use: ``48 小时``, ``15 日``, ``5 个工作日`` (not ``360 小时``)

Empty values read as ``—``. Rounding is half-up, as the finance rules round.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

EMPTY = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def number(value, places: int = 2) -> str:
    """``1234567.891`` → ``1,234,567.89`` (``places`` decimals, thousands separators)."""
    d = _decimal(value)
    if d is None:
        return EMPTY
    quantum = Decimal(1).scaleb(-places)
    return f"{d.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


def money(value) -> str:
    """``129640.06`` → ``129,640.06 元``."""
    text = number(value, 2)
    return text if text == EMPTY else _("%(text)s 元") % {"text": text}


def with_unit(value, unit: str, places: int = 2) -> str:
    """A quantity with its unit: ``with_unit(18, "m²")`` → ``18.00 m²``; ``with_unit(20500, "kWh", 0)`` →
    ``20,500 kWh``."""
    text = number(value, places)
    return text if text == EMPTY or not unit else f"{text} {unit}"


def percent(value, *, ratio: bool = False) -> str:
    """One decimal: ``12.345`` → ``12.3%``; with ``ratio`` the value is a fraction (``0.1234`` → ``12.3%``)."""
    d = _decimal(value)
    if d is None:
        return EMPTY
    return f"{number(d * 100 if ratio else d, 1)}%"


def time_limit(hours, *, working_days: int | None = None) -> str:
    """A time limit as people state it: working days when the rule counts them, whole days from three days
    up, else hours: ``time_limit(48)`` → ``48 小时``, ``time_limit(360)`` → ``15 日``,
    ``time_limit(0, working_days=5)`` → ``5 个工作日``."""
    if working_days:
        return _("%(n)s 个工作日") % {"n": working_days}
    if hours is None or hours == "":
        return EMPTY
    hours = int(hours)
    if hours >= 72 and hours % 24 == 0:
        return _("%(n)s 日") % {"n": hours // 24}
    return _("%(n)s 小时") % {"n": hours}


def unit_label(unit, parent_name: str | None = None) -> str:
    """``财政厅 › 办公室``: a department named with its parent, so five 办公室 can be told apart. The parent's
    name comes with the unit (``datahub.selectors.with_parent_name``), never from a query per row; without
    it, or for an agency or a region, the unit's own name. A list's row passes ``parent_name`` read by its
    query (``datahub.selectors.with_unit_parent_name``)."""
    if unit is None:
        return EMPTY
    parent_name = parent_name or getattr(unit, "parent_name", None)
    return unit_name(unit.name, getattr(unit, "level", "department"), parent_name)


def unit_name(name: str, level: str, parent_name: str | None) -> str:
    """``unit_label`` from a row's columns (a list read as values(): the unit's name and level, and the parent's
    name its query read)."""
    return f"{parent_name} › {name}" if parent_name and level == "department" else name


def readable(value) -> str:
    """Any value as a person reads it on a page or in a message: a time in Asia/Shanghai (``2026-12-08
    14:00``, never ``2026-12-08 06:00:00+00:00``), a date as ``2026-12-08``, a decimal with separators and 2
    decimals, yes/no as 是/否, nothing as ``—``."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return number(value, 2)
    return str(value)
