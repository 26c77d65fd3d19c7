"""Page lists the same way on every screen (the pagination template reads ``page`` and ``query``)."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def page_of(request, qs, size: int = PAGE_SIZE) -> Page:
    """The requested page; a missing or wrong page number gives the first or the last page."""
    return Paginator(qs, size).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current filters as a query string, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
