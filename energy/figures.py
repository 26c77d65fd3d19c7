"""Energy figures: sums of the monthly records and the profiles of a unit, of each institution, of a group of
institutions, and the indicators derived from them (split from ``selectors``, which re-exports them; the
scoping stays there). Indicators are ratios of sums — a subtree's energy per m² is its institutions' energy
(less vehicle fuel) over their summed building area, never an average of ratios — rounded once, by
``rules.ratio``.

The sums are computed in SQL, grouped as far as the caller needs them (per institution, per summary group and
energy type), with one row per group coming back, not one per institution and type. A record already carries
its kgce and kgCO₂ (converted when written, with its coefficient version), so no coefficient is applied here;
the rules the SQL needs — which types are vehicle fuel, which is water — are passed to it as parameters from
``rules``, not written into the SQL text. The statements are portable (PostgreSQL and SQLite).
"""

import decimal
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from datahub.models import OrgUnit

from . import rules
from .models import ConsumptionRecord, InstitutionProfile
from .rules import EnergyType, Indicator

ZERO = Decimal(0)


@dataclass
class Figures:
    """A unit's (or group's) sums for a period, and the indicators derived from them. ``by_type`` (quantity,
    cost and kgce per energy type) is filled where a caller shows it (a unit's page, the summary's groups);
    ``figures_by_unit`` leaves it empty and says through ``has_records``/``has_water`` what it would hold."""

    kgce: Decimal = ZERO
    kgce_vehicle: Decimal = ZERO
    kgco2: Decimal = ZERO
    kgco2_vehicle: Decimal = ZERO
    water: Decimal = ZERO
    cost: Decimal = ZERO
    area: Decimal = ZERO
    users: int = 0
    institutions: int = 0
    by_type: dict = field(default_factory=dict)
    has_records: bool = False  # any record in the period
    has_water: bool = False  # any water record in the period

    def add(self, energy_type, quantity, cost, kgce, kgco2):
        quantity, cost, kgce, kgco2 = quantity or ZERO, cost or ZERO, kgce or ZERO, kgco2 or ZERO
        t = self.by_type.setdefault(energy_type, {"quantity": ZERO, "cost": ZERO, "kgce": ZERO})
        t["quantity"] += quantity
        t["cost"] += cost
        t["kgce"] += kgce
        self.kgce += kgce
        self.kgco2 += kgco2
        self.cost += cost
        self.has_records = True
        if energy_type in rules.VEHICLE_FUELS:
            self.kgce_vehicle += kgce
            self.kgco2_vehicle += kgco2
        if energy_type == EnergyType.WATER:
            self.water += quantity
            self.has_water = True

    @property
    def has_data(self) -> bool:
        return self.has_records

    @property
    def tce(self) -> Decimal:
        return (self.kgce / 1000).quantize(Decimal("0.001"))

    @property
    def tco2(self) -> Decimal:
        return (self.kgco2 / 1000).quantize(Decimal("0.001"))

    # Per m² excludes vehicle fuel (statistics rules, REFERENCE §3.4); CO₂ per m² uses the same boundary.
    @property
    def energy_per_m2(self):
        return rules.ratio(self.kgce - self.kgce_vehicle, self.area) if self.has_data else None

    @property
    def energy_per_person(self):
        return rules.ratio(self.kgce, self.users) if self.has_data else None

    @property
    def water_per_person(self):
        return rules.ratio(self.water, self.users) if self.has_water else None

    @property
    def co2_per_m2(self):
        return rules.ratio(self.kgco2 - self.kgco2_vehicle, self.area) if self.has_data else None

    def indicator(self, name: str):
        return getattr(self, name)

    def as_json(self) -> dict:
        def q(x):
            return str(Decimal(x).quantize(Decimal("0.0001")))

        return {
            "kgce": q(self.kgce),
            "kgce_vehicle": q(self.kgce_vehicle),
            "kgco2": q(self.kgco2),
            "water_m3": q(self.water),
            "cost": q(self.cost),
            "building_area": q(self.area),
            "energy_users": self.users,
            **{
                name: (None if self.indicator(name) is None else str(self.indicator(name))) for name in Indicator.values
            },
            "by_type": {k: {kk: q(vv) for kk, vv in v.items()} for k, v in self.by_type.items()},
        }


