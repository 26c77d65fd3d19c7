"""Read queries of the assessment module, all scoped through ``datahub.scoping``.

Who sees what:

* values and scores of a case of an internal round (an OrgUnit) — the holders of ``READERS`` on
  that unit or above it: an agency's bureau administrator / data steward / leader sees the agency's
  own rows, the bureau (a grant on the province) sees every case below it;
* values and scores of a study case (an external round's case, ``StudyCase``) — the holders of
  ``READERS`` on the round's scope unit (the study's owner) or above it;
* a round — anyone who sees at least one of its cases, i.e. whose grant lies inside the round's
  scope or above it;
* an analysis — compares all the cases of a round, so only those who cover the round's scope.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from datahub import scoping
from datahub.catalog import selectors as catalog
from datahub.models import OrgUnit
from datahub.roles import Role
from portal.registry import all_kinds
from portal.selectors import visible_tickets
from portal.workflow import Status

from . import platform_use, rules
from .models import Analysis, AnalysisJob, Framework, Indicator, IndicatorValue, Round, Score, StudyCase

READERS = (Role.BUREAU_ADMIN, Role.LEADER, Role.DATA_STEWARD)
ENTRY_ROLES = (Role.BUREAU_ADMIN, Role.DATA_STEWARD)
ANALYSTS = (Role.BUREAU_ADMIN, Role.DATA_STEWARD, Role.LEADER)
MANAGERS = (Role.BUREAU_ADMIN,)


def frameworks() -> QuerySet:
    return Framework.objects.all()


def active_frameworks() -> QuerySet:
    return Framework.objects.filter(is_active=True)


def indicators_of(framework: Framework) -> list[Indicator]:
    return list(framework.indicators.order_by("order", "code"))


def rounds_for(user) -> QuerySet:
    """Rounds whose scope contains or lies inside one of the user's grants."""
    qs = Round.objects.select_related("framework", "org_unit")
    if not user or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    paths = scoping.granted_paths(user, READERS)
    if not paths:
        return qs.none()
    q = scoping.subtree_q(paths, "org_unit")
    for path in paths:
        # The round's scope is an ancestor of the grant: org_unit.path is a prefix of ``path``.
        ancestors = [path[:i] for i in range(OrgUnit.steplen, len(path), OrgUnit.steplen)]
        if ancestors:
            q |= Q(org_unit__path__in=ancestors)
    return qs.filter(q)


def round_for(user, pk) -> Round | None:
    return rounds_for(user).filter(pk=pk).first()


def cases_of(round_: Round) -> QuerySet:
    """The cases of a round. Internal: the active units at the round's case level below its scope (not
    the scope itself). External: the study cases owned by the round's scope unit."""
    if round_.external:
        return StudyCase.objects.filter(owner_id=round_.org_unit_id).order_by("code")
    return (
        OrgUnit.objects.filter(path__startswith=round_.org_unit.path, level=round_.case_level, is_active=True)
        .exclude(pk=round_.org_unit_id)
        .order_by("path")
    )


def visible_cases(user, round_: Round) -> QuerySet:
    if round_.external:
        return scoping.scope(cases_of(round_), user, roles=READERS, unit_field="owner")
    return scoping.scope(cases_of(round_), user, roles=READERS, unit_field="")


def _scope_case_rows(qs: QuerySet, user, roles=READERS) -> QuerySet:
    """Values / scores: an org unit's rows by that unit, a study case's by the round's scope unit."""
    by_unit = scoping.scope(qs.filter(study_case__isnull=True), user, roles=roles)
    by_round = scoping.scope(qs.filter(study_case__isnull=False), user, roles=roles, unit_field="round__org_unit")
    return by_unit | by_round


def case_rows_for(user, qs: QuerySet) -> QuerySet:
    """Scope a queryset of IndicatorValue or Score (the API's base querysets)."""
    return _scope_case_rows(qs, user)


def values_for(user, *, round_: Round | None = None, unit=None) -> QuerySet:
    qs = IndicatorValue.objects.select_related("indicator", "org_unit", "study_case", "round")
    if round_ is not None:
        qs = qs.filter(round=round_)
    if unit is not None:
        qs = qs.filter(**{"study_case" if isinstance(unit, StudyCase) else "org_unit": unit})
    return _scope_case_rows(qs, user)


