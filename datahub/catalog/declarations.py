"""How a domain publishes a dataset to the catalog: a declaration next to its selectors, registered in its
AppConfig.ready() with ``declare()``. The hub reads the domain's rows through the declaration only, so datahub
never imports a domain (the same pattern as request kinds and the portal registry).

The information items are derived from the declared fields of the model: their data types from the model
fields, their names from the declaration. Adding or removing a declared field changes the catalog entry's
version at the next sync (services.catalog_sync), with a note saying what changed.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from ..labels import stored
from . import rules
from .rules import Format, OpenAttr, ShareType, UpdateCycle


@dataclass(frozen=True)
class Item:
    """One declared field: ``lookup`` is an ORM path on the model (``org_unit__code``), ``name`` its key in the API."""

    lookup: str
    label: str
    name: str = ""
    personal: bool = False
    description: str = ""
    # Only for a key inside a JSON field (``figures__kgce``), whose type the model cannot tell: 数值型, 字符型 …
    data_type: str = ""

    @property
    def key(self) -> str:
        return self.name or self.lookup


@dataclass(frozen=True)
class DatasetDeclaration:
    key: str  # stable identity of the dataset, e.g. "vehicles.ledger"
    code: str  # catalog code, 类-项-目[-细目].顺序码
    name: str
    summary: str
    model: type[models.Model]
    items: tuple[Item, ...]
    unit_field: str = "org_unit"  # the row's OrgUnit: row-level grants filter on its subtree
    changed_field: str | None = None  # an auto_now datetime for ?changed_since=
    share_type: str = ShareType.UNCONDITIONAL
    share_condition: str = ""
    share_method: str = "接口调用"
    legal_basis: str = ""
    open_attr: str = OpenAttr.CLOSED
    update_cycle: str = UpdateCycle.REALTIME
    format: str = Format.API
    related_codes: str = ""
    queryset: Callable[[], models.QuerySet] | None = field(default=None, compare=False)

    def rows(self) -> models.QuerySet:
        return self.queryset() if self.queryset else self.model._default_manager.all()

    def item_rows(self) -> list[dict]:
        """The information items as the catalog stores them, derived from the model's fields."""
        return [
            {
                "name": item.key,
                # Declared labels may be lazy translations (a choice's label); the catalog row stores text.
                "label": stored(item.label),
                "data_type": item.data_type
                or rules.data_type_of(_field_at(self.model, item.lookup).get_internal_type()),
                "personal": item.personal,
                "description": stored(item.description),
            }
            for item in self.items
        ]

    def signature(self) -> str:
        rows = [(r["name"], r["data_type"], r["personal"]) for r in self.item_rows()]
        return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()

    def lookups(self) -> dict[str, str]:
        return {item.key: item.lookup for item in self.items}

    def fields(self) -> dict[str, models.Field]:
        """Each item's model field (a JSON field for a key inside one)."""
        return {item.key: _field_at(self.model, item.lookup) for item in self.items}


def _field_at(model, lookup: str):
    """The model field a ``__`` path ends on (a JSON field, for a path into one); a wrong path fails at
    registration, not at the first call."""
    parts = lookup.split("__")
    for part in parts[:-1]:
        field = model._meta.get_field(part)
        if isinstance(field, models.JSONField):
            return field
        model = field.related_model
    try:
        return model._meta.get_field(parts[-1])
    except FieldDoesNotExist as exc:
        raise ValueError(f"declared item {lookup!r} is not a field of {model.__name__}") from exc


_DECLARED: dict[str, DatasetDeclaration] = {}


def declare(declaration: DatasetDeclaration) -> DatasetDeclaration:
    problem = rules.code_problem(declaration.code)
    if problem:
        raise ValueError(f"{declaration.key}: {problem}")
    existing = _DECLARED.get(declaration.key)
    if existing is not None and existing.model is not declaration.model:
        raise ValueError(f"dataset {declaration.key!r} is already declared by another model")
    _DECLARED[declaration.key] = declaration
    return declaration


def undeclare(key: str) -> None:
    """For tests that declare a temporary dataset."""
    _DECLARED.pop(key, None)


def get(key: str | None) -> DatasetDeclaration | None:
    return _DECLARED.get(key) if key else None


def all_declared() -> list[DatasetDeclaration]:
    return sorted(_DECLARED.values(), key=lambda d: d.code)
