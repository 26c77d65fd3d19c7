"""Every import of the platform, one way: upload → a background job reads the sheet, checks every
row, then writes all rows in one transaction or none.

An app subclasses ``Importer`` and registers it with ``@importer`` (as an export registers with
``datahub.exports.exporter``); datahub imports nothing of the apps. An importer says

- what it reads: ``columns``, ``required``, ``max_rows`` (the reader is datahub/sheets.py, with its caps and
  bad-file checks; ``reads_csv`` takes a .csv too; ``read`` may be overridden);
- who may import: ``roles`` (held somewhere; each row is then checked against the unit it names, so another
  unit's rows are refused per row) and, for an import into one object (a stocktake, an assessment round),
  ``target`` resolving that object for the user;
- ``validate(ctx, rows)``: check every row, report each problem with ``ctx.errors.add(row, column, reason)``
  — the one row-error collector — and return what ``write`` needs. It runs outside the write transaction
  so its progress is seen by the job page and the reaper; it must not lock rows;
- ``write(ctx, parsed)``: lock what must not change under it, re-check what depends on it (area totals,
  locked months), write set-based, and return a summary dict. Any error it reports rolls everything back;
- ``summary(result)``: the sentence its owner reads when the job is done.

``Importer.run`` does the same steps synchronously in one transaction, for the demo, the benchmarks and
the tests of each importer's rules; the pages and the API use ``start_import`` (a job, see ImportJob).
"""

import logging
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import jobs, scoping, sheets, staging
from .models import ImportJob

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 500  # rows between two heartbeats while checking
# "第5行“列”：…", "第5行“列”列：…" (assessment), "第1行第3列：…" and "第5行：…", as the importers word them.
_ROW_MESSAGE = re.compile(r"^第(\d+)行(?:“([^”]*)”列?|(第\d+列))?：(.*)$", re.S)
# The same sentences in English (locale/en: 'Row 5, "列": …', 'Row 5, column "列": …', "Row 1, column 3: …").
_ROW_MESSAGE_EN = re.compile(r'^Row (\d+)(?:, (?:column )?"([^"]*)"|, (column \d+))?: (.*)$', re.S)
Status = ImportJob.Status


@dataclass(frozen=True)
class RowError:
    row: int | None  # the row number as Excel shows it; None for a problem of the whole file
    column: str
    message: str
    text: str = ""  # the sentence as the importer worded it, when it did

    def __str__(self) -> str:
        if self.text:
            return self.text
        if self.row is None:
            return self.message
        return (
            _("第%(row)s行“%(column)s”：%(message)s")
            % {"row": self.row, "column": self.column, "message": self.message}
            if self.column
            else _("第%(row)s行：%(message)s") % {"row": self.row, "message": self.message}
        )

    def as_dict(self) -> dict:
        out = {"row": self.row, "column": self.column, "message": self.message}
        return {**out, "text": self.text} if self.text else out


class RowErrors:
    """Every problem of every row, in the order found, with its row number and column."""

    def __init__(self) -> None:
        self.items: list[RowError] = []

    def add(self, row: int | None, column: str, message: str, text: str = "") -> None:
        # str(): a column may be a field's lazy label and a message a lazy sentence; the job stores them as JSON.
        self.items.append(RowError(row, str(column), str(message), str(text)))

    __call__ = add  # so an importer may keep its ``bad(number, column, message)``

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def messages(self) -> list[str]:
        return [str(e) for e in self.items]

    def add_validation_error(self, exc: ValidationError) -> None:
        """A ValidationError raised by a service or a model, its "第N行“列”：…" sentences taken apart."""
        for text in exc.messages:
            match = _ROW_MESSAGE.match(text) or _ROW_MESSAGE_EN.match(text)
            if match:
                self.add(int(match[1]), match[2] or match[3] or "", match[4], text)
            else:
                self.add(None, "", text)

    def raise_if_any(self) -> None:
        if self.items:
            raise RowsRefused(self)


class RowsRefused(ValidationError):
    """Rows of the file failed their checks: nothing was written. ``messages`` are the sentences."""

    def __init__(self, errors: RowErrors):
        super().__init__(errors.messages())
        self.errors = errors


class _Replaced(Exception):
    """This run lost the job (a re-delivered message took it over, or the reaper failed it)."""


