"""The per-institution figures, the peer percentile and the summary as they were computed before issue #17 (one
row per institution and energy type brought to Python and summed there): the reference the SQL is checked
against in ``test_figures_sql``. Kept as it was, on purpose; not used by the app."""

from django.db.models import Q, Sum

from datahub.models import OrgUnit
from energy import rules, selectors
from energy.figures import ZERO, Figures
from energy.models import ConsumptionRecord, InstitutionProfile


def figures_by_unit(unit_q: Q, year: int, months=range(1, 13)) -> dict[int, Figures]:
    out: dict[int, Figures] = {}
    for r in (
        ConsumptionRecord.objects.filter(unit_q, year__in=[year], month__in=list(months))
        .values("year", "energy_type", "org_unit_id")
        .annotate(q=Sum("base_quantity"), cost=Sum("cost"), ce=Sum("kgce"), co2=Sum("kgco2"))
        .order_by()
    ):
        out.setdefault(r["org_unit_id"], Figures()).add(r["energy_type"], r["q"], r["cost"], r["ce"], r["co2"])
    for p in InstitutionProfile.objects.filter(unit_q, year=year).values_list(
        "org_unit_id", "building_area", "energy_users"
    ):
        f = out.setdefault(p[0], Figures())
        f.area, f.users, f.institutions = p[1], p[2], 1
    return out


def percentile(unit: OrgUnit, year: int) -> dict | None:
    profile = InstitutionProfile.objects.filter(org_unit=unit, year=year).first()
    if profile is None:
        return None
    peers = figures_by_unit(
        Q(org_unit__in=InstitutionProfile.objects.filter(year=year, category=profile.category).values("org_unit")), year
    )
    values = {u: f.energy_per_m2 for u, f in peers.items() if f.energy_per_m2 is not None and f.area}
    mine = values.get(unit.pk)
    if mine is None:
        return None
    worse = sum(1 for v in values.values() if v > mine)
    ties = sum(1 for v in values.values() if v == mine) - 1
    n = len(values)
    score = round(100 * (worse + ties / 2) / (n - 1)) if n > 1 else 100
    return {"score": score, "peers": n, "category": profile.get_category_display(), "value": mine}


def summary(user, *, year: int, by: str, quarter: int = 0, within=None) -> list[tuple[str, Figures]]:
    months = rules.quarter_months(quarter)
    units = {u.pk: u for u in selectors.institutions_for(user, within=within).only("pk", "path", "name")}
    scoped = Q(org_unit_id__in=list(units))
    per_unit = figures_by_unit(scoped, year, months)
    categories = dict(InstitutionProfile.objects.filter(scoped, year=year).values_list("org_unit_id", "category"))
    groups: dict[str, Figures] = {}
    order: dict[str, str] = {}
    if by == "region":
        anchors = {u.path: u.name for u in OrgUnit.objects.filter(level=OrgUnit.Level.REGION).only("path", "name")}
    elif by == "department":
        anchors = {u.path: u.name for u in units.values()}
    for unit_id, f in per_unit.items():
        unit = units[unit_id]
        if by == "category":
            key = rules.InstitutionCategory(categories[unit_id]).label if unit_id in categories else "未填基本信息"
            sort = key
        else:
            prefixes = [unit.path[:end] for end in range(OrgUnit.steplen, len(unit.path) + 1, OrgUnit.steplen)]
            hits = [p for p in prefixes if p in anchors]
            anchor = (hits[0] if by == "department" else hits[-1]) if hits else ""
            key, sort = anchors.get(anchor, "其他"), anchor
        g = groups.setdefault(key, Figures())
        order[key] = sort
        for t, v in f.by_type.items():
            g.add(t, v["quantity"], v["cost"], v["kgce"], ZERO)
        g.kgco2 += f.kgco2
        g.kgco2_vehicle += f.kgco2_vehicle
        g.area += f.area
        g.users += f.users
        g.institutions += f.institutions
    return sorted(groups.items(), key=lambda kv: order[kv[0]])
