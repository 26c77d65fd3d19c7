"""The energy Excel exports, registered with datahub.exports: the summary table downloads at once when
it is small and runs as a background job with progress when it is large (a province grouped by
institution), like every other list export."""

from datetime import date

from django.http import QueryDict

from datahub import scoping
from datahub.exports import Export, exporter
from datahub.params import as_id, as_int

from . import rules, selectors

SUMMARY = "energy.summary"


def summary_rows(groups):
    types = rules.EnergyType.choices
    for name, f in groups:
        yield [
            name,
            f.institutions,
            f.area,
            f.users,
            *[f.by_type.get(code, {}).get("quantity", "") for code, _ in types],
            f.cost,
            f.tce,
            f.energy_per_m2,
            f.energy_per_person,
            f.water_per_person,
            f.tco2,
        ]


SUMMARY_HEADERS = [
    "汇总单位",
    "机构数",
    "建筑面积（m²）",
    "用能人数（人）",
    *[f"{label}（{rules.BASE_UNIT[code]}）" for code, label in rules.EnergyType.choices],
    "金额合计（元）",
    "综合能耗（tce）",
    "单位建筑面积能耗（kgce/m²）",
    "人均综合能耗（kgce/人）",
    "人均用水量（m³/人）",
    "二氧化碳排放（tCO₂）",
]


@exporter(SUMMARY)
def summary_export(user, params: QueryDict) -> Export:
    """The summary page's table for the same parameters (year, quarter, grouping, unit), read for ``user``."""
    year = as_int(params.get("year"), 2000, 2100) or date.today().year - 1
    raw_quarter = params.get("quarter", "0")
    quarter = int(raw_quarter) if raw_quarter in ("0", "1", "2", "3", "4") else 0
    by = params.get("by", "department")
    by = by if by in selectors.SUMMARY_BY else "department"
    within = None
    pk = as_id(params.get("unit"))
    if pk:
        within = scoping.visible_units(user, roles=selectors.ENERGY_READERS).filter(pk=pk).first()
    groups = [] if pk and within is None else selectors.summary(user, year=year, by=by, quarter=quarter, within=within)
    period = f"{year}年" + (f"第{quarter}季度" if quarter else "")
    return Export(
        f"{selectors.SUMMARY_BY[by]}{period}.xlsx", SUMMARY_HEADERS, lambda: summary_rows(groups), len(groups)
    )