@dataclass
class Context:
    """What ``validate`` and ``write`` are given: who imports, into what, and where to report."""

    actor: object
    params: dict = field(default_factory=dict)
    target: object = None
    errors: RowErrors = field(default_factory=RowErrors)
    beat: Callable[..., None] | None = None

    def each(self, rows: Iterable) -> Iterator:
        """The rows, with the job's heartbeat (rows checked so far) every PROGRESS_EVERY rows."""
        done = 0
        for done, row in enumerate(rows, start=1):
            yield row
            if self.beat and done % PROGRESS_EVERY == 0:
                self.beat(rows_checked=done)
        if self.beat:
            self.beat(rows_checked=done)


class Importer:
    kind = ""  # registry key, e.g. "officespace.rooms"
    title = ""  # what is imported, in Chinese: "房间"
    columns: tuple[str, ...] = ()
    required: tuple[str, ...] | None = None  # None: every column
    max_rows = 5000
    too_many = gettext_lazy("一次最多导入{max_rows}行，请分批导入。")
    what = gettext_lazy("Excel文件")
    accept = ".xlsx"
    # A .csv (by its name) is read too, with the csv module: a large sheet's time was mostly openpyxl's parsing.
    reads_csv = False
    # (temporary table, {cell key: column}[, plain]): on PostgreSQL a .csv is staged there as it is read
    # (datahub.staging, ``plain`` its test of a row's number cells), for an importer whose validate checks the
    # staged table (``staging.is_staged``).
    stage_csv: tuple | None = None
    roles: frozenset = frozenset()
    refused = gettext_lazy("您没有导入权限。")
    template_filename = ""
    template_rows: tuple[tuple, ...] = ()

    # --- what an app overrides ------------------------------------------------------------------------
    def target(self, actor, params: dict):
        """The object the import goes into (None for a ledger import); raises when the user may not."""
        return None

    def require(self, actor, target=None) -> None:
        if not scoping.holds_any(actor, self.roles):
            raise PermissionDenied(self.refused)

    def read(self, file, filename: str) -> list[tuple[int, dict]]:
        if self.reads_csv and self.stage_csv and staging.available() and (filename or "").lower().endswith(".csv"):
            table, cells, *plain = self.stage_csv
            return staging.read_csv(
                file, table, cells, columns=self.columns, required=self.required, max_rows=self.max_rows,
                too_many=self.too_many, plain=plain[0] if plain else None,
            )  # fmt: skip
        if self.reads_csv:
            return sheets.read_table(
                file, filename, self.columns, required=self.required, max_rows=self.max_rows, too_many=self.too_many
            )
        return sheets.read_xlsx(
            file, self.columns, required=self.required, max_rows=self.max_rows, too_many=self.too_many, what=self.what
        )

    def precheck(self, file, filename: str) -> None:
        """At upload, before the file is kept: a file that is not a sheet within the caps is refused at once."""
        if self.reads_csv:
            rows = sheets.table_rows(file, filename, max_rows=self.max_rows)
        else:
            rows = sheets.xlsx_rows(file, max_rows=self.max_rows, what=self.what)
        next(rows, None)
        rows.close()
        file.seek(0)

    def validate(self, ctx: Context, rows: list[tuple[int, dict]]):
        raise NotImplementedError

    def write(self, ctx: Context, parsed) -> dict:
        raise NotImplementedError

    def summary(self, result: dict) -> str:
        return _("导入完成。")

    def written(self, result: dict) -> int:
        return sum(v for k, v in result.items() if k in ("created", "updated") and isinstance(v, int))

    def back(self, params: dict) -> tuple[str, tuple]:
        """(URL name, args) of the page the import was started from."""
        return "", ()

    # --- the steps, synchronously (services, demo, benchmarks) ----------------------------------------
    def run(self, *, actor, rows: list[tuple[int, dict]], params: dict | None = None, target=None) -> dict:
        """Check every row, then write all or nothing, in one transaction; RowsRefused lists every error."""
        ctx = Context(actor=actor, params=params or {}, target=target)
        try:
            with transaction.atomic():
                self.require(actor, target)
                parsed = self.validate(ctx, rows)
                ctx.errors.raise_if_any()
                result = self.write(ctx, parsed)
                ctx.errors.raise_if_any()
        finally:
            _release(rows)
        return result


def _release(rows) -> None:
    """A CSV's staged table is the reader's: dropped when the import is over, whatever its outcome (a temporary
    table left behind would only last the session; a failure to drop it must not hide the import's own)."""
    if isinstance(rows, staging.StagedSheet):
        try:
            rows.close()
        except DatabaseError:
            logger.warning("could not drop the staged table %s", rows.table, exc_info=True)


