"""Excel export shared by every ledger list.

A list registers an *exporter*: a function of (user, GET parameters) returning an ``Export``
(file name, headers, a row iterator, the row count), built on the same scoped selectors as
the page. ``export_response`` sends small exports at once and hands large ones to a Celery
task that writes the file with progress (``ExportJob``), so no web request has to wait for
tens of thousands of rows. openpyxl's write-only mode keeps memory flat either way.
"""

import logging
import tempfile
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import FileResponse, QueryDict
from django.shortcuts import redirect
from django.urls import get_resolver
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text that a spreadsheet may take for a formula (OWASP CSV/formula injection: = + - @, tab, CR).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 1000  # rows between two heartbeats of a background export

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Export:
    filename: str
    headers: Sequence[str]
    rows: Callable[[], Iterable[Sequence]]
    total: int


EXPORTERS: dict[str, Callable[..., Export]] = {}

# Where the export was asked from (path, IP, browser), for exporters that audit what they write:
# the request's own while an export runs inline, the one stored on the job while it runs in the background.
_CLIENT: ContextVar[dict | None] = ContextVar("export_client", default=None)


def client_meta() -> dict | None:
    return _CLIENT.get()


def exporter(name: str):
    """Register ``fn(user, params: QueryDict) -> Export`` under ``name``."""

    def register(fn):
        EXPORTERS[name] = fn
        return fn

    return register


def as_text_if_risky(sheet, value):
    """``value`` ready for a write-only sheet, with text that could run as a formula kept as text.

    Such text is written as a string cell (openpyxl would otherwise store "=..." as a formula) with
    Excel's quotePrefix style: the cell shows exactly what was entered — no added apostrophe, so
    a value reads back unchanged and a re-imported file matches — and Excel keeps it text even when
    a user edits the cell. Numbers, negative ones included, are not text and stay numbers.
    """
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)  # a translatable label (a choice, a verbose name), in the reader's language
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def append_row(sheet, row: Iterable) -> None:
    """Append ``row`` to a write-only sheet; every export goes through here (see as_text_if_risky)."""
    sheet.append([as_text_if_risky(sheet, v) for v in row])


def _write(headers: Sequence[str], rows: Iterable[Sequence], title: str, fileobj, progress=None) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, header in enumerate(headers):
        # Column widths from the header (CJK characters count double); write-only sheets set them up front.
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(10, 2 * len(str(header)) + 4)
    append_row(sheet, headers)
    for done, row in enumerate(rows, start=1):
        append_row(sheet, row)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
    workbook.save(fileobj)


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> FileResponse:
    """Write ``rows`` to a temporary .xlsx and send it as a download (for small exports)."""
    filename = str(filename)  # a translated name may be lazy
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    _write(headers, rows, filename.rsplit(".", 1)[0], tmp)
    tmp.seek(0)
    response = FileResponse(tmp, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def export_response(request, name: str, *, params: QueryDict | None = None):
    """The file at once when it is small; otherwise a background job and its progress page.

    ``params`` (the query string by default) is what the exporter reads, here and in the job: a page
    whose object is in its URL (a round, a stocktake) adds its id to them.
    """
    # Not at the top: this module (``exporter``) loads before the app registry in a Celery app module.
    from .services import request_meta

    meta = request_meta(request=request)
    params = request.GET if params is None else params
    export = EXPORTERS[name](request.user, params)
    if export.total <= settings.EXPORT_INLINE_MAX_ROWS:
        token = _CLIENT.set(meta)
        try:
            return xlsx_response(export.filename, export.headers, export.rows())
        finally:
            _CLIENT.reset(token)
    job = start_export(
        user=request.user, kind=name, params=params, filename=export.filename, total=export.total, client=meta
    )
    return redirect("export-job", pk=job.pk)


@transaction.atomic
def start_export(*, user, kind: str, params: QueryDict, filename: str, total: int, client: dict | None = None):
    from . import jobs  # not at the top: see export_response
    from .models import ExportJob  # likewise

    clean = {k: v for k, v in params.items() if k not in ("export", "page")}
    client = client or {}
    job = ExportJob.objects.create(
        user=user,
        kind=kind,
        params=clean,
        filename=str(filename),
        rows_total=total,
        client_ip=client.get("ip"),
        client_agent=client.get("user_agent", ""),
        client_path=client.get("path", ""),
    )
    transaction.on_commit(lambda: jobs.enqueue(job.pk, job.attempt))
    return job


class _Replaced(Exception):
    """This run lost the job (a re-delivered message took it over, or the reaper failed it)."""


def run_export(job_id: int, attempt: int = 1) -> None:
    """Write the job's file. The rows are re-read for the job's user now, through the same scoped
    exporter, so a grant revoked since the click is respected. Safe to run twice (see datahub.jobs)."""
    from . import jobs  # not at the top: see export_response
    from .models import ExportJob  # likewise

    token = jobs.claim(job_id, attempt)
    if token is None:
        return  # finished, failed, superseded by a retry, or gone: nothing to do
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    params = QueryDict(mutable=True)
    params.update(job.params)

    def progress(done: int) -> None:
        if not jobs.heartbeat(job_id, token, done):
            raise _Replaced

    storage = job.file.storage
    if job.kind not in EXPORTERS:
        # A list page's own export (datahub.generic_views) registers when its views module loads, which a
        # worker does only through the URLconf.
        get_resolver().url_patterns  # noqa: B018
    client = _CLIENT.set({"ip": job.client_ip, "user_agent": job.client_agent, "path": job.client_path})
    try:
        export = EXPORTERS[job.kind](job.user, params)
        with tempfile.TemporaryFile() as tmp:
            _write(export.headers, export.rows(), export.filename.rsplit(".", 1)[0], tmp, progress=progress)
            tmp.seek(0)
            name = storage.save(job.file.field.generate_filename(job, f"{uuid.uuid4().hex}.xlsx"), File(tmp))
    except _Replaced:
        return
    except Exception:
        logger.exception("export job %s (attempt %s) failed", job_id, attempt)
        jobs.fail(job_id, token)
        raise
    finally:
        _CLIENT.reset(client)
    if not jobs.finish(job_id, token, file_name=name, total=export.total):
        storage.delete(name)  # another run holds the job now; its file counts, not this one