def _month_range(months) -> tuple[int, int] | None:
    """The first and last of ``months`` when they run without a gap (a quarter, the whole year), else None.
    The records are partitioned by (year, month): PostgreSQL prunes a range on the month beside the year's
    equality to the range's partitions, but a list (``month IN (4, 5, 6)``) only to the whole year's."""
    months = sorted(set(months))
    if months and months == list(range(months[0], months[-1] + 1)):
        return months[0], months[-1]
    return None


def _months_q(months) -> Q:
    """The ORM condition on the month: none for the whole year (1–12 by constraint), else a range or a list."""
    span = _month_range(months)
    if span == (1, 12):
        return Q()
    if span:
        return Q(month__gte=span[0], month__lte=span[1])
    return Q(month__in=list(months))


def _record_sums(unit_q: Q, years, months, group_by_unit=False):
    keys = ["year", "energy_type", *(["org_unit_id"] if group_by_unit else [])]
    return (
        ConsumptionRecord.objects.filter(unit_q, _months_q(months), year__in=list(years))
        .values(*keys)
        .annotate(q=Sum("base_quantity"), cost=Sum("cost"), ce=Sum("kgce"), co2=Sum("kgco2"))
        .order_by()
    )


def _subtree(unit: OrgUnit) -> Q:
    return Q(org_unit__path__startswith=unit.path)


def figures_by_year(unit: OrgUnit, years, months=range(1, 13)) -> dict[int, Figures]:
    """Figures of ``unit``'s subtree for each year, with the split by type: two grouped queries."""
    out = {y: Figures() for y in years}
    for r in _record_sums(_subtree(unit), years, months):
        out[r["year"]].add(r["energy_type"], r["q"], r["cost"], r["ce"], r["co2"])
    for r in (
        InstitutionProfile.objects.filter(_subtree(unit), year__in=list(years))
        .values("year")
        .annotate(a=Sum("building_area"), u=Sum("energy_users"), n=Count("pk"))
        .order_by()
    ):
        f = out[r["year"]]
        f.area, f.users, f.institutions = r["a"] or ZERO, r["u"] or 0, r["n"]
    return out


def figures_by_unit(unit_q: Q, year: int, months=range(1, 13)) -> dict[int, Figures]:
    """Figures of each institution matching ``unit_q`` (with records or a profile) for one year: its sums and
    indicators, without the split by type (``by_type`` stays empty: no caller reads it per institution). Two
    grouped queries, one row per institution each."""
    vehicle, water = Q(energy_type__in=rules.VEHICLE_FUELS), Q(energy_type=EnergyType.WATER)
    out: dict[int, Figures] = {}
    for r in (
        ConsumptionRecord.objects.filter(unit_q, _months_q(months), year=year)
        .values("org_unit_id")
        .annotate(
            ce=Sum("kgce"),
            ce_v=Sum("kgce", filter=vehicle),
            co2=Sum("kgco2"),
            co2_v=Sum("kgco2", filter=vehicle),
            water=Sum("base_quantity", filter=water),
            cost=Sum("cost"),
            n_water=Count("pk", filter=water),
        )
        .order_by()
    ):
        out[r["org_unit_id"]] = Figures(
            kgce=r["ce"] or ZERO,
            kgce_vehicle=r["ce_v"] or ZERO,
            kgco2=r["co2"] or ZERO,
            kgco2_vehicle=r["co2_v"] or ZERO,
            water=r["water"] or ZERO,
            cost=r["cost"] or ZERO,
            has_records=True,
            has_water=bool(r["n_water"]),
        )
    for unit_id, area, users in InstitutionProfile.objects.filter(unit_q, year=year).values_list(
        "org_unit_id", "building_area", "energy_users"
    ):
        f = out.setdefault(unit_id, Figures())
        f.area, f.users, f.institutions = area, users, 1
    return out


# --- Raw statements (portable SQL) ----------------------------------------------------------------------

