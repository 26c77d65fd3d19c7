"""The command center's pages: a reader's unit overview, its figures as JSON, and the Excel brief.
Reads only through ``selectors`` and ``dashboard``; nothing here writes."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from datahub.exports import xlsx_response
from datahub.replica import replica_reads

from . import dashboard, rules, selectors


def _reader(request):
    if not selectors.may_read(request.user):
        raise PermissionDenied(gettext("您没有查看领导驾驶舱的权限。"))


def _unit_and_period(request, pk):
    _reader(request)
    unit = selectors.unit_for(request.user, pk)
    if unit is None:
        raise Http404(gettext("单位不存在或不在您的授权范围内。"))
    today = timezone.localdate()
    return unit, rules.parse_period(request.GET.get("period"), today), today


@login_required
def index(request):
    _reader(request)
    units = selectors.home_units(request.user)
    # Several grants: open on the one holding the leader's own unit (the chooser lists them all otherwise).
    own = request.user.org_unit
    home = [u for u in units if own is not None and own.path.startswith(u.path)]
    if len(units) == 1 or home:
        return redirect("commandcenter:unit", pk=(home or units)[0].pk)
    return render(request, "commandcenter/choose.html", {"units": units})


@login_required
def unit_page(request, pk):
    unit, period, today = _unit_and_period(request, pk)
    with replica_reads():  # the figures may come from a read replica (config.routers)
        page = dashboard.build(request.user, unit, period, today)
    return render(
        request,
        "commandcenter/unit.html",
        {
            "unit": unit,
            "period": period,
            "periods": rules.period_choices(today),
            "breadcrumb": selectors.breadcrumb(request.user, unit),
            "last_year": period.last_year(),
            **page,
            "chart_data": page["charts"],
        },
    )


@login_required
def unit_json(request, pk):
    """The figures of the page as JSON (for another screen or a script), scoped like the page."""
    unit, period, today = _unit_and_period(request, pk)
    with replica_reads():  # the figures may come from a read replica (config.routers)
        page = dashboard.build(request.user, unit, period, today)
    return JsonResponse(
        {
            "unit": {"id": unit.pk, "name": unit.name},
            "period": {"code": period.code, "label": period.label, "compared_with": period.last_year().label},
            "sections": [
                {"key": s["key"], "title": s["title"], "figures": [c.as_json() for c in s["cells"]]}
                for s in page["sections"]
            ],
            "children": [
                {
                    "id": row["unit"].pk,
                    "name": row["unit"].name,
                    "energy_light": row["light"],
                    "figures": {c["figure"].key: None if c["value"] is None else str(c["value"]) for c in row["cells"]},
                }
                for row in page["ranking"]
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
def unit_export(request, pk):
    """The page's figures for the unit and period as one Excel sheet: the brief a leader files."""
    unit, period, today = _unit_and_period(request, pk)
    with replica_reads():  # the figures may come from a read replica (config.routers)
        page = dashboard.build(request.user, unit, period, today)
    headers = [
        gettext("领域"),
        gettext("指标"),
        gettext("计量单位"),
        period.label,
        period.last_year().label,
        gettext("同比（%）"),
        gettext("目标"),
        gettext("同级百分位"),
    ]
    rows = []
    for section in page["sections"]:
        for c in section["cells"]:
            rows.append(
                [
                    section["title"],
                    c.figure.label,
                    _unit(c.figure.unit),
                    c.value,
                    c.last_year,
                    c.change_pct,
                    c.figure.target,
                    c.percentile,
                ]
            )
    rows += _breakdown_rows(page)
    if page["ranking"]:
        rows.append([])
        rows.append(
            [
                gettext("下级单位"),
                *[f"{f.label} ({_unit(f.unit)})" if f.unit else str(f.label) for f in page["rank_figures"]],
                gettext("能耗进度"),
            ]
        )
        for row in page["ranking"]:
            rows.append([row["unit"].name, *[c["value"] for c in row["cells"]], row["light_label"]])
    name = gettext("驾驶舱_%(unit)s_%(period)s.xlsx") % {"unit": unit.name, "period": period.code}
    return xlsx_response(name, headers, rows)


def _unit(unit) -> str:
    """A figure's unit of measure in the reader's language, as the page's ``qty`` filter shows it."""
    return gettext(str(unit).strip()) if unit and str(unit).strip() else ""


def _breakdown_rows(page) -> list[list]:
    """The breakdown tables under their section, one row each (指标 names the row: kind, category, status)."""
    out = []
    for s in page["sections"]:
        for r in s.get("kinds", ()):
            label = gettext("平均办理时长·%(label)s") % {"label": r["label"]}
            out.append([s["title"], label, gettext("小时"), r["hours"], r["last_year"], r["change_pct"]])
        for r in s.get("quotas", ()):
            out.append(
                [
                    s["title"],
                    gettext("在用车辆·%(label)s（编制 %(quota)s）")
                    % {"label": r["label"], "quota": r["quota"] if r["quota"] is not None else gettext("未核定")},
                    gettext("辆"),
                    r["held"],
                ]
            )
        for r in s.get("areas", ()):
            out.append([s["title"], gettext("使用面积·%(label)s") % {"label": r["label"]}, "m²", r["area"]])
        for r in s.get("cases", ()):
            label = gettext("超标与腾退问题·%(label)s") % {"label": r["label"]}
            out.append([s["title"], label, gettext("件"), r["count"]])
    return out
