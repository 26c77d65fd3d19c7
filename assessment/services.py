"""Every write of the assessment module: one function per action, in one transaction, raising
``ValidationError`` (in Chinese, naming the indicator / row / column) or ``PermissionDenied``;
nothing is written when a check fails.

* ``enter_values`` — an agency enters its indicator values (with evidence files);
* ``compute_platform_indicators`` — the computed indicators, from other apps' selectors only
  (read-only): 数字平台构建 from the portal's tickets, 府际竞争压力 from the adjacent provinces;
* ``score_round`` — composite index, level, strongest / weakest dimension, recommendation
  (the method is ``rules.composite``);
* ``run_analysis`` — fsQCA over a round's cases through ``assessment.qca``, stored as JSON.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from datahub import scoping
from datahub.models import OrgUnit

from . import qca, rules, selectors
from .models import Analysis, Framework, Indicator, IndicatorValue, Round, Score

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
        raise PermissionDenied("只有机关事务管理局管理员可以新建指标框架版本。")
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
    *, actor, name: str, year: int, framework: Framework, org_unit: OrgUnit, case_level: str, is_demo=False, note=""
) -> Round:
    """Open an assessment round over ``org_unit`` (only a manager covering it may); its name is
    unique within the scope and year."""
    if not scoping.covers(actor, org_unit, roles=selectors.MANAGERS):
        raise PermissionDenied("只有该范围的机关事务管理局管理员可以发起评估轮次。")
    errors = {}
    if not name.strip():
        errors["name"] = "请填写名称。"
    if not 2000 <= int(year) <= 2100:
        errors["year"] = "年度应在2000至2100之间。"
    if case_level not in OrgUnit.Level.values:
        errors["case_level"] = "评估对象层级无效。"
    if Round.objects.filter(org_unit=org_unit, year=year, name=name.strip()).exists():
        errors["name"] = "该范围同一年度已有同名的评估轮次。"
    if errors:
        raise ValidationError(errors)
    return Round.objects.create(
        name=name.strip(),
        year=year,
        framework=framework,
        org_unit=org_unit,
        case_level=case_level,
        is_demo=is_demo,
        note=note,
    )


# --- Values -------------------------------------------------------------------------------------


def _check_case(round_: Round, unit: OrgUnit) -> None:
    inside = unit.path.startswith(round_.org_unit.path) and unit.pk != round_.org_unit_id
    if not (inside and unit.level == round_.case_level and unit.is_active):
        raise ValidationError(f"“{unit.name}”不是本轮评估的对象。")


@transaction.atomic
def enter_values(
    *, actor, round_: Round, unit: OrgUnit, values: dict, evidence: dict | None = None, notes: dict | None = None
) -> list[IndicatorValue]:
    """Record a case's entered indicator values (``{indicator code: raw value}``).

    Every entered indicator of the framework must be present and numeric and within its range;
    any failure refuses the whole form (errors keyed by indicator code). Computed indicators are
    not entered here. Evidence files (``{code: UploadedFile}``) are optional per value.
    """
    if not selectors.can_enter(actor, unit):
        raise PermissionDenied("您没有为该单位填报评估指标的权限。")
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
        row, _ = IndicatorValue.objects.select_for_update().get_or_create(
            round=round_,
            indicator=ind,
            org_unit=unit,
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
    computed indicator (cases whose data is not on the platform, e.g. the demo regions) is kept."""
    if not scoping.covers(actor, round_.org_unit, roles=selectors.ENTRY_ROLES):
        raise PermissionDenied("只有覆盖整个评估范围的管理员可以计算平台指标。")
    cases = list(selectors.cases_of(round_))
    indicators = {i.code: i for i in selectors.indicators_of(round_.framework)}
    table = selectors.value_table(round_)
    manual = set(
        IndicatorValue.objects.filter(round=round_)
        .exclude(origin=IndicatorValue.Origin.COMPUTED)
        .values_list("indicator__code", "org_unit_id")
    )
    written: dict[str, int] = {}
    for ind in indicators.values():
        if ind.measurement != rules.Measurement.COMPUTED:
            continue
        if ind.source == rules.Source.PORTAL_ONLINE:
            computed = selectors.portal_online_share(actor, cases)
        elif ind.source == rules.Source.PORTAL_DOMAINS:
            computed = selectors.portal_domains_in_use(actor, cases)
        elif ind.source == rules.Source.PORTAL_ON_TIME:
            computed = selectors.portal_service_quality(actor, cases, "on_time")
        elif ind.source == rules.Source.PORTAL_SATISFACTION:
            computed = selectors.portal_service_quality(actor, cases, "satisfaction")
        elif ind.source == rules.Source.ADJACENT_MEAN:
            basis_code = rules.ADJACENT_BASIS.get(ind.code, "Y")
            basis = {uid: row[basis_code] for uid, row in table.items() if basis_code in row}
            computed = rules.adjacent_mean({u.pk: u.region_code for u in cases}, basis)
        else:
            continue
        count = 0
        for unit_id, value in computed.items():
            if value is None or (ind.code, unit_id) in manual:
                continue
            IndicatorValue.objects.update_or_create(
                round=round_,
                indicator=ind,
                org_unit_id=unit_id,
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
        raise PermissionDenied("只有覆盖整个评估范围的管理员可以计分。")
    indicators = [i for i in selectors.indicators_of(round_.framework) if i.weight > 0 and i.dimension != "Y"]
    if not indicators:
        raise ValidationError("该框架没有权重大于0的指标，无法计分。")
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
    Score.objects.filter(round=round_).exclude(org_unit__in=complete).delete()
    for rank, unit in enumerate(ranked, start=1):
        r = results[unit.pk]
        Score.objects.update_or_create(
            round=round_,
            org_unit=unit,
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


# --- fsQCA analysis ------------------------------------------------------------------------------


def _anchors(code: str, values: list[float], spec: dict, direction: int) -> tuple[float, float, float]:
    method = (spec or {}).get("method", "quantile")
    if method == "explicit":
        try:
            e, c, i = (float(a) for a in spec["anchors"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"“{code}”的校准锚点应为三个数字（完全不隶属、交叉点、完全隶属）。") from exc
        return e, c, i
    if method != "quantile":
        raise ValidationError(f"“{code}”的校准方法“{method}”无效（quantile 或 explicit）。")
    e, c, i = qca.quantile_anchors(values, (0.05, 0.5, 0.95), name=code)
    # A negative indicator: "good" is low, so the set is decreasing.
    return (i, c, e) if direction < 0 else (e, c, i)


@transaction.atomic
def run_analysis(
    *,
    actor,
    round_: Round,
    name: str,
    outcome: str,
    conditions: list[str],
    calibration: dict | None = None,
    incl_cut: float = 0.8,
    n_cut: int = 1,
    pri_cut: float = 0.0,
    expectations: list[str] | None = None,
    path_names: dict | None = None,
) -> Analysis:
    """Calibrate the chosen variables of every case of the round, run necessity, the truth table and
    the minimization, name the paths and store everything.

    ``calibration``: ``{code: {"method": "quantile"}}`` (anchors at the 5% / 50% / 95% quantiles,
    the default) or ``{"method": "explicit", "anchors": [exclusion, crossover, inclusion]}``.
    ``expectations``: directional expectations (default: every condition present, as in the study);
    the paths are the terms of the first model of the intermediate solution (or the conservative one
    when nothing is expected). ``path_names``: ``{term expression: name}`` overrides the default
    names (技术驱动型 / 压力驱动型 / 协同共生型 by the core conditions, ``rules.name_paths``)."""
    if not selectors.can_analyse(actor, round_):
        raise PermissionDenied("组态分析比较本轮全部案例，只有覆盖整个评估范围的人员可以进行。")
    calibration = calibration or {}
    negate = outcome.startswith("~")
    out_code = outcome.lstrip("~")
    conditions = [c.strip() for c in conditions if c and c.strip()]
    errors = {}
    if not name.strip():
        errors["name"] = "请填写分析名称。"
    if not conditions:
        errors["conditions"] = "请至少选择一个条件变量。"
    elif len(set(conditions)) != len(conditions):
        errors["conditions"] = "条件变量不能重复。"
    elif out_code in conditions:
        errors["conditions"] = "结果变量不能同时作为条件变量。"
    elif len(conditions) > qca.MAX_CONDITIONS:
        errors["conditions"] = f"条件变量最多 {qca.MAX_CONDITIONS} 个（当前 {len(conditions)} 个）。"
    if errors:
        raise ValidationError(errors)
    codes = [out_code, *conditions]
    names = {c: selectors.variable_name(round_, c) for c in codes}
    directions = dict(round_.framework.indicators.values_list("code", "direction"))
    cases, raw = selectors.analysis_data(round_, codes)
    if len(cases) < qca.MIN_CASES:
        raise ValidationError(f"本轮只有 {len(cases)} 个案例，QCA 分析至少需要 {qca.MIN_CASES} 个。")
    missing = {c: [u.name for u, v in zip(cases, raw[c], strict=True) if v is None] for c in codes}
    problems = [
        f"“{names[c]}”缺少以下案例的数值：{'、'.join(m[:10])}{'等' if len(m) > 10 else ''}"
        for c, m in missing.items()
        if m
    ]
    if problems:
        raise ValidationError(problems)
    case_names = [u.name for u in cases]
    try:
        calibrated: dict[str, list[float]] = {}
        anchors: dict[str, list[float]] = {}
        for c in codes:
            values = [float(v) for v in raw[c]]
            a = _anchors(c, values, calibration.get(c, {}), directions.get(c, 1))
            anchors[c] = list(a)
            calibrated[c] = [float(x) for x in qca.calibrate(values, *a, name=names[c])]
        outcome_label = ("~" if negate else "") + out_code
        nec = qca.necessity(calibrated, outcome_label, conditions, cases=case_names)
        table = qca.truth_table(
            calibrated, outcome_label, conditions, incl_cut=incl_cut, n_cut=n_cut, pri_cut=pri_cut, cases=case_names
        )
        expectations = list(conditions) if expectations is None else list(expectations)
        result = qca.minimize(table, include_remainders=True, directional_expectations=expectations or None)
        if expectations and result.intermediate:
            solution = result.intermediate[0]
            which = "intermediate"
        else:
            solution = result.conservative
            which = "conservative"
        config = qca.configuration_table(result, which=which)
    except qca.QCAError as exc:
        raise ValidationError(str(exc)) from exc
    model = solution.models[0]
    paths = _named_paths(result, solution, model, path_names)
    case_rows = []
    for k, unit in enumerate(cases):
        covered = [p["label"] for p in paths if float(p["term"].membership[k]) > 0.5]
        case_rows.append(
            {
                "unit_id": unit.pk,
                "name": unit.name,
                "raw": {c: float(raw[c][k]) for c in codes},
                "calibrated": {c: calibrated[c][k] for c in codes},
                "paths": covered,
                "memberships": {p["label"]: float(p["term"].membership[k]) for p in paths},
                "solution": float(model.membership[k]),
                "y": 1 - calibrated[out_code][k] if negate else calibrated[out_code][k],
            }
        )
    stored = {
        "outcome": outcome_label,
        "negated": negate,
        "conditions": conditions,
        "names": names,
        "anchors": anchors,
        "solution_kind": which,
        "solution_expression": model.expression,
        "solution_consistency": model.consistency,
        "solution_coverage": model.coverage,
        "necessity": [r.to_dict() for r in nec],
        "truth_table": table.to_dict(remainders=False),
        "minimize": result.to_dict(),
        "configuration": config,
        "paths": [
            {
                "name": p["name"],
                "label": p["label"],
                "kind": p["kind"],
                "path": p["path"],
                "variant": p["variant"],
                "core": p["core"],
                "expression": p["expression"],
                "consistency": p["term"].inclS,
                "raw_coverage": p["term"].covS,
                "unique_coverage": p["term"].covU,
                "cases": [c["name"] for c in case_rows if p["label"] in c["paths"]],
            }
            for p in paths
        ],
        "cases": case_rows,
    }
    return Analysis.objects.create(
        round=round_,
        name=name.strip(),
        outcome=outcome,
        conditions=conditions,
        calibration={
            c: {"method": calibration.get(c, {}).get("method", "quantile"), "anchors": anchors[c]} for c in codes
        },
        incl_cut=incl_cut,
        n_cut=n_cut,
        pri_cut=pri_cut,
        expectations=expectations,
        path_names={p["expression"]: p["name"] for p in paths},
        result=_jsonable(stored),
        created_by=actor,
    )


@transaction.atomic
def rename_paths(*, actor, analysis: Analysis, names: dict[str, str]) -> Analysis:
    """Give the paths of a stored analysis custom names (``{expression: name}``)."""
    if not selectors.can_analyse(actor, analysis.round):
        raise PermissionDenied("您没有修改该分析的权限。")
    result = analysis.result
    old_to_new = {}
    for p in result.get("paths", []):
        new = str(names.get(p["expression"], "")).strip()[:40]
        if new and new != p["name"]:
            old = p.get("label", p["name"])
            p["name"] = new
            p["label"] = _path_label(new, p.get("variant", ""), p.get("path"), result.get("paths", []))
            old_to_new[old] = p["label"]
    for case in result.get("cases", []):
        case["paths"] = [old_to_new.get(n, n) for n in case["paths"]]
        case["memberships"] = {old_to_new.get(n, n): m for n, m in case["memberships"].items()}
    analysis.path_names = {p["expression"]: p["name"] for p in result.get("paths", [])}
    analysis.result = result
    analysis.save(update_fields=["path_names", "result"])
    return analysis


def _path_label(name: str, variant: str, path, all_paths) -> str:
    """A path's label: its name, plus the variant (1a, 1b…) when the path has several terms."""
    several = sum(1 for q in all_paths if q.get("path") == path) > 1 if path is not None else False
    return f"{name}（{variant}）" if several else name


def _named_paths(result, solution, model, custom: dict | None) -> list[dict]:
    """The terms of ``model`` named by their core conditions (``rules.name_paths``): core is
    what the parsimonious model paired with ``solution`` keeps of a term (Fiss)."""
    pars_models = result.parsimonious.models if result.parsimonious else ()
    pars = pars_models[solution.parsimonious_model or 0] if pars_models else None
    pars_terms = pars.terms if pars is not None else ()
    assigned = rules.name_paths([(t.expression, t.literals, qca.core_literals(t, pars_terms)) for t in model.terms])
    custom = dict(custom or {})
    paths = []
    for term, a in zip(model.terms, assigned, strict=True):
        name = str(custom.get(term.expression) or a.name)
        paths.append(
            {
                "expression": term.expression,
                "kind": a.kind,
                "name": name,
                "path": a.path,
                "variant": a.variant,
                "core": [c for c, _ in a.core],
                "term": term,
            }
        )
    for p in paths:
        p["label"] = _path_label(p["name"], p["variant"], p["path"], paths)
    return paths


def _jsonable(obj):
    """NaN / numpy scalars → JSON-safe values."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if hasattr(obj, "item"):
        return _jsonable(obj.item())
    return obj