def scores_for(user, *, round_: Round | None = None, search: str = "", level: str = "") -> QuerySet:
    qs = Score.objects.select_related("org_unit", "study_case", "round")
    if round_ is not None:
        qs = qs.filter(round=round_)
    if search:
        qs = qs.filter(Q(org_unit__name__icontains=search) | Q(study_case__name__icontains=search))
    if level.isdigit():
        qs = qs.filter(level=int(level))
    return _scope_case_rows(qs, user).order_by("round", "rank", "org_unit__path", "study_case__code")


def value_of(user, round_: Round, unit, indicator: Indicator) -> IndicatorValue | None:
    return values_for(user, round_=round_, unit=unit).filter(indicator=indicator).first()


def computed_indicator(round_: Round, pk: int) -> Indicator | None:
    """A computed indicator of the round's framework (one with a platform source), or None."""
    return round_.framework.indicators.exclude(source="").filter(pk=pk).first()


def score_of(user, round_: Round, unit) -> Score | None:
    return scores_for(user, round_=round_).filter(**{round_.case_field: unit}).first()


def can_analyse(user, round_: Round) -> bool:
    return scoping.covers(user, round_.org_unit, roles=ANALYSTS)


def can_enter(user, unit) -> bool:
    """Enter a case's values: over the unit (internal case) or the study's owner (study case)."""
    if isinstance(unit, StudyCase):
        unit = unit.owner
    return scoping.covers(user, unit, roles=ENTRY_ROLES)


def can_manage(user, round_: Round) -> bool:
    return scoping.covers(user, round_.org_unit, roles=MANAGERS)


def analyses_for(user, *, round_: Round | None = None, limit: int | None = None) -> QuerySet:
    qs = Analysis.objects.select_related("round", "round__org_unit", "created_by")
    if round_ is not None:
        qs = qs.filter(round=round_)
    qs = scoping.scope(qs, user, roles=ANALYSTS, unit_field="round__org_unit")
    return qs[:limit] if limit else qs


def analysis_jobs_for(user, *, round_: Round | None = None) -> QuerySet:
    """Background analyses, read as their results are: by those who may analyse the round (its scope)."""
    qs = AnalysisJob.objects.select_related("round", "round__org_unit", "user", "analysis")
    if round_ is not None:
        qs = qs.filter(round=round_)
    return scoping.scope(qs, user, roles=ANALYSTS, unit_field="round__org_unit")


def analysis_job_of(user, pk) -> AnalysisJob | None:
    """The job ``pk`` if the user may read it, else None (absent and out of scope alike)."""
    return analysis_jobs_for(user).filter(pk=pk).first()


def analysis_of(user, pk) -> Analysis | None:
    """The analysis ``pk`` if the user may read it, else None (absent and out of scope alike)."""
    return analyses_for(user).filter(pk=pk).first()


def value_table(round_: Round, units=None) -> dict[int, dict[str, object]]:
    """case id (unit or study case) → {indicator code: value} for a round (two queries at most)."""
    qs = IndicatorValue.objects.filter(round=round_).select_related("indicator")
    if units is not None:
        qs = qs.filter(**{f"{round_.case_field}__in": units})
    table: dict[int, dict[str, object]] = {}
    for v in qs.only("org_unit_id", "study_case_id", "value", "indicator__code"):
        table.setdefault(v.case_id, {})[v.indicator.code] = v.value
    return table


def paths_of_case(analysis: Analysis, unit_id: int) -> list[str]:
    """The named paths of an analysis that cover a case (membership > 0.5)."""
    for case in analysis.result.get("cases", []):
        if case.get("unit_id") == unit_id:
            return list(case.get("paths", []))
    return []


# --- Platform-derived indicators (read with the actor's own visibility) -----------------------


def portal_online_share(actor, units: list[OrgUnit]) -> dict[int, Decimal | None]:
    """数字平台构建: per unit (its subtree), the share of submitted portal requests that were
    filed and closed online (已办结 / all submitted), in %. Read through portal.selectors with the
    actor's own visibility (so nobody learns more than they may see); ``None`` when there are none."""
    tickets = list(visible_tickets(actor).exclude(status=Status.DRAFT).values_list("org_unit__path", "status"))
    out: dict[int, Decimal | None] = {}
    for unit in units:
        mine = [s for p, s in tickets if p.startswith(unit.path)]
        if not mine:
            out[unit.pk] = None
            continue
        done = sum(1 for s in mine if s == Status.DONE)
        out[unit.pk] = rules.decimal(100 * done / len(mine), 2)
    return out


