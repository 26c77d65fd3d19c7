"""Pages of the background imports: the upload page every importer shares, a job's progress and its
errors or result (with a JSON status the page polls), 我的导入, and retry. No ORM here: jobs are read
through selectors, started and retried through datahub.imports / datahub.jobs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import imports, jobs, selectors
from .exports import xlsx_response
from .keyed import joined
from .models import ImportJob
from .paging import page_of
from .params import as_id


def upload_page(request, kind: str, template: str, *, params: dict | None = None, context: dict | None = None):
    """GET: the upload form (``?template=xlsx`` downloads the template); POST: start the job and go to
    its page. A refusal at upload (no file, not a sheet, no right) is shown on the form."""
    imp = imports.get(kind)
    params = params or {}
    imp.require(request.user, imp.target(request.user, params))
    if request.GET.get("template") == "xlsx":
        return xlsx_response(imp.template_filename, imp.columns, list(imp.template_rows))
    errors: list[str] = []
    if request.method == "POST":
        try:
            job = imports.start_import(user=request.user, kind=kind, upload=request.FILES.get("file"), params=params)
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("import-job", pk=job.pk)
    ctx = {"errors": errors, "columns": imp.columns, "importer": imp, **(context or {})}
    return render(request, template, ctx, status=400 if errors else 200)


def _own_job_or_404(request, pk) -> ImportJob:
    job = selectors.import_job_of(request.user, pk) if as_id(pk) else None
    if job is None:
        raise Http404(_("导入任务不存在。"))
    return job


def _importer(job: ImportJob):
    try:
        return imports.get(job.kind)
    except KeyError:  # an importer removed since the job ran
        return None


def _back_url(job: ImportJob) -> str:
    imp = _importer(job)
    if imp is None:
        return ""
    name, args = imp.back(job.params)
    try:
        return reverse(name, args=args) if name else ""
    except NoReverseMatch:
        return ""


def _title(job: ImportJob) -> str:
    imp = _importer(job)
    return imp.title if imp else job.kind


@login_required
def import_job(request, pk):
    """A job's progress while it runs (the page polls its status), then its row errors or its result."""
    job = _own_job_or_404(request, pk)
    return render(request, "datahub/import_job.html", {"job": job, "title": _title(job), "back_url": _back_url(job)})


@login_required
def import_job_status(request, pk):
    job = _own_job_or_404(request, pk)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "status_display": job.get_status_display(),
            "rows_total": job.rows_total,
            "rows_checked": job.rows_checked,
            "rows_written": job.rows_written,
            "percent": job.percent,
            "finished": job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED),
            "error_count": job.error_count,
            "error": job.error,
            "summary": job.result.get("summary", ""),
        }
    )


@login_required
@require_POST
def import_retry(request, pk):
    """The owner runs a failed import again from its kept file (its worker died, or the service was down)."""
    job = _own_job_or_404(request, pk)
    try:
        jobs.retry(user=request.user, job_id=job.pk, model=ImportJob)
    except ValidationError as exc:
        messages.error(request, joined(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已重新排队导入。"))
    return redirect("import-job", pk=job.pk)


@login_required
def my_imports(request):
    page = page_of(request, selectors.import_jobs_of(request.user))
    for job in page:
        job.title = _title(job)
    return render(request, "datahub/import_list.html", {"page": page})


@login_required
def unit_import(request):
    return upload_page(request, "datahub.units", "datahub/directory_import.html", context={"back": "unit-list"})


@login_required
def person_import(request):
    return upload_page(request, "datahub.people", "datahub/directory_import.html", context={"back": "person-list"})
