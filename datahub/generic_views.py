"""The platform's page views, written once: a list, a form, a detail page and a POST-only action.

Every app's pages follow the same steps (the PageScope checks, the filters read from the query string, the
scoped selector, the Excel export, the pager; or the form, the service call, the service's errors shown on
the form, a message and a redirect). A page declares what differs and inherits the steps, so scoping,
export and pagination live here and nowhere else.

- ``ObjectListView``: ``pages`` (the app's PageScope), ``filters`` (name → Filter: each cleans its query
  parameter, so a bad value is read as absent and the page shows, never a 500), ``get_queryset()`` (a
  scoped selector call), ``export_columns`` (header and value of each Excel column, declared once: the
  same declaration serves the file sent at once and the background job a large export becomes).
- ``ObjectFormView``: ``form_class``, ``get_object()``, ``check_permission()``, ``perform()`` (the service
  call); a ValidationError or PermissionDenied the service raises lands on the form's fields.
- ``ObjectActionView``: a POST-only button (status change, cancel, withdraw): the same, with the errors as
  a message on the page it returns to.
- ``ObjectDetailView``: one scoped object and its context.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from . import scoping
from .exports import Export, export_response, exporter
from .forms import add_service_errors
from .keyed import joined
from .pages import PageScope
from .paging import PAGE_SIZE, page_of, query_without_page
from .params import as_date, as_id, as_int
from .replica import replica_reads

SEARCH_MAX = 100  # longer search text matches nothing useful and only costs the database


def as_validation(exc: Exception) -> ValidationError:
    """A service's refusal (PermissionDenied carries a sentence) as a ValidationError for the form."""
    return exc if isinstance(exc, ValidationError) else ValidationError(str(exc))


def refusal_text(exc: Exception) -> str:
    """The refusal's messages as one sentence: joined with "；", each message's own closing "。" dropped
    before the join (never "。；"), one "。" at the end; in English "; " and one "." (never ".。")."""
    parts = [m.rstrip("。；;. ") for m in as_validation(exc).messages if m.strip()]
    text = joined(parts)
    return text + gettext("。") if text and text[-1] not in "？！?!）)" else text


# --- Filters ---------------------------------------------------------------------------------------


class Filter:
    """One query parameter of a list, cleaned. ``param`` defaults to the filter's name in ``filters``."""

    default: Any = None

    def __init__(self, param: str | None = None):
        self.param = param

    def clean(self, raw: str | None) -> Any:  # pragma: no cover - every filter overrides it
        raise NotImplementedError


class Search(Filter):
    """Free text (stripped; empty when absent)."""

    default = ""

    def clean(self, raw):
        return (raw or "").strip()[:SEARCH_MAX]


class Text(Filter):
    """A code or a value passed on as typed (the selector decides what it matches)."""

    default = ""

    def clean(self, raw):
        return (raw or "").strip()


class Choice(Filter):
    """One of ``choices`` (Django choices or plain values); anything else is read as absent."""

    default = ""

    def __init__(self, choices, param: str | None = None):
        super().__init__(param)
        self.values = {str(c[0]) if isinstance(c, list | tuple) else str(c) for c in choices}

    def clean(self, raw):
        return raw if raw in self.values else ""


class Flag(Filter):
    """A checkbox: true when the parameter is "1"."""

    default = False

    def clean(self, raw):
        return raw == "1"


class Date(Filter):
    def clean(self, raw):
        return as_date(raw)


class Int(Filter):
    def __init__(self, low: int, high: int, param: str | None = None):
        super().__init__(param)
        self.low, self.high = low, high

    def clean(self, raw):
        return as_int(raw, self.low, self.high)


class Id(Filter):
    """A database id, or 0 (matches nothing)."""

    default = 0

    def clean(self, raw):
        return as_id(raw)