def portal_service_quality(actor, units: list[OrgUnit], measure: str) -> dict[int, Decimal | None]:
    """Service quality per unit (its subtree), from its finished portal requests, read with the
    actor's visibility: ``"on_time"`` → ``rules.on_time_share`` (%), ``"satisfaction"`` →
    ``rules.mean_rating`` (1–5)."""
    done = list(
        visible_tickets(actor).filter(status=Status.DONE).values_list("org_unit__path", "closed_at", "due_at", "rating")
    )
    out: dict[int, Decimal | None] = {}
    for unit in units:
        mine = [row for row in done if row[0].startswith(unit.path)]
        if measure == "on_time":
            value = rules.on_time_share([(c, d) for _, c, d, _ in mine if c is not None])
        else:
            value = rules.mean_rating([r for *_, r in mine])
        out[unit.pk] = None if value is None else rules.decimal(value, 2)
    return out


def portal_domains_in_use(actor, units: list[OrgUnit]) -> dict[int, Decimal | None]:
    """Modules in use: per unit (its subtree), the share of the platform's business domains
    (办公用房, 资产, … as registered with the portal) in which it has filed at least one request, in %."""
    domain_of = {k.code: k.domain for k in all_kinds()}
    domains = set(domain_of.values())
    if not domains:
        return dict.fromkeys((u.pk for u in units), None)
    used = set(visible_tickets(actor).exclude(status=Status.DRAFT).values_list("org_unit__path", "kind").distinct())
    out: dict[int, Decimal | None] = {}
    for unit in units:
        mine = {domain_of.get(kind) for path, kind in used if path.startswith(unit.path)} & domains
        out[unit.pk] = rules.decimal(100 * len(mine) / len(domains), 2)
    return out


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _live_in_year(grant, year: int) -> bool:
    """A grant counts for ``year`` when its validity meets the year and it was not revoked before it."""
    first, last = _year_bounds(year)
    revoked_before = grant.revoked_at is not None and grant.revoked_at.date() < first
    return grant.valid_from <= last and grant.valid_to >= first and not revoked_before


def sharing_entries(actor, units: list[OrgUnit]) -> dict[int, Decimal]:
    """数据共享 (catalog): per unit (its subtree), the published catalog entries it provides. Read
    through ``datahub.catalog.selectors.catalog_for`` with the actor's visibility."""
    rows = list(catalog.catalog_for(actor, {"status": "published"}).values_list("provider__path", flat=True))
    return {u.pk: Decimal(sum(1 for p in rows if p.startswith(u.path))) for u in units}


def sharing_grants(actor, units: list[OrgUnit], year: int) -> dict[int, Decimal]:
    """数据共享 (grants): per unit (its subtree), the grants live in ``year`` that it gave (on an entry
    it provides, to another unit) plus those it received (as the consumer unit)."""
    grants = [g for g in catalog.grants_for(actor) if _live_in_year(g, year)]
    out = {}
    for u in units:
        given = sum(
            1
            for g in grants
            if g.dataset.provider.path.startswith(u.path) and not g.consumer_unit.path.startswith(u.path)
        )
        received = sum(1 for g in grants if g.consumer_unit.path.startswith(u.path))
        out[u.pk] = Decimal(given + received)
    return out


def sharing_calls(actor, units: list[OrgUnit], year: int) -> dict[int, Decimal]:
    """数据共享 (exchange): per unit (its subtree), the successful exchange calls (status < 400) its
    callers made in ``year``, from the access trail (``catalog.trail_for``, the actor's visibility)."""
    first, last = _year_bounds(year)
    trail = catalog.trail_for(actor, {"status": "ok", "since": first.isoformat(), "until": last.isoformat()})
    rows = list(trail.filter(kind="call", caller_unit__isnull=False).values_list("caller_unit__path", flat=True))
    return {u.pk: Decimal(sum(1 for p in rows if p.startswith(u.path))) for u in units}


