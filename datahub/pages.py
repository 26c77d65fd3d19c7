"""What every domain's pages check before they read: that the user may open the domain at all, which unit a
list is narrowed to, and which units its unit filter offers.

Each app's views declare it once (``PAGES = PageScope(readers=..., subject="公务用车台账", ...)``) and call
``PAGES.require_reader(request)``, ``PAGES.within(request)`` and ``PAGES.units(request)``; the reads stay
scoped through datahub.scoping.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import formatting, scoping, selectors
from .auth import usercache
from .labels import shown
from .memo import Bounded
from .models import OrgUnit
from .paging import RowMarkup
from .params import as_id

# A unit filter offers at most this many units at once (the first by tree order, or those matching the
# search box ``?unit_q=``): a province-wide reader sees 2,000 units, and rendering them all on every
# list page was half of the page's time. The search narrows the choice, with JavaScript (HTMX fills the
# drop-down as one types) or without (submit the search, then pick).
UNIT_CHOICES_MAX = 30
UNIT_SEARCH_PARAM = "unit_q"
_SIGNING_SALT = "datahub.unit-filter"
OPTION = RowMarkup('<option value="{value}"{selected}>{label}</option>')
SELECTED = mark_safe(" selected")


def options_html(choices, chosen) -> str:
    """A filter's ``<option>`` elements for (value, label) pairs, ``chosen`` (the query's value) selected: a
    list page's selects filled without a template loop (#17). Choices whose labels are all lazy (constants of
    the code: a model's choices, the request kinds) are drawn once per language and selected value."""
    choices = list(choices)
    labels = tuple(label for _, label in choices)
    if not labels or not all(isinstance(label, Promise) for label in labels):
        return _options(choices, chosen)
    values = tuple(str(value) for value, _ in choices)
    key = (get_language(), values, tuple(map(id, labels)), chosen if chosen in values else None)
    hit = _OPTIONS_HTML.get(key)
    # The labels themselves are kept with the markup: an id is only theirs while they live.
    if hit is None or any(a is not b for a, b in zip(hit[0], labels, strict=True)):
        hit = _OPTIONS_HTML.keep(key, (labels, _options(choices, chosen)))
    return hit[1]


_OPTIONS_HTML = Bounded(1024)


def _options(choices, chosen) -> str:
    return OPTION.render(
        {"value": value, "label": shown(label), "selected": SELECTED if str(value) == chosen else ""}
        for value, label in choices
    )


class UnitOptions(list):
    """The units a filter offers, with what its template needs: the chosen id, the search text and the URL
    the search box asks for more options (signed: the roles and levels cannot be changed by the browser)."""

    def __init__(self, units, *, chosen_id: int | None, query: str, token: str):
        super().__init__(units)
        self.chosen_id = chosen_id
        self.query = query
        self.token = token

    @property
    def options_html(self) -> str:
        """The units as ``<option>`` elements (the chosen one selected), filled without a template loop (#17)."""
        chosen = self.chosen_id
        return OPTION.render(
            {"value": u.pk, "label": formatting.unit_label(u), "selected": SELECTED if u.pk == chosen else ""}
            for u in self
        )

    @property
    def search_url(self) -> str:
        return f"{reverse('unit-options')}?scope={self.token}"


