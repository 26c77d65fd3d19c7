"""Page lists the same way on every screen (the pagination template reads ``page`` and ``query``)."""

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.urls import reverse

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
    head, _, tail = reverse(name, args=[_ANY_ID]).rpartition(str(_ANY_ID))
    return lambda pk: f"{head}{pk}{tail}"
