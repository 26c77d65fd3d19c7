"""Who sees which personal data of a person, and how it is masked: the one rule every surface uses.

The directory pages, the API (/api/v1/users/), the Excel export and the admin (change form, list, history
and history form) all render a person's 身份证号, phone and e-mail through ``PersonView``:

- which of those fields a viewer sees at all follows ``roles.PERSON_EXTRA_FIELDS`` for the roles the viewer
  holds on the person's unit (least privilege; the basic entry — name, unit, title, level — is always shown
  to whoever may read the person);
- 身份证号 is unmasked only for holders of ``datahub.view_full_id_number`` (last four characters otherwise);
- the phone is unmasked only for holders of ``datahub.view_full_phone`` (``138****0001`` otherwise);
- a person always sees their own data in full;
- every unmasked 身份证号 or phone of *another* person that is rendered is remembered in ``revealed`` so the
  caller writes one audit row per person (``services.record_personal_data_reads``); ``revealed`` is keyed by
  the person object so that writing the rows needs no further query.
"""

from collections.abc import Iterable

from . import idnumbers, scoping
from .roles import PEOPLE_READERS, PERSON_EXTRA_FIELDS

# field → (permission that unmasks it, masking function). E-mail is not masked, only withheld.
MASKED_FIELDS = {
    "id_number": ("datahub.view_full_id_number", idnumbers.mask_id_number),
    "phone": ("datahub.view_full_phone", idnumbers.mask_phone),
}
EXTRA_FIELDS = ("email", "phone", "id_number")
ALL_EXTRA = frozenset(EXTRA_FIELDS)


def mask(field: str, value: str) -> str:
    return MASKED_FIELDS[field][1](value) if field in MASKED_FIELDS else value


def may_unmask(viewer, field: str) -> bool:
    """Does ``viewer`` hold the full-view permission of ``field`` (superusers hold every permission)?"""
    return bool(viewer and viewer.is_authenticated and viewer.has_perm(MASKED_FIELDS[field][0]))


class PersonView:
    """One viewer's view of people: built once per request (one query for the viewer's grants)."""

    def __init__(self, viewer):
        self.viewer = viewer
        self.superuser = bool(viewer and viewer.is_authenticated and viewer.is_superuser)
        self._paths = {} if self.superuser else scoping.granted_paths_by_role(viewer, PEOPLE_READERS)
        self._unmask = {field: may_unmask(viewer, field) for field in MASKED_FIELDS}
        self.revealed: dict = {}  # person → set of fields shown unmasked

    def fields_for(self, person) -> frozenset[str]:
        """The extra fields (e-mail, phone, 身份证号) the viewer may see of ``person``."""
        if self.superuser or (self.viewer and person.pk == self.viewer.pk):
            return ALL_EXTRA
        unit = getattr(person, "org_unit", None)
        if unit is None:
            return frozenset()
        granted = frozenset()
        for role, paths in self._paths.items():
            if any(unit.path.startswith(p) for p in paths):
                granted |= PERSON_EXTRA_FIELDS[role]
        return granted

    @property
    def columns(self) -> tuple[str, ...]:
        """The extra fields the viewer may see of anybody (the columns of a list or an export)."""
        if self.superuser:
            return EXTRA_FIELDS
        granted = set()
        for role, paths in self._paths.items():
            if paths:
                granted |= PERSON_EXTRA_FIELDS[role]
        return tuple(f for f in EXTRA_FIELDS if f in granted)

    def unmasks(self, field: str, person=None) -> bool:
        return bool(self._unmask.get(field)) or (person is not None and self.viewer and person.pk == self.viewer.pk)

    def value(self, person, field: str, *, allowed: frozenset[str] | None = None) -> str:
        """What the viewer is shown of ``person.field``: "" if withheld, masked, or in full (and remembered)."""
        allowed = self.fields_for(person) if allowed is None else allowed
        raw = getattr(person, field) or ""
        if field not in allowed:
            return ""
        if field not in MASKED_FIELDS:
            return raw
        if not self.unmasks(field, person):
            return mask(field, raw)
        if raw and person.pk != getattr(self.viewer, "pk", None):
            self.revealed.setdefault(person, set()).add(field)
        return raw

    def shown(self, person) -> dict[str, str]:
        """Every extra field of ``person`` as the viewer may see it (withheld ones are "")."""
        allowed = self.fields_for(person)
        return {field: self.value(person, field, allowed=allowed) for field in EXTRA_FIELDS}

    def reveal(self, person, fields: Iterable[str]) -> None:
        """Remember an unmasked read that happened outside ``value()`` (an admin form, a history diff)."""
        fields = {f for f in fields if f in MASKED_FIELDS}
        if fields and person.pk != getattr(self.viewer, "pk", None):
            self.revealed.setdefault(person, set()).update(fields)