# --- Export ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """An Excel column: its header and how a row gives its value — a dotted path of attributes or keys
    ("org_unit.name", "get_status_display"; a callable at the end is called) or a function of the row."""

    header: str
    value: str | Callable[[Any], Any]

    def of(self, row) -> Any:
        if callable(self.value):
            return self.value(row)
        for part in self.value.split("."):
            if row is None:
                return None
            row = row.get(part) if isinstance(row, dict) else getattr(row, part)
            if callable(row):
                row = row()
        return row


def _rows(items, columns: Sequence[Column]) -> Iterable[tuple]:
    source = items.iterator(chunk_size=2000) if isinstance(items, QuerySet) else items
    for item in source:
        yield tuple(c.of(item) for c in columns)


# --- Views -----------------------------------------------------------------------------------------


class ObjectListView(LoginRequiredMixin, View):
    """A scoped, filtered, paged list with its Excel export (``?export=xlsx``).

    A subclass sets ``pages``, ``template_name``, ``tab`` and ``filters`` and writes ``get_queryset()``
    from ``self.filter_values`` and ``self.unit``; ``export_columns`` (or ``get_export_columns()``) turns
    the export on. The export re-runs the same steps for the job's user, so it lists exactly what the
    page lists, and a large one runs in the background (datahub.exports).
    """

    # None: any signed-in user may read the list (the pool is shared); the selector still scopes the rows.
    pages: ClassVar[PageScope | None] = None
    # Roles a reader needs, when not the app's readers (a dispatcher's page, an approver's list).
    readers: ClassVar[tuple[str, ...] | None] = None
    template_name: ClassVar[str]
    tab: ClassVar[str | None] = None
    filters: ClassVar[dict[str, Filter]] = {}
    # ``?unit=<id>`` narrows the list (404 when out of scope); the page's unit filter offers ``units``.
    unit_filter: ClassVar[bool] = False
    paginate: ClassVar[bool] = True
    page_size: ClassVar[int] = PAGE_SIZE
    # Roles that may add rows (``can_add`` in the context), when the page offers a 新增 button.
    adders: ClassVar[tuple[str, ...] | None] = None
    export_columns: ClassVar[Sequence[Column]] = ()
    export_filename: ClassVar[str] = ""
    export_kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.export_filename and "export_kind" not in cls.__dict__:
            cls.export_kind = f"{cls.__module__.split('.')[0]}.{cls.__name__}"
        # A list whose columns are declared here registers its own exporter; one that names only an
        # ``export_kind`` uses an exporter registered elsewhere (an app's exporters.py).
        if cls.export_kind and cls.export_columns:
            exporter(cls.export_kind)(cls._export_for)

    # The steps, shared by the page and the export.

    def prepare(self) -> None:
        """Check the reader, read the filters and the unit; 403/404 here, before any row is read."""
        if self.pages is not None:
            self.pages.require_reader(self.request, self.readers)
        self.filter_values = {
            name: f.clean(self.request.GET.get(f.param or name)) for name, f in self.get_filters().items()
        }
        self.unit, self.unit_unknown = None, False
        if self.unit_filter:
            try:
                self.unit = self.pages.within(self.request, self.readers)
            except Http404:
                # ?unit=99999 (an old link, a unit since removed, another agency's): an empty list that says
                # so, not a 404 page. Nonexistent and out of scope read alike, so nothing leaks.
                self.unit_unknown = True

    def get_filters(self) -> dict[str, Filter]:
        return self.filters

    def get_queryset(self):  # pragma: no cover - every list overrides it
        raise NotImplementedError

    def get_export_columns(self) -> Sequence[Column]:
        return self.export_columns

    def get_export_filename(self) -> str:
        return str(self.export_filename)  # a lazy name, in the reader's language

    def get_export_rows(self, items) -> Iterable[tuple]:
        return _rows(items, self.get_export_columns())

    def build_export(self) -> Export:
        items = self.get_queryset()
        columns = self.get_export_columns()
        total = items.count() if isinstance(items, QuerySet) else len(items)
        return Export(
            self.get_export_filename(), [c.header for c in columns], lambda: self.get_export_rows(items), total
        )

    @classmethod
    def _export_for(cls, user, params) -> Export:
        """The registered exporter: the list's own steps for ``user`` and the saved query string."""
        view = cls()
        view.setup(SimpleNamespace(user=user, GET=params, method="GET"))
        try:
            view.prepare()
            if view.unit_unknown:
                raise Http404
        except (PermissionDenied, Http404):
            # A grant revoked between the click and the job: the file lists nothing.
            # (The class's own filename: a filename built from the filters may not be computable now.)
            return Export(
                str(cls.export_filename) or f"{cls.export_kind}.xlsx", [c.header for c in cls.export_columns], list, 0
            )
        return view.build_export()

    # The page.

    def get(self, request, *args, **kwargs):
        self.prepare()
        if request.GET.get("export") == "xlsx" and self.export_kind:
            return export_response(request, self.export_kind)
        # The reader is checked on the primary (above); the rows may come from a read replica.
        with replica_reads():
            return self._page(request)

    def get_page_items(self):
        """What the page's paginator reads: the list's queryset, or a statement that reads the same rows as the
        page's ``values()`` (datahub.compiled; ``on_page`` then gets them as dicts, #17)."""
        return self.get_queryset()

    def _page(self, request):
        items = self.get_page_items()
        if self.unit_unknown:
            items = items.none() if isinstance(items, QuerySet) else []
            messages.warning(request, _("所选单位不存在或不在您的管理范围内，列表为空。"))
        context = {
            "tab": self.tab,
            "query": query_without_page(request),
            "filters": self.filter_values,
        }
        if self.paginate:
            context["page"] = page_of(request, items, self.page_size)
            self.on_page(context["page"])
        else:
            context["rows"] = items
        if self.unit_filter:
            context["unit"] = self.unit
            context["units"] = self.pages.units(request, self.readers)
        if self.adders is not None:
            context["can_add"] = scoping.holds_any(request.user, self.adders)
        context.update(self.get_context_data(items=items))
        return render(request, self.template_name, context)

    def get_context_data(self, **kwargs) -> dict:
        """What the page shows beside the rows (choices for the filters, figures)."""
        return {}

    def on_page(self, page) -> None:
        """Mark up the rows of the page shown (what the user may do with each), after paging."""


