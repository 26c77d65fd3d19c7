"""Every write of the assessment module: one function per action, in one transaction, raising
``ValidationError`` (in Chinese, naming the indicator / row / column) or ``PermissionDenied``;
nothing is written when a check fails.

* ``enter_values`` — an agency enters its indicator values (with evidence files);
* ``compute_platform_indicators`` — the computed indicators, from other apps' selectors only
  (read-only): 数字平台构建 from the portal's tickets, 府际竞争压力 from the adjacent provinces;
* ``score_round`` — composite index, level, strongest / weakest dimension, recommendation
  (the method is ``rules.composite``);
* ``run_analysis`` / ``rename_paths`` — fsQCA over a round's cases (``assessment/analyses.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datahub import scoping
from datahub.models import OrgUnit

from . import rules, selectors
from .analyses import rename_paths, run_analysis
from .models import Framework, Indicator, IndicatorValue, Round, Score, StudyCase

# --- Framework and rounds ---------------------------------------------------------------------


@transaction.atomic
def ensure_default_framework() -> Framework:
    """The default TOE framework v1 (the data migration makes it; this is the idempotent fallback)."""
    framework, created = Framework.objects.get_or_create(
        code=rules.DEFAULT_FRAMEWORK_CODE, version=1, defaults={"name": rules.DEFAULT_FRAMEWORK_NAME}
    )
    if created:
        for order, row in enumerate(rules.DEFAULT_FRAMEWORK):
            code, name, dim, definition, unit, direction, weight, measurement, source, lo, hi = row
            Indicator.objects.create(
                framework=framework,
                code=code,
                name=name,
                dimension=dim,
                definition=definition,
                unit=unit,
                direction=direction,
                weight=Decimal(weight),
                measurement=measurement,
                source=source,
                min_value=Decimal(lo),
                max_value=Decimal(hi),
                order=order,
            )
    return framework


@transaction.atomic
def framework_new_version(*, actor, framework: Framework) -> Framework:
    """Copy a framework and its indicators as the next version (the way to change weights once
    rounds use a version: those rounds keep the version they were scored with)."""
    if not scoping.holds_any(actor, selectors.MANAGERS):
        raise PermissionDenied(_("只有机关事务管理局管理员可以新建指标框架版本。"))
    latest = Framework.objects.filter(code=framework.code).order_by("-version").first()
    copy = Framework.objects.create(
        code=framework.code,
        version=latest.version + 1,
        name=framework.name,
        note=f"由 v{framework.version} 复制。{framework.note}"[:2000],
        is_active=True,
    )
    Indicator.objects.bulk_create(
        Indicator(
            framework=copy,
            **{
                f.name: getattr(ind, f.name)
                for f in Indicator._meta.concrete_fields
                if f.name not in ("id", "framework")
            },
        )
        for ind in framework.indicators.all()
    )
    return copy


@transaction.atomic
def create_round(
    *,
    actor,
    name: str,
    year: int,
    framework: Framework,
    org_unit: OrgUnit,
    case_level: str,
    external: bool = False,
    is_demo=False,
    note="",
) -> Round:
    """Open an assessment round over ``org_unit`` (only a manager covering it may); its name is
    unique within the scope and year. ``external``: the cases are the study cases ``org_unit`` owns
    (``add_study_case``), not org units."""
    if not scoping.covers(actor, org_unit, roles=selectors.MANAGERS):
        raise PermissionDenied(_("只有该范围的机关事务管理局管理员可以发起评估轮次。"))
    errors = {}
    if not name.strip():
        errors["name"] = _("请填写名称。")
    if not 2000 <= int(year) <= 2100:
        errors["year"] = _("年度应在2000至2100之间。")
    if case_level not in OrgUnit.Level.values:
        errors["case_level"] = _("评估对象层级无效。")
    if Round.objects.filter(org_unit=org_unit, year=year, name=name.strip()).exists():
        errors["name"] = _("该范围同一年度已有同名的评估轮次。")
    if errors:
        raise ValidationError(errors)
    return Round.objects.create(
        name=name.strip(),
        year=year,
        framework=framework,
        org_unit=org_unit,
        case_level=case_level,
        external=bool(external),
        is_demo=is_demo,
        note=note,
    )


@transaction.atomic
def add_study_case(*, actor, owner: OrgUnit, code: str, name: str, region_code: str = "", note: str = "") -> StudyCase:
    """Add (or rename) an external case of ``owner``'s studies — a province in a cross-region
    comparison. Study cases are not org units: they never enter the directory. Only a manager
    covering ``owner`` may; the code is unique per owner."""
    if not scoping.covers(actor, owner, roles=selectors.MANAGERS):
        raise PermissionDenied(_("只有该单位的机关事务管理局管理员可以维护研究案例。"))
    code, name, region_code = code.strip(), name.strip(), region_code.strip()
    errors = {}
    if not code or len(code) > 40:
        errors["code"] = _("案例编码应为1至40个字符。")
    if not name or len(name) > 100:
        errors["name"] = _("案例名称应为1至100个字符。")
    if region_code and not (region_code.isdigit() and len(region_code) in (2, 4, 6, 12)):
        errors["region_code"] = _("行政区划代码应为2、4、6或12位数字。")
    if errors:
        raise ValidationError(errors)
    case, _created = StudyCase.objects.update_or_create(
        owner=owner, code=code, defaults={"name": name, "region_code": region_code, "note": note[:300]}
    )
    return case


# --- Values -------------------------------------------------------------------------------------


def _check_case(round_: Round, unit) -> None:
    """An internal round's case is an active unit at its level below the scope; an external one's a
    study case owned by the scope unit."""
    if round_.external:
        ok = isinstance(unit, StudyCase) and unit.owner_id == round_.org_unit_id
    else:
        inside = isinstance(unit, OrgUnit) and unit.path.startswith(round_.org_unit.path)
        ok = inside and unit.pk != round_.org_unit_id and unit.level == round_.case_level and unit.is_active
    if not ok:
        raise ValidationError(_("“%(name)s”不是本轮评估的对象。") % {"name": unit.name})


@transaction.atomic
def enter_values(
    *, actor, round_: Round, unit, values: dict, evidence: dict | None = None, notes: dict | None = None
) -> list[IndicatorValue]:
    """Record a case's entered indicator values (``{indicator code: raw value}``).

    Every entered indicator of the framework must be present and numeric and within its range;
    any failure refuses the whole form (errors keyed by indicator code). Computed indicators are
    not entered here. Evidence files (``{code: UploadedFile}``) are optional per value.
    """
    if not selectors.can_enter(actor, unit):
        raise PermissionDenied(_("您没有为该单位填报评估指标的权限。"))
    _check_case(round_, unit)
    evidence = evidence or {}
    notes = notes or {}
    indicators = [i for i in selectors.indicators_of(round_.framework) if i.measurement == rules.Measurement.ENTERED]
    errors: dict[str, list[str]] = {}
    parsed: dict[str, Decimal] = {}
    for ind in indicators:
        value, message = rules.parse_value(ind, values.get(ind.code))
        if message:
            errors.setdefault(ind.code, []).append(message)
        else:
            parsed[ind.code] = value
    for code, file in evidence.items():
        if file is None:
            continue
        try:
            IndicatorValue._meta.get_field("evidence").run_validators(file)
        except ValidationError as exc:
            errors.setdefault(code, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    saved = []
    for ind in indicators:
        row, _created = IndicatorValue.objects.select_for_update(of=("self",)).get_or_create(
            round=round_,
            indicator=ind,
            **{round_.case_field: unit},
            defaults={"value": parsed[ind.code], "entered_by": actor, "origin": IndicatorValue.Origin.ENTERED},
        )
        row.value = parsed[ind.code]
        row.entered_by = actor
        row.origin = IndicatorValue.Origin.ENTERED
        row.note = str(notes.get(ind.code, row.note))[:300]
        file = evidence.get(ind.code)
        if file is not None:
            row.evidence.save(file.name, file, save=False)
            row.evidence_name = file.name[:200]
        row.save()
        saved.append(row)
    return saved


# --- Platform-derived indicators ---------------------------------------------------------------


@transaction.atomic
def compute_platform_indicators(*, actor, round_: Round) -> dict[str, int]:
    """Write the computed indicators of every case. A value entered or imported by hand for a
    computed indicator (cases whose data is not on the platform) is kept. An external round's study
    cases have no platform data: only the adjacency method (府际竞争压力) is computed for them."""
    if not scoping.covers(actor, round_.org_unit, roles=selectors.ENTRY_ROLES):
        raise PermissionDenied(_("只有覆盖整个评估范围的管理员可以计算平台指标。"))
    cases = list(selectors.cases_of(round_))
    indicators = {i.code: i for i in selectors.indicators_of(round_.framework)}
    table = selectors.value_table(round_)
    manual = set(
        IndicatorValue.objects.filter(round=round_)
        .exclude(origin=IndicatorValue.Origin.COMPUTED)
        .values_list("indicator__code", f"{round_.case_field}_id")
    )
    written: dict[str, int] = {}
    for ind in indicators.values():
        if ind.measurement != rules.Measurement.COMPUTED:
            continue
        if round_.external and ind.source != rules.Source.ADJACENT_MEAN:
            continue
        if ind.source == rules.Source.ADJACENT_MEAN:
            basis_code = rules.ADJACENT_BASIS.get(ind.code, "Y")
            basis = {uid: row[basis_code] for uid, row in table.items() if basis_code in row}
            computed = rules.adjacent_mean({u.pk: u.region_code for u in cases}, basis)
        else:
            computed = selectors.platform_values(actor, round_, ind.source, cases)
        if computed is None:
            continue
        count = 0
        for unit_id, value in computed.items():
            if value is None or (ind.code, unit_id) in manual:
                continue
            IndicatorValue.objects.update_or_create(
                round=round_,
                indicator=ind,
                **{f"{round_.case_field}_id": unit_id},
                defaults={"value": value, "origin": IndicatorValue.Origin.COMPUTED, "entered_by": None},
            )
            count += 1
        written[ind.code] = count
    return written


# --- Scoring ---------------------------------------------------------------------------------


@dataclass
class ScoringResult:
    scored: int
    incomplete: list[str]


@transaction.atomic
def score_round(*, actor, round_: Round) -> ScoringResult:
    """Score every case with a value for every weighted indicator; the others are listed as incomplete.

    Normalisation is within the round over the complete cases (see ``rules``)."""
    if actor is not None and not scoping.covers(actor, round_.org_unit, roles=selectors.ENTRY_ROLES):
        raise PermissionDenied(_("只有覆盖整个评估范围的管理员可以计分。"))
    indicators = [i for i in selectors.indicators_of(round_.framework) if i.weight > 0 and i.dimension != "Y"]
    if not indicators:
        raise ValidationError(gettext_lazy("该框架没有权重大于0的指标，无法计分。"))
    cases = list(selectors.cases_of(round_))
    table = selectors.value_table(round_)
    codes = [i.code for i in indicators]
    complete = [u for u in cases if all(c in table.get(u.pk, {}) for c in codes)]
    incomplete = [u.name for u in cases if u not in complete]
    normalised = {
        i.code: rules.normalise({u.pk: table[u.pk][i.code] for u in complete}, i.direction) for i in indicators
    }
    weights = {i.code: float(i.weight) for i in indicators}
    dims = {i.code: i.dimension for i in indicators}
    results = {u.pk: rules.composite({c: normalised[c][u.pk] for c in codes}, weights, dims) for u in complete}
    ranked = sorted(complete, key=lambda u: (-results[u.pk].index, u.path))
    Score.objects.filter(round=round_).exclude(**{f"{round_.case_field}__in": complete}).delete()
    for rank, unit in enumerate(ranked, start=1):
        r = results[unit.pk]
        Score.objects.update_or_create(
            round=round_,
            **{round_.case_field: unit},
            defaults={
                "index": rules.decimal(r.index, 2),
                "level": r.level.number,
                "level_name": r.level.name,
                "score_t": _dim(r, "T"),
                "score_o": _dim(r, "O"),
                "score_e": _dim(r, "E"),
                "strongest": r.strongest,
                "weakest": r.weakest,
                "recommendation": r.recommendation,
                "rank": rank,
            },
        )
    Round.objects.filter(pk=round_.pk).update(scored_at=timezone.now())
    return ScoringResult(scored=len(complete), incomplete=incomplete)


def _dim(result: rules.UnitScore, d: str):
    return rules.decimal(result.dimensions[d], 2) if d in result.dimensions else None


# The fsQCA writes live in assessment/analyses.py; they are part of the services' public face.

__all__ = [
    "add_study_case",
    "compute_platform_indicators",
    "create_round",
    "ensure_default_framework",
    "enter_values",
    "framework_new_version",
    "rename_paths",
    "run_analysis",
    "score_round",
]