def platform_values(actor, round_: Round, source: str, cases: list) -> dict[int, Decimal | None] | None:
    """The computed values of ``source`` for the round's cases (``None`` for a source computed elsewhere)."""
    Source = rules.Source
    if source == Source.PORTAL_ONLINE:
        return portal_online_share(actor, cases)
    if source == Source.PORTAL_DOMAINS:
        return portal_domains_in_use(actor, cases)
    if source == Source.PORTAL_ON_TIME:
        return portal_service_quality(actor, cases, "on_time")
    if source == Source.PORTAL_SATISFACTION:
        return portal_service_quality(actor, cases, "satisfaction")
    if source == Source.SHARING_ENTRIES:
        return sharing_entries(actor, cases)
    if source == Source.SHARING_GRANTS:
        return sharing_grants(actor, cases, round_.year)
    if source == Source.SHARING_CALLS:
        return sharing_calls(actor, cases, round_.year)
    if source in PLATFORM_USE:
        return platform_use.values(actor, round_, source, cases)
    return None


#: Sources read part by part through the domains' usage selectors (``platform_use``, ``rules.PLATFORM_PARTS``).
PLATFORM_USE = (rules.Source.PLATFORM_BUSINESS, rules.Source.PLATFORM_DOMAINS, rules.Source.ONE_SOURCE)


def indicator_drill(actor, round_: Round, indicator: Indicator, case) -> tuple[list[str], list[tuple], int, list]:
    """``indicator_rows`` plus, for an indicator computed in parts, (part, kept, counted) per part."""
    if indicator.source not in PLATFORM_USE:
        return (*indicator_rows(actor, round_, indicator, case), [])
    headers, rows, counts = platform_use.drill(actor, round_, indicator.source, case)
    parts = rules.ONE_SOURCE_PARTS if indicator.source == rules.Source.ONE_SOURCE else rules.PLATFORM_PARTS
    by_name = {name: (kept, counted) for name, kept, counted in counts}
    return headers, rows[:DRILL_LIMIT], len(rows), [(p, *by_name.get(p.name, (0, 0))) for p in parts]


DRILL_LIMIT = 500


def indicator_rows(actor, round_: Round, indicator: Indicator, case) -> tuple[list[str], list[tuple], int]:
    """The drill-down of a computed indicator for one case: (headers, the rows counted — at most
    ``DRILL_LIMIT`` — and their number), read with the actor's own visibility."""
    Source = rules.Source
    source = indicator.source
    if source in PLATFORM_USE:
        headers, rows, _total = platform_use.drill(actor, round_, source, case)
        return headers, rows[:DRILL_LIMIT], len(rows)
    if source in (Source.PORTAL_ONLINE, Source.PORTAL_DOMAINS, Source.PORTAL_ON_TIME, Source.PORTAL_SATISFACTION):
        qs = visible_tickets(actor).filter(org_unit__path__startswith=case.path).exclude(status=Status.DRAFT)
        if source in (Source.PORTAL_ON_TIME, Source.PORTAL_SATISFACTION):
            qs = qs.filter(status=Status.DONE)
        domain_of = {k.code: k.label for k in all_kinds()}
        rows = [
            (
                t.pk,
                domain_of.get(t.kind, t.kind),
                t.shown_title,
                t.org_unit.name,
                t.get_status_display(),
                t.closed_at,
                t.due_at,
                t.rating,
            )
            for t in qs.select_related("org_unit").order_by("pk")[:DRILL_LIMIT]
        ]
        return (
            [_("申请编号"), _("事项"), _("标题"), _("申请单位"), _("状态"), _("办结时间"), _("办结时限"), _("满意度")],
            rows,
            qs.count(),
        )
    if source == Source.SHARING_ENTRIES:
        qs = catalog.catalog_for(actor, {"status": "published"}).filter(provider__path__startswith=case.path)
        rows = [(d.code, d.name, d.provider.name, d.published_on) for d in qs[:DRILL_LIMIT]]
        return [_("资源代码"), _("名称"), _("提供方"), _("发布日期")], rows, qs.count()
    if source == Source.SHARING_GRANTS:
        grants = [
            g
            for g in catalog.grants_for(actor).order_by("pk")
            if _live_in_year(g, round_.year)
            and (
                g.consumer_unit.path.startswith(case.path)
                or (g.dataset.provider.path.startswith(case.path) and not g.consumer_unit.path.startswith(case.path))
            )
        ]
        rows = [
            (
                g.dataset.code,
                g.dataset.name,
                _("获得") if g.consumer_unit.path.startswith(case.path) else _("给出"),
                g.consumer_unit.name,
                g.valid_from,
                g.valid_to,
            )
            for g in grants[:DRILL_LIMIT]
        ]
        return [_("资源代码"), _("名称"), _("方向"), _("使用单位"), _("有效期自"), _("有效期至")], rows, len(grants)
    if source == Source.SHARING_CALLS:
        first, last = _year_bounds(round_.year)
        qs = catalog.trail_for(actor, {"status": "ok", "since": first.isoformat(), "until": last.isoformat()}).filter(
            kind="call", caller_unit__path__startswith=case.path
        )
        rows = [(r.seq, r.at, r.shown_caller_label, r.dataset_code, r.rows, r.status) for r in qs[:DRILL_LIMIT]]
        return [_("序号"), _("时间"), _("调用方"), _("资源代码"), _("返回行数"), _("状态码")], rows, qs.count()
    if source == Source.ADJACENT_MEAN:
        return _neighbour_rows(round_, indicator, case)
    return [], [], 0