IMPORTERS: dict[str, Importer] = {}


def importer(cls: type[Importer]) -> type[Importer]:
    """Register an Importer subclass under its ``kind``."""
    IMPORTERS[cls.kind] = cls()
    return cls


def get(kind: str) -> Importer:
    """The importer registered as ``kind``; every app's ``imports`` module is loaded first if needed
    (a worker process has not imported the apps' views, where the importers are otherwise reached)."""
    if kind not in IMPORTERS:
        autodiscover_modules("imports")
    return IMPORTERS[kind]


@transaction.atomic
def start_import(*, user, kind: str, upload, params: dict | None = None) -> ImportJob:
    """Keep the uploaded file under a random name and queue its job.

    Rule: only a user holding the importer's roles (and allowed into its target) may start one; a file
    that is not a sheet within the caps is refused here, before it is kept (ValidationError)."""
    imp = get(kind)
    params = params or {}
    imp.require(user, imp.target(user, params))
    if upload is None:
        raise ValidationError({"file": _("请选择要导入的文件（%(accept)s）。") % {"accept": imp.accept}})
    filename = PurePath(upload.name or "upload").name[:200]
    imp.precheck(upload, filename)
    job = ImportJob(user=user, kind=kind, params=params, filename=filename)
    suffix = PurePath(filename).suffix.lower()[:8]
    job.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    job.save()
    transaction.on_commit(lambda: jobs.enqueue(job.pk, job.attempt, model=ImportJob))
    return job


def _refusal(exc: Exception) -> RowErrors:
    errors = RowErrors()
    if isinstance(exc, RowsRefused):
        return exc.errors
    if isinstance(exc, ValidationError):
        errors.add_validation_error(exc)
    else:
        errors.add(None, "", str(exc) or _("您没有导入权限。"))
    return errors


def _fail_with(job_id: int, token: str, errors: RowErrors) -> None:
    first = errors.items[: ImportJob.MAX_ERRORS]
    whole_file = len(errors) == 1 and errors.items[0].row is None
    text = (
        errors.items[0].message if whole_file else _("发现 %(count)s 处问题，未导入任何数据。") % {"count": len(errors)}
    )
    jobs.fail(
        job_id,
        token,
        text,
        model=ImportJob,
        row_errors=[e.as_dict() for e in first],
        error_count=len(errors),
    )


def run_import(job_id: int, attempt: int = 1) -> None:
    """Read, check and write the job's file; safe to run twice (see datahub.jobs)."""
    token = jobs.claim(job_id, attempt, model=ImportJob)
    if token is None:
        return  # finished, failed, superseded by a retry, or gone: nothing to do
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    imp = get(job.kind)

    def beat(**progress) -> None:
        if not jobs.heartbeat(job_id, token, model=ImportJob, **progress):
            raise _Replaced

    rows = None
    try:
        # Checked again now: a grant revoked since the upload counts.
        target = imp.target(job.user, job.params)
        imp.require(job.user, target)
        with job.file.open("rb") as fh:
            rows = imp.read(fh, job.filename)
        beat(rows_total=len(rows))
        ctx = Context(actor=job.user, params=job.params, target=target, beat=beat)
        parsed = imp.validate(ctx, rows)
        beat(rows_checked=len(rows))
        ctx.errors.raise_if_any()
        with transaction.atomic():
            # Updating the job row first keeps it locked until the commit (PostgreSQL): the reaper skips
            # it however long the write takes, and finds it again at once if the worker dies.
            beat(status=Status.WRITING)
            result = imp.write(ctx, parsed)
            ctx.errors.raise_if_any()
            if not _finish(job_id, token, result, imp.written(result), imp.summary(result)):
                raise _Replaced
    except _Replaced:
        return
    except (ValidationError, PermissionDenied) as exc:
        _fail_with(job_id, token, _refusal(exc))
    except Exception:
        logger.exception("import job %s (attempt %s) failed", job_id, attempt)
        jobs.fail(job_id, token, model=ImportJob)
        raise
    finally:
        _release(rows)


def _finish(job_id: int, token: str, result: dict, written: int, summary: str) -> bool:
    now = timezone.now()
    return bool(
        ImportJob.objects.filter(pk=job_id, run_token=token, status=Status.WRITING).update(
            status=Status.DONE,
            result={**result, "summary": summary},
            rows_written=written,
            heartbeat_at=now,
            finished_at=now,
            run_token="",
        )
    )
