"""Assessment pages. Reads go through selectors (scoped), writes through services.

XY plots are inline SVG drawn here (no JavaScript, nothing from a CDN): each case is a dot at
(condition or path membership, outcome membership) with the diagonal y = x; dots above the
diagonal are consistent with sufficiency.
"""

import re
import tempfile
import zipfile
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from datahub import scoping
from datahub.exports import XLSX, append_row, export_response
from datahub.generic_views import ObjectActionView, ObjectFormView
from datahub.import_views import upload_page
from datahub.keyed import joined, listed
from datahub.pages import PageScope
from datahub.paging import page_of, query_without_page

from . import exporters, imports, jobs, rules, selectors, services, tables
from .forms import AnalysisForm, ImportForm, RenamePathsForm, RoundForm, ValuesForm
from .models import AnalysisJob

PAGE_SIZE = 50


PAGES = PageScope(readers=selectors.READERS, subject=_("成熟度评估"))


def _round_or_404(request, pk):
    round_ = selectors.round_for(request.user, pk)
    if round_ is None:
        raise Http404(_("评估轮次不存在或无权查看。"))
    return round_


def _errors(request, exc) -> None:
    messages.error(request, joined(exc.messages if isinstance(exc, ValidationError) else [str(exc)]))


@login_required
def home(request):
    PAGES.require_reader(request)
    rounds = selectors.rounds_for(request.user)
    can_create = scoping.holds_any(request.user, selectors.MANAGERS)
    return render(request, "assessment/home.html", {"rounds": rounds, "can_create": can_create})