def _neighbour_rows(round_: Round, indicator: Indicator, case) -> tuple[list[str], list[tuple], int]:
    """府际竞争压力: the neighbouring cases of the round and the outcome values averaged."""
    basis_code = rules.ADJACENT_BASIS.get(indicator.code, "Y")
    mine = rules.province_of(case.region_code)
    around = set(rules.province_adjacency().get(mine, ()))
    table = value_table(round_)
    rows = [
        (c.name, c.region_code, table.get(c.pk, {}).get(basis_code))
        for c in cases_of(round_)
        if rules.province_of(c.region_code) in around and c.pk != case.pk
    ]
    rows = [r for r in rows if r[2] is not None]
    return (
        [_("相邻案例"), _("行政区划代码"), _("%(basis_code)s（结果变量）") % {"basis_code": basis_code}],
        rows,
        len(rows),
    )


# --- fsQCA analysis input -----------------------------------------------------------------------


def variable_name(round_: Round, code: str) -> str:
    if code == rules.INDEX:
        return _("成熟度指数")
    ind = round_.framework.indicators.filter(code=code).first()
    if ind is None:
        raise ValidationError(_("“%(code)s”不是本轮指标框架中的指标。") % {"code": code})
    return ind.name


def analysis_data(round_: Round, codes: list[str]) -> tuple[list[OrgUnit], dict[str, list]]:
    """The raw values of the chosen variables for every case of the round (None when missing)."""
    cases = list(cases_of(round_))
    table = value_table(round_)
    scores = (
        dict(Score.objects.filter(round=round_).values_list(f"{round_.case_field}_id", "index"))
        if rules.INDEX in codes
        else {}
    )
    data: dict[str, list] = {}
    for code in codes:
        if code == rules.INDEX:
            data[code] = [scores.get(u.pk) for u in cases]
        else:
            data[code] = [table.get(u.pk, {}).get(code) for u in cases]
    return cases, data


def round_scopes(user) -> QuerySet:
    """The units a manager may start a round for (a region or an institution within their scope)."""
    return scoping.visible_units(user, roles=MANAGERS).filter(level__in=["region", "institution"])


def case_for(user, round_: Round, unit_pk):
    """One case of the round the user may see, or None."""
    return visible_cases(user, round_).filter(pk=unit_pk).first()


def round_analyses(round_: Round, limit: int = 10) -> list[Analysis]:
    """The round's latest analyses, whoever ran them: a case's page names the paths that cover it even for a
    unit that may not see the other cases."""
    return list(round_.analyses.all()[:limit])


def scored_unit_ids(user, round_: Round) -> set[int]:
    """The cases of the round the user may see that have a score (the rest are listed as unscored)."""
    return set(scores_for(user, round_=round_).values_list(f"{round_.case_field}_id", flat=True))


def evidence_of(user, value_pk) -> IndicatorValue | None:
    """A value with an evidence file, if the user may see the value."""
    return values_for(user).filter(pk=value_pk).exclude(evidence="").first()
