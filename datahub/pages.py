"""What every domain's pages check before they read: that the user may open the domain at all, which unit a
list is narrowed to, and which units its unit filter offers.

Each app's views declare it once (``PAGES = PageScope(readers=..., subject="公务用车台账", ...)``) and call
``PAGES.require_reader(request)``, ``PAGES.within(request)`` and ``PAGES.units(request)``; the reads stay
scoped through datahub.scoping.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from . import scoping, selectors
from .models import OrgUnit
from .params import as_id

# A unit filter is a <select>: past a few hundred options it is unusable, and the page would load every unit.
UNIT_CHOICES_MAX = 500


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
            raise PermissionDenied(f"您没有查看{self.subject}的权限。")

    def within(self, request, roles: Iterable[str] | None = None) -> OrgUnit | None:
        """The unit a list is narrowed to (``?unit=<id>``): None if absent or not an id, 404 if out of scope."""
        pk = as_id(request.GET.get("unit"))
        if not pk:
            return None
        return get_object_or_404(scoping.visible_units(request.user, roles=roles or self.readers), pk=pk)

    def units(self, request, roles: Iterable[str] | None = None) -> QuerySet:
        """The units a list's unit filter offers: visible to the user, at the domain's levels."""
        return selectors.units_at_levels(
            request.user, roles=roles or self.readers, levels=self.unit_levels, limit=UNIT_CHOICES_MAX
        )