class RoundCreate(ObjectFormView):
    form_class = RoundForm
    title = _("发起评估轮次")
    success_message = _("评估轮次已创建。")

    def check_permission(self, obj):
        if not scoping.holds_any(self.request.user, selectors.MANAGERS):
            raise PermissionDenied(_("只有机关事务管理局管理员可以发起评估轮次。"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": selectors.round_scopes(self.request.user)}

    def perform(self, form, obj):
        return services.create_round(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, round_):
        return reverse("assessment:round", args=[round_.pk])

    def get_context_data(self, form):
        return {"cancel_url": reverse("assessment:home")}


def _score_rows(request, round_):
    return selectors.scores_for(
        request.user,
        round_=round_,
        search=request.GET.get("q", "").strip(),
        level=request.GET.get("level", ""),
    )


@login_required
def round_detail(request, pk):
    round_ = _round_or_404(request, pk)
    scores = _score_rows(request, round_)
    if request.GET.get("export") == "xlsx":
        # The round is in the URL; the exporter (and a background job) read it from the parameters.
        params = request.GET.copy()
        params["round"] = str(round_.pk)
        return export_response(request, exporters.ROUND_SCORES, params=params)
    cases = selectors.visible_cases(request.user, round_)
    scored_ids = selectors.scored_unit_ids(request.user, round_)
    return render(
        request,
        "assessment/round_detail.html",
        {
            "round": round_,
            "page": page_of(request, scores, PAGE_SIZE),
            "query": query_without_page(request),
            "levels": rules.levels(),
            "unscored": [u for u in cases[:500] if u.pk not in scored_ids],
            "can_manage": selectors.can_enter(request.user, round_.org_unit),
            "can_analyse": selectors.can_analyse(request.user, round_),
            "analyses": selectors.analyses_for(request.user, round_=round_, limit=20),
            "analysis_jobs": selectors.analysis_jobs_for(request.user, round_=round_)[:10],
            "import_form": ImportForm(),
            "indicators": selectors.indicators_of(round_.framework),
        },
    )


class _OnRound:
    def get_object(self):
        return _round_or_404(self.request, self.kwargs["pk"])


class RoundCompute(_OnRound, ObjectActionView):
    """Compute the platform's own indicators, then score every case whose data is complete."""

    def perform(self, round_, data):
        written = services.compute_platform_indicators(actor=self.request.user, round_=round_)
        self.result = (written, services.score_round(actor=self.request.user, round_=round_))

    def get_success_message(self, round_):
        written, result = self.result
        computed = "，".join(_("%(k)s %(v)s 个") % {"k": k, "v": v} for k, v in written.items()) or _("无")
        text = _("已计算平台指标（%(computed)s），已计分 %(scored)s 个评估对象。") % {
            "computed": computed,
            "scored": result.scored,
        }
        if result.incomplete:
            text += _("数据不全未计分：%(names)s%(more)s。") % {
                "names": _("、").join(result.incomplete[:20]),
                "more": _("等") if len(result.incomplete) > 20 else "",
            }
        return text

    def get_success_url(self, round_):
        return reverse("assessment:round", args=[round_.pk])


@login_required
@require_POST
def round_import(request, pk):
    round_ = _round_or_404(request, pk)
    return upload_page(
        request,
        imports.ValueImporter.kind,
        "assessment/import_errors.html",
        params={"round": round_.pk},
        context={"round": round_},
    )


def _case_or_404(request, round_, unit_pk):
    unit = selectors.case_for(request.user, round_, unit_pk)
    if unit is None:
        raise Http404(_("评估对象不存在或无权查看。"))
    return unit


@login_required
def case_detail(request, pk, unit_pk):
    round_ = _round_or_404(request, pk)
    unit = _case_or_404(request, round_, unit_pk)
    values = {v.indicator_id: v for v in selectors.values_for(request.user, round_=round_, unit=unit)}
    rows = [
        (ind, values.get(ind.pk), rules.SOURCE_FORMULAS.get(ind.source, ""))
        for ind in selectors.indicators_of(round_.framework)
    ]
    paths = [
        (a, selectors.paths_of_case(a, unit.pk)) for a in selectors.analyses_for(request.user, round_=round_, limit=10)
    ]
    if not paths:
        # An agency does not see the other cases, but is told which path covers it.
        paths = [(a, selectors.paths_of_case(a, unit.pk)) for a in selectors.round_analyses(round_)]
    return render(
        request,
        "assessment/case_detail.html",
        {
            "round": round_,
            "unit": unit,
            "rows": rows,
            "score": selectors.score_of(request.user, round_, unit),
            "paths": paths,
            "can_enter": selectors.can_enter(request.user, unit),
        },
    )


@login_required
def case_indicator(request, pk, unit_pk, indicator_pk):
    """A computed indicator of one case: its formula, its value and the rows counted (drill-down)."""
    round_ = _round_or_404(request, pk)
    unit = _case_or_404(request, round_, unit_pk)
    indicator = selectors.computed_indicator(round_, indicator_pk)
    if indicator is None:
        raise Http404(_("该指标不是本轮的平台计算指标。"))
    headers, rows, total, parts = selectors.indicator_drill(request.user, round_, indicator, unit)
    value = selectors.value_of(request.user, round_, unit, indicator)
    return render(
        request,
        "assessment/case_indicator.html",
        {
            "round": round_,
            "unit": unit,
            "indicator": indicator,
            "formula": rules.SOURCE_FORMULAS.get(indicator.source, ""),
            "value": value,
            "headers": headers,
            "rows": rows,
            "total": total,
            "parts": parts,
            "limit": selectors.DRILL_LIMIT,
        },
    )


class CaseEnter(ObjectFormView):
    """A unit's entered indicator values (and their evidence files) for one round."""

    form_class = ValuesForm
    template_name = "assessment/case_enter.html"
    success_message = _("指标值已保存。")

    def get_object(self):
        self.round = _round_or_404(self.request, self.kwargs["pk"])
        return _case_or_404(self.request, self.round, self.kwargs["unit_pk"])

    def check_permission(self, unit):
        if not selectors.can_enter(self.request.user, unit):
            raise PermissionDenied(_("您没有为该单位填报评估指标的权限。"))

    def get_form(self):
        round_, unit = self.round, self.object
        indicators = [
            i for i in selectors.indicators_of(round_.framework) if i.measurement == rules.Measurement.ENTERED
        ]
        current = {
            v.indicator.code: v.value.normalize()
            for v in selectors.values_for(self.request.user, round_=round_, unit=unit)
        }
        return ValuesForm(
            self.request.POST or None, self.request.FILES or None, indicators=indicators, initial_values=current
        )

    def perform(self, form, unit):
        try:
            services.enter_values(
                actor=self.request.user,
                round_=self.round,
                unit=unit,
                values=form.values(),
                evidence=form.evidence_files(),
            )
        except ValidationError as exc:
            # The service names indicators by code; the form's fields are v_<code>.
            errors: dict[str, list] = {}
            for code, msgs in exc.message_dict.items():
                errors.setdefault(f"v_{code}" if f"v_{code}" in form.fields else "__all__", []).extend(msgs)
            raise ValidationError(errors) from exc
        return unit

    def get_success_url(self, unit):
        return reverse("assessment:case", args=[self.round.pk, unit.pk])

    def get_context_data(self, form):
        return {"round": self.round, "unit": self.object}


@login_required
def evidence(request, value_pk):
    """Evidence files are served only to people who may see the value."""
    value = selectors.evidence_of(request.user, value_pk)
    if value is None:
        raise Http404(_("佐证材料不存在或无权查看。"))
    return FileResponse(value.evidence.open("rb"), as_attachment=True, filename=value.evidence_name or None)


# --- fsQCA ----------------------------------------------------------------------------------------


class AnalysisCreate(ObjectFormView):
    form_class = AnalysisForm
    template_name = "assessment/analysis_form.html"
    success_message = _("组态分析已完成。")

    def get_object(self):
        self.round = _round_or_404(self.request, self.kwargs["pk"])
        return None

    def check_permission(self, obj):
        if not selectors.can_analyse(self.request.user, self.round):
            raise PermissionDenied(_("组态分析比较本轮全部案例，只有覆盖整个评估范围的人员可以进行。"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "round_": self.round}

    def perform(self, form, obj):
        """A large analysis (``jobs.is_large``) is queued and its job page shows the progress; a small
        one runs here. Either way an engine that gives up shows its Chinese message (a form error here,
        the job's failure there)."""
        data = form.cleaned_data
        params = {
            "name": data["name"],
            "outcome": ("~" if data["negate"] else "") + data["outcome"],
            "conditions": list(data["conditions"]),
            "calibration": data["anchors"],
            "incl_cut": data["incl_cut"],
            "n_cut": data["n_cut"],
            "pri_cut": data["pri_cut"],
            "expectations": data["expectations"],
        }
        if jobs.is_large(self.round, params["conditions"]):
            return jobs.start_analysis(actor=self.request.user, round_=self.round, params=params)
        return services.run_analysis(actor=self.request.user, round_=self.round, **params)

    def get_success_url(self, result):
        if isinstance(result, AnalysisJob):
            return reverse("assessment:analysis-job", args=[result.pk])
        return reverse("assessment:analysis", args=[result.pk])

    def get_success_message(self, result):
        if isinstance(result, AnalysisJob):
            return _("分析条件或案例较多，已转为后台任务执行，完成后本页显示结果。")
        return self.success_message

    def get_context_data(self, form):
        return {"round": self.round}


@login_required
def analysis_job(request, pk):
    """A background analysis: its state and progress (the page reloads itself while it runs), the engine's
    message when it failed, the link to the result when done."""
    job = selectors.analysis_job_of(request.user, pk)
    if job is None:
        raise Http404(_("分析任务不存在或无权查看。"))
    return render(request, "assessment/analysis_job.html", {"job": job, "round": job.round})


def _analysis_or_404(request, pk):
    analysis = selectors.analysis_of(request.user, pk)
    if analysis is None:
        raise Http404(_("分析不存在或无权查看。"))
    return analysis


@login_required
def analysis_detail(request, pk):
    analysis = _analysis_or_404(request, pk)
    result = analysis.result
    if request.GET.get("export") == "xlsx":
        return _analysis_export(analysis)
    if request.GET.get("export") == "plots":
        return _plots_export(analysis, _plots(result))
    form = RenamePathsForm(request.POST or None, paths=result.get("paths", []))
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_paths(actor=request.user, analysis=analysis, names=form.names())
        except PermissionDenied as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("路径名称已保存。"))
        return redirect("assessment:analysis", pk=analysis.pk)
    plots = _plots(result)
    return render(
        request,
        "assessment/analysis_detail.html",
        {
            "analysis": analysis,
            "round": analysis.round,
            "result": result,
            "names": result.get("names", {}),
            "config": tables.configuration(result),
            "plots": plots,
            "tt_rows": _tt_rows(result),
            "form": form,
        },
    )


def _plots(result) -> list[tuple[str, str]]:
    """(title, inline SVG) of every XY plot: each condition, then each path, against the outcome."""
    names = result.get("names", {})
    outcome_code = result.get("outcome", "").lstrip("~")
    plots = []
    for c in result.get("conditions", []):
        points = [(case["calibrated"][c], _y(case, outcome_code, result), case["name"]) for case in result["cases"]]
        plots.append((f"{c} {names.get(c, '')}", xy_svg(points, names.get(c, c), names.get(outcome_code, ""))))
    for p in result.get("paths", []):
        label = p.get("label", p["name"])
        points = [
            (case["memberships"][label], _y(case, outcome_code, result), case["name"]) for case in result["cases"]
        ]
        plots.append((f"{label}：{p['expression']}", xy_svg(points, label, names.get(outcome_code, ""))))
    return plots


def _plots_export(analysis, plots):
    """The XY plots as image files (SVG, one per plot) in a zip."""
    buffer = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (title, svg) in enumerate(plots, start=1):
            safe = re.sub(r"[\\/:*?\"<>|\s]+", "_", title)[:60]
            body = f'<?xml version="1.0" encoding="UTF-8"?>\n{svg}'
            archive.writestr(f"{i:02d}_{safe}.svg", body)
    buffer.seek(0)
    response = FileResponse(buffer, content_type="application/zip")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'XY图_{analysis.pk}.zip')}"
    return response


