"""The command center's rules as data: who reads it, the periods a leader picks, the targets a figure is
held against. Pure: no queries."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext

from datahub.figures import month_of, months_between, next_month
from datahub.roles import Role

READERS = (Role.LEADER, Role.BUREAU_ADMIN)
# Months of history the roll-up keeps (two years: every month has its month last year).
HISTORY_MONTHS = 24

# Targets a figure is held against (the source in the comment).
ON_TIME_TARGET = Decimal("95")  # 按时办结率 ≥ 95% (政务服务“好差评”考核的常用口径)
SATISFACTION_TARGET = Decimal("4.5")  # 平均评分（5 分制）
NEV_SHARE_TARGET = Decimal("30")  # 新能源车占比 ≥ 30% (党政机关公务用车新能源化要求)


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter" or "year"
    year: int
    number: int  # month 1–12, quarter 1–4, 0 for a year

    @property
    def start(self) -> date:
        if self.kind == "month":
            return date(self.year, self.number, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        if self.kind == "month":
            return next_month(self.start)
        if self.kind == "quarter":
            return next_month(date(self.year, 3 * self.number, 1))
        return date(self.year + 1, 1, 1)

    @property
    def code(self) -> str:
        return {"month": f"{self.year}-{self.number:02d}", "quarter": f"{self.year}-Q{self.number}"}.get(
            self.kind, str(self.year)
        )

    @property
    def label(self) -> str:
        """The period as the picker and the page name it, in the reader's language."""
        if self.kind == "month":  # the locale's own year-month form: 2026年7月, July 2026
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        names = {
            "quarter": gettext("%(year)s年第%(number)s季度"),
            "year": gettext("%(year)s年"),
        }
        return names[self.kind] % {"year": self.year, "number": self.number}

    def last_year(self) -> "Period":
        return Period(self.kind, self.year - 1, self.number)

    def stock_month(self, today: date) -> date:
        """The month whose end a stock figure (held, open) is read at: the period's last month, or the
        current month while the period runs."""
        last = month_of(date.fromordinal(self.end.toordinal() - 1))
        return min(last, month_of(today)) if self.start <= today else last


_PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2})|-Q([1-4]))?$")


def parse_period(text: str | None, today: date) -> Period:
    """``2026`` (a year), ``2026-Q3`` or ``2026-07``; anything else (or a period after today) is the current
    year — a picker value from an old bookmark must not be a server error."""
    m = _PERIOD.match((text or "").strip())
    if m:
        year = int(m.group(1))
        if m.group(2) and 1 <= int(m.group(2)) <= 12:
            period = Period("month", year, int(m.group(2)))
        elif m.group(3):
            period = Period("quarter", year, int(m.group(3)))
        elif not m.group(2):
            period = Period("year", year, 0)
        else:
            period = None
        if period and 2000 <= year and period.start <= today:
            return period
    return Period("year", today.year, 0)


def period_choices(today: date) -> list[Period]:
    """What the picker offers: this year and last, their quarters so far, the last 24 months."""
    out = [Period("year", today.year, 0), Period("year", today.year - 1, 0)]
    for year in (today.year, today.year - 1):
        out += [Period("quarter", year, q) for q in range(4, 0, -1) if Period("quarter", year, q).start <= today]
    month = month_of(today)
    for _ in range(HISTORY_MONTHS):
        out.append(Period("month", month.year, month.month))
        month = month_of(date.fromordinal(month.toordinal() - 1))
    return out


def ratio(num, den, scale=1, places=2) -> Decimal | None:
    if num is None or not den:
        return None
    q = Decimal(1).scaleb(-places)
    return (Decimal(num) * scale / Decimal(den)).quantize(q, ROUND_HALF_UP)


def pct_change(new, old) -> Decimal | None:
    if new is None or not old:
        return None
    return ((Decimal(new) - Decimal(old)) / abs(Decimal(old)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


def percentile(value, peers: list) -> int | None:
    """Share (%) of the peers this value is better than or equal to (ties count half), ``peers`` holding the
    value itself; higher is better (a caller flips the sign for figures where lower is better)."""
    values = [p for p in peers if p is not None]
    if value is None or len(values) < 2:
        return None
    below = sum(1 for p in values if p < value)
    same = sum(1 for p in values if p == value) - 1
    return round(100 * (below + same / 2) / (len(values) - 1))


# The 十四五 baseline year: the roll-up keeps it for the energy trajectory.
BASELINE_YEAR = 2020


def history_spans(today: date) -> list[tuple[date, date]]:
    """What the roll-up keeps: the last ``HISTORY_MONTHS`` months and the 十四五 baseline year (2020), the
    start of the energy trajectory."""
    this_month = month_of(today)
    months = months_between(date(today.year - 3, 1, 1), next_month(this_month))[-HISTORY_MONTHS:]
    spans = [(months[0], next_month(this_month))]
    baseline = date(BASELINE_YEAR, 1, 1)
    if baseline < months[0]:
        spans.insert(0, (baseline, min(date(BASELINE_YEAR + 1, 1, 1), months[0])))
    return spans