_RECORDS = ConsumptionRecord._meta.db_table
_PROFILES = InstitutionProfile._meta.db_table
_UNITS = OrgUnit._meta.db_table


def _in(values) -> tuple[str, list]:
    values = list(values)
    return ", ".join(["%s"] * len(values)), values


def _dec(value, places: int) -> Decimal | None:
    """A sum read from a raw cursor as the ORM reads a column: PostgreSQL gives ``Decimal`` already; SQLite
    gives a float (or an int), taken to the column's decimals as Django's SQLite converter does."""
    if value is None or isinstance(value, Decimal):
        return value
    exact = decimal.Context(prec=15).create_decimal_from_float(value)
    return exact.quantize(Decimal(1).scaleb(-places), context=decimal.Context(prec=30))


def _fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _months_sql(months, alias: str) -> tuple[str, list]:
    """The month condition, as ``_months_q`` writes it: none for the whole year, a range for a quarter (so the
    quarter's partitions are read, not the year's), a list otherwise."""
    span = _month_range(months)
    if span == (1, 12):
        return "", []
    if span:
        return f" AND {alias}.month BETWEEN %s AND %s", list(span)
    marks, params = _in(months)
    return f" AND {alias}.month IN ({marks})", params


# --- 同类机构百分位 ---------------------------------------------------------------------------------------


def percentile(unit: OrgUnit, year: int) -> dict | None:
    """ENERGY STAR-style score: the share (%) of institutions of the same type whose energy per m² is higher
    (worse) than this one's; 100 is the most efficient. Ties count half. The peers are the institutions with a
    profile of that type and year and records in it; each one's per-m² figure is ``rules.ratio`` of its sums,
    which one grouped query returns (one row per peer). Two queries."""
    profile = InstitutionProfile.objects.filter(org_unit=unit, year=year).first()
    if profile is None:
        return None
    fuels, fuel_params = _in(rules.VEHICLE_FUELS)
    rows = _fetch(
        f"SELECT p.org_unit_id, p.building_area, SUM(r.kgce),"
        f" SUM(CASE WHEN r.energy_type IN ({fuels}) THEN r.kgce END)"
        f" FROM {_PROFILES} p JOIN {_RECORDS} r ON r.org_unit_id = p.org_unit_id AND r.year = p.year"
        f" WHERE p.year = %s AND p.category = %s GROUP BY p.org_unit_id, p.building_area",
        [*fuel_params, year, profile.category],
    )
    values = {}
    for unit_id, area, kgce, vehicle in rows:
        area = _dec(area, 2)
        if area:
            values[unit_id] = rules.ratio(_dec(kgce, 4) - (_dec(vehicle, 4) or ZERO), area)
    mine = values.get(unit.pk)
    if mine is None:
        return None
    worse = sum(1 for v in values.values() if v > mine)
    ties = sum(1 for v in values.values() if v == mine) - 1
    n = len(values)
    score = round(100 * (worse + ties / 2) / (n - 1)) if n > 1 else 100
    return {"score": score, "peers": n, "category": profile.get_category_display(), "value": mine}


# --- Summary tables (部门汇总 / 行政区域汇总 / 分类汇总) -------------------------------------------------

SUMMARY_BY = {"department": "部门汇总", "region": "行政区域汇总", "category": "分类汇总"}
NO_PROFILE = "未填基本信息"
NO_REGION = "其他"