def _y(case, outcome_code, result) -> float:
    """The case's membership in the outcome as analysed (in ~Y when the outcome is negated)."""
    return case["y"]


def _tt_rows(result) -> list[dict]:
    rows = []
    for r in result.get("truth_table", {}).get("rows", []):
        rows.append({**r, "cases_text": listed(r.get("cases", []))})
    return rows


def xy_svg(points, xlabel: str, ylabel: str, size: int = 260) -> str:
    """An XY plot as inline SVG: memberships in [0, 1] on both axes, the diagonal, one dot per case."""
    pad = 30
    inner = size - 2 * pad

    def sx(v):
        return pad + float(v) * inner

    def sy(v):
        return size - pad - float(v) * inner

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" role="img" '
        f'aria-label="{escape(xlabel)} — {escape(ylabel)}" class="xy">',
        f'<rect x="{pad}" y="{pad}" width="{inner}" height="{inner}" fill="none" stroke="#999"/>',
        f'<line x1="{sx(0)}" y1="{sy(0)}" x2="{sx(1)}" y2="{sy(1)}" stroke="#c33" stroke-dasharray="4 3"/>',
        f'<line x1="{sx(0.5)}" y1="{sy(0)}" x2="{sx(0.5)}" y2="{sy(1)}" stroke="#ddd"/>',
        f'<line x1="{sx(0)}" y1="{sy(0.5)}" x2="{sx(1)}" y2="{sy(0.5)}" stroke="#ddd"/>',
        f'<text x="{size / 2}" y="{size - 6}" text-anchor="middle" font-size="11">{escape(xlabel)}</text>',
        f'<text x="10" y="{size / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 10 {size / 2})">{escape(ylabel)}</text>',
        f'<text x="{pad}" y="{size - pad + 12}" font-size="9" text-anchor="middle">0</text>',
        f'<text x="{pad + inner}" y="{size - pad + 12}" font-size="9" text-anchor="middle">1</text>',
    ]
    for x, y, name in points:
        parts.append(
            f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3.5" fill="#2a6fb0" fill-opacity="0.7">'
            f"<title>{escape(name)}（{float(x):.2f}, {float(y):.2f}）</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _analysis_export(analysis):
    """A workbook with every table of the analysis (``tables.sheets``): calibration, necessity,
    truth table, solutions, the configuration table in the study's notation, paths, cases."""
    sheets = tables.sheets(analysis.result)
    workbook = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title=title)
        for row in rows:
            append_row(sheet, row)
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    workbook.save(tmp)
    tmp.seek(0)
    response = FileResponse(tmp, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'组态分析_{analysis.pk}.xlsx')}"
    return response