def unit_filter_scope(token: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The roles and levels a unit filter's search token stands for; None if it was not signed here."""
    try:
        roles, levels = signing.loads(token, salt=_SIGNING_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return tuple(roles), tuple(levels)


def unit_options(user, *, roles, levels, query: str = "", chosen_id: int | None = None) -> list[OrgUnit]:
    """The options for a unit filter (one query): the chosen unit first, then the units matching
    ``query`` by name or code (all, without one), in tree order, at most UNIT_CHOICES_MAX."""
    return list(
        selectors.units_at_levels(
            user, roles=roles, levels=levels, limit=UNIT_CHOICES_MAX, search=query, first_id=chosen_id
        )
    )


@dataclass(frozen=True)
class PageScope:
    readers: tuple[str, ...]
    # What the refusal says the user may not see ("您没有查看{subject}的权限。").
    subject: str
    # The levels a list's unit filter offers (the units a domain's rows belong to).
    unit_levels: tuple[str, ...] = (OrgUnit.Level.INSTITUTION, OrgUnit.Level.DEPARTMENT)

    def require_reader(self, request, roles: Iterable[str] | None = None) -> None:
        """403 unless the user holds one of ``roles`` (the domain's readers by default) on some unit."""
        if not scoping.holds_any(request.user, roles or self.readers):
            raise PermissionDenied(_("您没有查看%(subject)s的权限。") % {"subject": self.subject})

    def within(self, request, roles: Iterable[str] | None = None) -> OrgUnit | None:
        """The unit a list is narrowed to (``?unit=<id>``): None if absent or not an id, 404 if out of scope."""
        pk = as_id(request.GET.get("unit"))
        if not pk:
            return None
        return get_object_or_404(scoping.visible_units(request.user, roles=roles or self.readers), pk=pk)

    def units(self, request, roles: Iterable[str] | None = None) -> UnitOptions:
        """The units a list's unit filter offers: visible to the user, at the domain's levels, at most
        UNIT_CHOICES_MAX — the chosen one (``?unit=``) and those matching ``?unit_q=``."""
        roles = tuple(roles or self.readers)
        query = request.GET.get(UNIT_SEARCH_PARAM, "").strip()[:50]
        chosen_id = as_id(request.GET.get("unit"))
        user, levels = request.user, tuple(self.unit_levels)
        tokens = None if query else usercache.tokens_of(user)
        if tokens is None:
            units = unit_options(user, roles=roles, levels=levels, query=query, chosen_id=chosen_id)
        else:
            # Without a search, the options depend on the user's grants and the units alone: kept in this
            # process and in the shared cache under the tokens that are replaced when either changes (a list
            # page's query, #17).
            key = (user.pk, *tokens, roles, levels, chosen_id)
            units = _UNIT_OPTIONS.get(key)
            if units is None:
                units = _UNIT_OPTIONS.keep(key, _shared_unit_options(key, user, roles, levels, chosen_id))
        return UnitOptions(units, chosen_id=chosen_id, query=query, token=_search_token(roles, levels))


_UNIT_OPTIONS = Bounded(4096)
# Long enough for a person's next visits, short enough that options under replaced tokens do not pile up.
UNIT_OPTIONS_SECONDS = 10 * 60


def _shared_unit_options(key: tuple, user, roles, levels, chosen_id) -> list[OrgUnit]:
    """A filter's options from the shared cache, or read and stored there: each worker's first list page of a
    person was otherwise one query and its units made again (about a third of that page's CPU, #17). The key
    carries the person's and the units' tokens, read before the user's rows: options read from a state older
    than a grant or unit change sit under tokens no request reads any more."""
    user_pk, user_token, units_token = key[:3]
    shared = f"pageunits:{user_pk}:{user_token}:{units_token}:{','.join(roles)}:{','.join(levels)}:{chosen_id or ''}"
    units = cache.get(shared)
    if units is None:
        units = unit_options(user, roles=roles, levels=levels, chosen_id=chosen_id)
        cache.set(shared, units, timeout=UNIT_OPTIONS_SECONDS)
    return units


@lru_cache(maxsize=256)
def _signed_scope(roles: tuple[str, ...], levels: tuple[str, ...], key: str) -> str:
    return signing.dumps([list(roles), list(levels)], key=key, salt=_SIGNING_SALT, compress=True)


def _search_token(roles: tuple[str, ...], levels: tuple[str, ...]) -> str:
    """The search box's signed scope, signed once per process (only its signature is checked when it comes
    back, never its age)."""
    return _signed_scope(roles, levels, settings.SECRET_KEY)
