"""The fsQCA writes of the assessment module (``services.run_analysis`` / ``services.rename_paths``):
calibrate a round's cases, necessity, truth table, minimization, the paths named by their core
conditions (``rules.name_paths``), stored as JSON. Split from ``services`` to keep files short."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from datahub.labels import stored as stored_text

from . import qca, rules, selectors
from .models import Analysis, Round

# --- fsQCA analysis ------------------------------------------------------------------------------


def qca_message(exc: qca.QCAError) -> str:
    """The engine's refusal in the reader's language. The engine imports no Django, so its error carries a
    code (the Chinese ``%(name)s`` template, a msgid of the catalogue) and its values; here, at the
    boundary, the code is translated and the values filled in. The Chinese sentence when they do not fit."""
    text = _(exc.code) if exc.code else str(exc)
    try:
        return text % exc.values if exc.values else text
    except (KeyError, ValueError, TypeError):
        return str(exc)


class AnalysisTooComplex(ValidationError):
    """The engine gave up on the minimisation (``qca.TooComplexError``): its Chinese message says so and
    what to do (fewer conditions, a higher consistency cut-off). A ValidationError, so a form or the API
    shows it as it shows any refusal; the background job ends failed with it."""


def minimize(table, **options):
    """The one call of the engine's minimisation, so every limit on it is set in one place: the most equally
    minimal models (``settings.ASSESSMENT_MAX_MODELS``, the engine's default when unset); the time limit
    (``settings.QCA_TIME_LIMIT_SECONDS``) is the engine's default, handed to it in ``AppConfig.ready()``.
    Raises ``AnalysisTooComplex`` with the engine's message."""
    limit = getattr(settings, "ASSESSMENT_MAX_MODELS", None)
    if limit is not None:
        options.setdefault("max_models", limit)
    try:
        return qca.minimize(table, **options)
    except qca.TooComplexError as exc:
        raise AnalysisTooComplex(qca_message(exc)) from exc


def _silent(percent: int, step: str) -> None:
    """No progress to report (an analysis run inside the request)."""


def _anchors(code: str, values: list[float], spec: dict, direction: int) -> tuple[float, float, float]:
    method = (spec or {}).get("method", "quantile")
    if method == "explicit":
        try:
            e, c, i = (float(a) for a in spec["anchors"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                _("“%(code)s”的校准锚点应为三个数字（完全不隶属、交叉点、完全隶属）。") % {"code": code}
            ) from exc
        return e, c, i
    if method != "quantile":
        raise ValidationError(
            _("“%(code)s”的校准方法“%(method)s”无效（quantile 或 explicit）。") % {"code": code, "method": method}
        )
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
    progress=_silent,
) -> Analysis:
    """Calibrate the chosen variables of every case of the round, run necessity, the truth table and
    the minimization, name the paths and store everything.

    ``calibration``: ``{code: {"method": "quantile"}}`` (anchors at the 5% / 50% / 95% quantiles,
    the default) or ``{"method": "explicit", "anchors": [exclusion, crossover, inclusion]}``.
    ``expectations``: directional expectations (default: every condition present, as in the study);
    the paths are the terms of the first model of the intermediate solution (or the conservative one
    when nothing is expected). ``path_names``: ``{term expression: name}`` overrides the default
    names (技术驱动型 / 压力驱动型 / 协同共生型 by the core conditions, ``rules.name_paths``).
    ``progress(percent, step)`` is told each step (the background job's progress, ``jobs``). An engine that
    gives up raises ``AnalysisTooComplex`` (a ValidationError with the engine's Chinese message)."""
    if not selectors.can_analyse(actor, round_):
        raise PermissionDenied(_("组态分析比较本轮全部案例，只有覆盖整个评估范围的人员可以进行。"))
    calibration = calibration or {}
    negate = outcome.startswith("~")
    out_code = outcome.lstrip("~")
    conditions = [c.strip() for c in conditions if c and c.strip()]
    errors = {}
    if not name.strip():
        errors["name"] = _("请填写分析名称。")
    if not conditions:
        errors["conditions"] = _("请至少选择一个条件变量。")
    elif len(set(conditions)) != len(conditions):
        errors["conditions"] = _("条件变量不能重复。")
    elif out_code in conditions:
        errors["conditions"] = _("结果变量不能同时作为条件变量。")
    elif len(conditions) > qca.MAX_CONDITIONS:
        errors["conditions"] = _("条件变量最多 %(MAX_CONDITIONS)s 个（当前 %(count)s 个）。") % {
            "MAX_CONDITIONS": qca.MAX_CONDITIONS,
            "count": len(conditions),
        }
    if errors:
        raise ValidationError(errors)
    codes = [out_code, *conditions]
    names = {c: selectors.variable_name(round_, c) for c in codes}
    directions = dict(round_.framework.indicators.values_list("code", "direction"))
    progress(10, _("读取案例数据"))
    cases, raw = selectors.analysis_data(round_, codes)
    if len(cases) < qca.MIN_CASES:
        raise ValidationError(
            _("本轮只有 %(count)s 个案例，QCA 分析至少需要 %(MIN_CASES)s 个。")
            % {"count": len(cases), "MIN_CASES": qca.MIN_CASES}
        )
    missing = {c: [u.name for u, v in zip(cases, raw[c], strict=True) if v is None] for c in codes}
    problems = [
        _("“%(name)s”缺少以下案例的数值：%(names)s%(more)s")
        % {"name": names[c], "names": _("、").join(m[:10]), "more": _("等") if len(m) > 10 else ""}
        for c, m in missing.items()
        if m
    ]
    if problems:
        raise ValidationError(problems)
    case_names = [u.name for u in cases]
    progress(20, _("校准"))
    try:
        calibrated: dict[str, list[float]] = {}
        anchors: dict[str, list[float]] = {}
        for c in codes:
            values = [float(v) for v in raw[c]]
            a = _anchors(c, values, calibration.get(c, {}), directions.get(c, 1))
            anchors[c] = list(a)
            calibrated[c] = [float(x) for x in qca.calibrate(values, *a, name=names[c])]
        outcome_label = ("~" if negate else "") + out_code
        progress(35, _("必要性分析与真值表"))
        nec = qca.necessity(calibrated, outcome_label, conditions, cases=case_names)
        table = qca.truth_table(
            calibrated, outcome_label, conditions, incl_cut=incl_cut, n_cut=n_cut, pri_cut=pri_cut, cases=case_names
        )
        expectations = list(conditions) if expectations is None else list(expectations)
        progress(50, _("布尔最小化"))
        result = minimize(table, include_remainders=True, directional_expectations=expectations or None)
        if expectations and result.intermediate:
            solution = result.intermediate[0]
            which = "intermediate"
        else:
            solution = result.conservative
            which = "conservative"
        config = qca.configuration_table(result, which=which)
    except qca.QCAError as exc:
        raise ValidationError(qca_message(exc)) from exc
    progress(90, _("命名路径并保存结果"))
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
        raise PermissionDenied(_("您没有修改该分析的权限。"))
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
    """NaN / numpy scalars / lazy labels → JSON-safe values."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, Promise):  # a translatable label: the stored result keeps the platform's language
        return stored_text(obj)
    if hasattr(obj, "item"):
        return _jsonable(obj.item())
    return obj