def _groups_sql(by: str, units: QuerySet, year: int) -> tuple[str, list]:
    """The CTEs ending in ``grp(unit_id, anchor)``: each institution of ``units`` and the key of its group, and
    their parameters. Category: the type of the year's profile ('' without one). Department: the path of the
    outermost institution of ``units`` above it (itself when none); region: the path of its nearest region (''
    without one). ``units`` stays a subquery, so the statement takes as many parameters for 20,000
    institutions as for one (SQLite refuses more than 32,766). An institution's ancestors are the prefixes of
    its path, one per tree level (``step``), joined on the path: an equality the planner hashes, where a
    correlated lookup per institution, or per record row, was slower than the whole previous computation."""
    if by == "category":
        units_sql, units_params = units.order_by().values("pk").query.sql_with_params()
        sql = (
            f"WITH grp(unit_id, anchor) AS (SELECT u.id, COALESCE(p.category, '') FROM {_UNITS} u"
            f" LEFT JOIN {_PROFILES} p ON p.org_unit_id = u.id AND p.year = %s WHERE u.id IN ({units_sql}))"
        )
        return sql, [year, *units_params]
    units_sql, units_params = units.order_by().values("pk", "path").query.sql_with_params()
    step = OrgUnit.steplen
    if by == "department":
        above = "JOIN scope a ON a.path = SUBSTR(s.path, 1, step.n)"
        anchor = "MIN(a.path)"  # a path's prefixes sort before it: the outermost
    else:
        above = f"LEFT JOIN {_UNITS} a ON a.path = SUBSTR(s.path, 1, step.n) AND a.level = %s"
        anchor = "COALESCE(MAX(a.path), '')"  # the innermost
    sql = (
        f"WITH RECURSIVE scope(id, path) AS ({units_sql}),"
        " step(n) AS (SELECT %s UNION ALL SELECT n + %s FROM step WHERE n < (SELECT MAX(LENGTH(path)) FROM scope)),"
        f" grp(unit_id, anchor) AS (SELECT s.id, {anchor} FROM scope s"
        f" JOIN step ON step.n <= LENGTH(s.path) {above} GROUP BY s.id ORDER BY s.id)"
    )
    # ORDER BY: the records are then looked up institution by institution in id order — the order they were
    # written in, so their index and heap pages are read in turn, not at random (hashed order read the
    # province's year a third slower).
    return sql, [*units_params, step, step, *([] if by == "department" else [OrgUnit.Level.REGION])]


def _kinds_sql() -> tuple[str, list]:
    """The energy types as rows the summary's statement joins — ``kinds(energy_type, pos, vehicle, water)``:
    each type's column in the summary (its place in ``EnergyType``), and whether ``rules`` counts it as vehicle
    fuel (left out of the per-m² figures) or as water (the per-person water). The rules stay in ``rules``; the
    SQL only reads these flags."""
    rows = [
        (t, pos, int(t in rules.VEHICLE_FUELS), int(t == EnergyType.WATER)) for pos, t in enumerate(EnergyType.values)
    ]
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    return f" kinds(energy_type, pos, vehicle, water) AS (VALUES {values})", [v for row in rows for v in row]