class _ObjectMixin:
    """``get_object()`` from a scoped queryset (404 outside the user's scope)."""

    lookup: ClassVar[str] = "pk"

    def get_scoped_queryset(self):  # pragma: no cover - overridden where get_object is not
        raise NotImplementedError

    def get_object(self):
        value = self.kwargs.get(self.lookup)
        if value is None:
            return None
        obj = self.get_scoped_queryset().filter(**{self.lookup: value}).first()
        if obj is None:
            raise Http404(_("找不到该记录，或它不在您的管理范围内。"))
        return obj


class ObjectDetailView(LoginRequiredMixin, _ObjectMixin, View):
    template_name: ClassVar[str]
    tab: ClassVar[str | None] = None
    context_object_name: ClassVar[str] = "object"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = {"tab": self.tab, self.context_object_name: self.object}
        context.update(self.get_context_data())
        return render(request, self.template_name, context)

    def get_context_data(self, **kwargs) -> dict:
        return {}


class ObjectFormView(LoginRequiredMixin, _ObjectMixin, View):
    """Create (no ``pk`` in the URL) or edit one object: form → service → errors on the form → message →
    redirect. The service decides; its ValidationError (per field where the form has the field) and its
    PermissionDenied show on the form, and nothing is written."""

    form_class: ClassVar[type[forms.BaseForm]]
    template_name: ClassVar[str] = "generic/object_form.html"
    tab: ClassVar[str | None] = None
    title: ClassVar[str] = ""
    # The section whose tabs the page shows ({% section_tabs %}), if any.
    section: ClassVar[str | None] = None
    success_message: ClassVar[str] = ""
    # ModelForms get ``instance``; forms that take the user get ``actor``.
    form_takes_actor: ClassVar[bool] = False

    def check_permission(self, obj) -> None:
        """Raise PermissionDenied (with the Chinese reason) when the user may not open this form."""

    def get_initial(self) -> dict:
        return {}

    def get_form_kwargs(self) -> dict:
        kwargs = {"data": self.request.POST or None, "initial": self.get_initial()}
        if self.request.FILES:
            kwargs["files"] = self.request.FILES
        if issubclass(self.form_class, forms.BaseModelForm):
            kwargs["instance"] = self.object
        if self.form_takes_actor:
            kwargs["actor"] = self.request.user
        return kwargs

    def get_form(self):
        return self.form_class(**self.get_form_kwargs())

    def perform(self, form, obj):  # pragma: no cover - every form overrides it
        """Call the service with ``form.cleaned_data``; return what the redirect needs."""
        raise NotImplementedError

    def get_success_url(self, result) -> str:  # pragma: no cover - every form overrides it
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return self.success_message

    def get_context_data(self, form) -> dict:
        """The template's ``cancel_url`` (required), ``heading``, ``heading_note``, ``breadcrumbs``."""
        return {}

    def _page(self, form):
        context = {"form": form, "title": self.title, "object": self.object, "tab": self.tab, "section": self.section}
        context.update(self.get_context_data(form))
        return render(self.request, self.template_name, context)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_object()
        self.check_permission(self.object)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self._page(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                result = self.perform(form, self.object)
            except (ValidationError, PermissionDenied) as exc:
                add_service_errors(form, as_validation(exc))
            else:
                return self.success_response(result)
        return self._page(form)

    def success_response(self, result):
        """The message and the redirect (a page that must show something once, such as a new token, renders
        it instead)."""
        if message := self.get_success_message(result):
            messages.success(self.request, message)
        return redirect(self.get_success_url(result))


class ObjectActionView(LoginRequiredMixin, _ObjectMixin, View):
    """A POST-only action on one object (a button on its page): an optional small form, the service call,
    a message (the refusal's reason, or ``success_message``) and back to the page (GET: 405)."""

    # As @require_POST: any other method, OPTIONS included, is a 405 that allows POST alone.
    http_method_names = ["post"]
    form_class: ClassVar[type[forms.BaseForm] | None] = None
    # What the message says when the small form does not validate.
    invalid_message: ClassVar[str] = ""
    success_message: ClassVar[str] = ""

    def perform(self, obj, data: dict):  # pragma: no cover - every action overrides it
        raise NotImplementedError

    def get_success_url(self, obj) -> str:  # pragma: no cover - every action overrides it
        raise NotImplementedError

    def get_success_message(self, obj) -> str:
        return self.success_message

    def get_form(self):
        """The small form, bound to the POST (override to pass what the form needs, such as the actor;
        ``self.object`` is the object acted on)."""
        return self.form_class(self.request.POST)

    def form_invalid(self, form) -> None:
        """Say why the small form was refused (one message; override to say it per field)."""
        messages.error(self.request, self.invalid_message or refusal_text(ValidationError(form.errors)))

    def post(self, request, *args, **kwargs):
        obj = self.object = self.get_object()
        data = {}
        if self.form_class is not None:
            form = self.get_form()
            if not form.is_valid():
                self.form_invalid(form)
                return redirect(self.get_success_url(obj))
            data = form.cleaned_data
        try:
            self.perform(obj, data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, refusal_text(exc))
        else:
            if message := self.get_success_message(obj):
                messages.success(request, message)
        return redirect(self.get_success_url(obj))
