"""The page's breakdown tables (a figure split by kind, category or status) and the snapshot lines of
"needs attention": arithmetic on the roll-up sums and on the counts as of today ``snapshot.counts`` read.
No queries here."""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext

from . import rules
from .rules import Period

KIND_DONE, KIND_HOURS = "kind_done_", "kind_hours_"


def _url(name: str, **params) -> str:
    return reverse(name) + "?" + urlencode(params)


def _last_day(period: Period) -> date:
    return date.fromordinal(period.end.toordinal() - 1)


def handling_by_kind(now: dict, ly: dict, unit, period: Period, labels: dict[str, str]) -> list[dict]:
    """平均办理时长 by request kind: hours from submission to finish over the requests finished in the
    period, against the same period last year; each row opens the finished requests of that kind."""
    kinds = sorted({k[len(KIND_DONE) :] for k in (*now, *ly) if k.startswith(KIND_DONE)})
    rows = []
    for kind in kinds:
        done, last_done = now.get(KIND_DONE + kind) or 0, ly.get(KIND_DONE + kind) or 0
        hours = rules.ratio(now.get(KIND_HOURS + kind), done, 1, 1)
        last = rules.ratio(ly.get(KIND_HOURS + kind), last_done, 1, 1)
        rows.append(
            {
                "kind": kind,
                "label": labels.get(kind, kind),
                "done": int(done),
                "hours": hours,
                "last_year": last,
                "change_pct": rules.pct_change(hours, last),
                "url": _url(
                    "portal:all",
                    status="done",
                    kind=kind,
                    unit=unit.pk,
                    closed_since=period.start.isoformat(),
                    closed_until=_last_day(period).isoformat(),
                ),
            }
        )
    rows.sort(key=lambda r: (-r["done"], r["label"]))
    return rows


def quota_by_category(fleet: dict, unit) -> list[dict]:
    """Vehicles in use against the quota, per category (only the categories held or with a quota)."""
    rows = []
    for code, label, row in fleet["categories"]:
        held, quota = row["held"], row["quota"]
        if not held and quota is None:
            continue
        rows.append(
            {
                "category": code,
                "label": label,
                "held": held,
                "quota": quota,
                "use_pct": rules.ratio(held, quota, 100, 1) if quota else None,
                "over": quota is None or held > quota,
                "url": _url("vehicles:vehicle-list", unit=unit.pk, category=code),
            }
        )
    return rows


def area_by_use(space: dict, unit) -> list[dict]:
    """The use area of the rooms in use by category (办公室、服务用房、设备用房、附属用房), with its share."""
    total = sum((a or Decimal(0) for _, _, _, a in space["areas"]), Decimal(0))
    url = _url("officespace:statistics", unit=unit.pk)
    return [
        {"category": code, "label": label, "rooms": n, "area": area, "share_pct": rules.ratio(area, total, 100, 1)}
        | {"url": url}
        for code, label, n, area in space["areas"]
    ]


def cases_by_status(space: dict, unit) -> list[dict]:
    """Over-standard cases and return flags by handling status, each opening the list of that status."""
    return [
        {
            "status": code,
            "label": label,
            "count": n,
            "url": _url("officespace:over-standard", unit=unit.pk, status=code),
        }
        for code, label, n in space["cases"]
    ]


def attention_lines(snap: dict, unit, today: date) -> list[dict]:
    """What runs out or is past its deadline in the unit's subtree, each line opening where it is handled:
    a vehicle's insurance or inspection (its page, where the renewal is recorded), offices past their return
    deadline (the take-back list), expired driving licences (the driver list)."""
    lines = []
    for p in snap["papers"]:
        v = p["vehicle"]
        if p["lapsed"]:
            text = gettext("%(plate)s %(what)s已过期（%(until)s）")
        else:
            text = gettext("%(plate)s %(what)s将到期（%(until)s）")
        lines.append(
            {
                "unit": v.org_unit,
                # The vehicles' selector names the paper in Chinese (保险, 年检): a label, shown translated.
                "what": text % {"plate": v.plate, "what": gettext(p["what"]), "until": f"{p['until']:%Y-%m-%d}"},
                "count": None,
                # Lapsed papers weigh like an overdue request; those merely running out, less.
                "weight": 4 if p["lapsed"] else 1,
                "url": reverse("vehicles:vehicle-detail", args=[v.pk]),
            }
        )
    space, fleet = snap["space"], snap["fleet"]
    take_back = _url("officespace:take-back", unit=unit.pk)
    for count, what, weight, url in (
        (space["leavers_overdue"], gettext("调离/退休人员办公室逾期未腾退"), 2, take_back),
        (space["second_overdue"], gettext("兼职结束的第二办公室逾期未腾退"), 2, take_back),
        (
            fleet["licences_expired"],
            gettext("驾驶员驾驶证已过期"),
            3,
            _url("vehicles:driver-list", unit=unit.pk, expired=1),
        ),
    ):
        if count:
            lines.append({"unit": unit, "what": what, "count": count, "weight": weight * count, "url": url})
    return lines