def summary_of(units: QuerySet, *, year: int, by: str, months=range(1, 13)) -> list[tuple[str, Figures]]:
    """Rows of (group name, Figures) for the institutions ``units`` (a queryset of OrgUnits; the caller scopes
    it). "department" groups by the outermost institution of ``units`` above each one (its 主管部门, itself when
    none), "region" by the nearest region, "category" by the institution type of the year's profile. An
    institution counts where it has records in the period or a profile of the year. One statement, one row per
    group: the records summed per group and type (the cells), then per group — its totals (vehicle fuel and
    water as ``rules`` says, through ``kinds``), the cells as one column per type, its profiles' sums and its
    name; here each row only becomes a ``Figures``."""
    groups_sql, params = _groups_sql(by, units, year)
    kinds_sql, kinds_params = _kinds_sql()
    month_cond, month_params = _months_sql(months, "r")
    n_types = len(EnergyType.values)
    # The second aggregate reads the cells (33,000 for a province), not the records, once — an earlier version
    # kept them in a materialized CTE read twice, which cost more than Python's adding. Here it costs the sort
    # of the cells by group and saves building 3,000 groups from 36,000 rows (bench/README.md, branch dept).
    # The totals are sums of the cell sums, so on SQLite (float sums) they add up what the cells add up.
    cells = ", ".join(
        f"SUM(x.{col}) FILTER (WHERE k.pos = {pos})" for col in ("q", "c", "ce") for pos in range(n_types)
    )
    named = by != "category"
    rows = _fetch(
        f"{groups_sql},{kinds_sql}"
        f" SELECT s.*{', n.name' if named else ''} FROM ("
        " SELECT x.anchor, SUM(x.area), SUM(x.users), SUM(x.n), SUM(x.ce), SUM(x.ce) FILTER (WHERE k.vehicle = 1),"
        " SUM(x.co2), SUM(x.co2) FILTER (WHERE k.vehicle = 1), SUM(x.q) FILTER (WHERE k.water = 1), SUM(x.c),"
        f" {cells} FROM ("
        " SELECT g.anchor, r.energy_type, SUM(r.base_quantity) AS q, SUM(r.cost) AS c, SUM(r.kgce) AS ce,"
        " SUM(r.kgco2) AS co2, NULL AS area, NULL AS users, NULL AS n"
        f" FROM {_RECORDS} r JOIN grp g ON g.unit_id = r.org_unit_id WHERE r.year = %s{month_cond}"
        " GROUP BY g.anchor, r.energy_type"
        " UNION ALL"
        " SELECT g.anchor, NULL, NULL, NULL, NULL, NULL, p.building_area, p.energy_users, 1"
        f" FROM {_PROFILES} p JOIN grp g ON g.unit_id = p.org_unit_id WHERE p.year = %s"
        ") x LEFT JOIN kinds k ON k.energy_type = x.energy_type GROUP BY x.anchor) s"
        f"{f' LEFT JOIN {_UNITS} n ON n.path = s.anchor' if named else ''}",
        [*params, *kinds_params, year, *month_params, year],
    )
    # PostgreSQL's numeric sums are exact Decimals; SQLite's are floats, taken to the columns' decimals as the
    # ORM reads a column.
    exact = connection.vendor != "sqlite"
    types = EnergyType.values
    by_anchor: dict[str, Figures] = {}
    labels: dict[str, str] = {}
    for anchor, area, users, n, ce, ce_v, co2, co2_v, water, cost, *rest in rows:
        if not exact:
            area, water, cost = _dec(area, 2), _dec(water, 4), _dec(cost, 2)
            ce, ce_v, co2, co2_v = _dec(ce, 4), _dec(ce_v, 4), _dec(co2, 4), _dec(co2_v, 4)
            rest[: 3 * n_types] = [
                _dec(v, 2 if n_types <= i < 2 * n_types else 4) for i, v in enumerate(rest[: 3 * n_types])
            ]
        q, c, e = rest[:n_types], rest[n_types : 2 * n_types], rest[2 * n_types : 3 * n_types]
        by_anchor[anchor] = Figures(
            kgce=ce or ZERO,
            kgce_vehicle=ce_v or ZERO,
            kgco2=co2 or ZERO,
            kgco2_vehicle=co2_v or ZERO,
            water=water or ZERO,
            cost=cost or ZERO,
            area=area or ZERO,
            users=users or 0,
            institutions=n or 0,
            by_type={
                t: {"quantity": tq, "cost": tc or ZERO, "kgce": te}
                for t, tq, tc, te in zip(types, q, c, e, strict=True)
                if tq is not None
            },
            has_records=ce is not None,
            has_water=water is not None,
        )
        if named:
            labels[anchor] = rest[3 * n_types] or NO_REGION
        else:
            labels[anchor] = rules.InstitutionCategory(anchor).label if anchor else NO_PROFILE
    # Two anchors of one name (two regions called alike) make one row, as they read, where the first is.
    groups: dict[str, Figures] = {}
    order: dict[str, str] = {}
    for anchor in sorted(by_anchor):
        key = labels[anchor]
        if key in groups:
            _merge(groups[key], by_anchor[anchor])
        else:
            groups[key], order[key] = by_anchor[anchor], key if by == "category" else anchor
    return sorted(groups.items(), key=lambda kv: order[kv[0]])


def _merge(into: Figures, other: Figures) -> None:
    for name in ("kgce", "kgce_vehicle", "kgco2", "kgco2_vehicle", "water", "cost", "area", "users", "institutions"):
        setattr(into, name, getattr(into, name) + getattr(other, name))
    for energy_type, cell in other.by_type.items():
        mine = into.by_type.setdefault(energy_type, {"quantity": ZERO, "cost": ZERO, "kgce": ZERO})
        for k, v in cell.items():
            mine[k] += v
    into.has_records |= other.has_records
    into.has_water |= other.has_water
