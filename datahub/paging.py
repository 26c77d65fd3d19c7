"""Page lists the same way on every screen (the pagination template reads ``page`` and ``query``)."""

import html
import re
from collections.abc import Callable
from string import Formatter

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils.safestring import SafeData, SafeString, mark_safe

PAGE_SIZE = 50


def page_of(request, qs, size: int = PAGE_SIZE) -> Page:
    """The requested page; a missing or wrong page number gives the first or the last page."""
    return Paginator(qs, size).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current filters as a query string, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# A number no real id has in its digits by chance at the place it stands: the URL is split around it.
_ANY_ID = 918273645546372819


def row_url(name: str) -> Callable[[int], str]:
    """The URL of ``name`` for any row id, from one ``reverse()``: a list's fifty row links were fifty
    ``{% url %}`` tags (the URL resolver walked for each), a tenth of the page's rendering."""
    head, tail = row_url_parts(name)
    return lambda pk: f"{head}{pk}{tail}"


def row_url_parts(name: str) -> tuple[str, str]:
    """The URL of ``name`` for a row id as the text before and after the id."""
    head, _, tail = reverse(name, args=[_ANY_ID]).rpartition(str(_ANY_ID))
    return head, tail


class RowMarkup:
    """A list's table row as markup with ``{name}`` slots, filled from each row's dict with every value escaped
    (a SafeString, e.g. a fragment built with format_html, as it is). The rows' ``<tr>`` then cost one
    ``str.format`` each instead of a template loop: Django's template engine resolved the ~10 cells of each of
    fifty rows one variable and one ``{% if %}`` node at a time, the largest part left of a list page's own CPU
    (#17). A fragment in the reader's language (a tag, a button) is a slot too, built once per page."""

    def __init__(self, markup: str):
        self.markup = markup
        self.slots = tuple({name for _, name, _, _ in Formatter().parse(markup) if name})

    def render(self, rows) -> SafeString:
        fill, slots = self.markup.format_map, self.slots
        # Every slot escaped here, so the joined rows are safe; a row's other keys are not read.
        return mark_safe("".join(fill({k: escaped(row[k]) for k in slots}) for row in rows))


# What html.escape replaces: most cells have none of them, and one scan for them costs half of escape's five.
_SPECIAL = re.compile("[&<>\"']")


def escaped(value) -> str:
    """``conditional_escape`` without its checks for other kinds of values: the cells are text or fragments."""
    if type(value) is str:  # most cells: plain text (a SafeString is a subclass, never this)
        return html.escape(value) if _SPECIAL.search(value) else value
    if isinstance(value, SafeData):
        return value
    text = str(value)
    return html.escape(text) if _SPECIAL.search(text) else text
