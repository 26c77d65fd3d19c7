"""The energy summary's columns, shared by its page and its export (energy.views.Summary registers the
export with datahub.exports: at once when small, a background job with progress when large)."""

from django.utils.translation import gettext_lazy as _

from . import rules

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
    _("汇总单位"),
    _("机构数"),
    _("建筑面积（m²）"),
    _("用能人数（人）"),
    *[f"{label}（{rules.BASE_UNIT[code]}）" for code, label in rules.EnergyType.choices],
    _("金额合计（元）"),
    _("综合能耗（tce）"),
    _("单位建筑面积能耗（kgce/m²）"),
    _("人均综合能耗（kgce/人）"),
    _("人均用水量（m³/人）"),
    _("二氧化碳排放（tCO₂）"),
]

# The decimals each column shows on the page (the header names the unit; None: text). Counts are whole;
# areas, quantities, money, tce and the per-m² and per-person figures read with 2 decimals. The export
# keeps the exact numbers, as numeric cells.
SUMMARY_PLACES = [None, 0, 2, 0, *[2 for _ in rules.EnergyType.choices], 2, 2, 2, 2, 2, 2]
_TYPE_COLUMNS = range(4, 4 + len(rules.EnergyType.choices))


def summary_columns_with_data(rows) -> list[int]:
    """The indexes of the summary's columns worth showing: all but the energy types that no row has."""
    return [i for i in range(len(SUMMARY_HEADERS)) if i not in _TYPE_COLUMNS or any(row[i] != "" for row in rows)]
