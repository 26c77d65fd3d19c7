"""Request kinds are registered here by the domain apps (in their AppConfig.ready()).

A kind declares, as data: its detail model and the form a requester fills, its approval
chain (steps naming a role, resolved at run time from the requester's unit), the role
that handles it once approved, its service-level time, the outcome form, and the service
that records the outcome in the domain's ledger. The portal's engine does the rest.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.db import models

if TYPE_CHECKING:
    from datahub.models import OrgUnit


@dataclass(frozen=True)
class Step:
    """One approval step: decided by whoever holds ``role`` nearest above the requester's unit.

    ``when`` (optional) receives the detail object; the step applies only if it returns True.
    ``unit`` (optional) receives the detail object and names another unit to resolve the step
    from — for a consent that belongs to the other side, e.g. the unit that gives an item away.
    """

    name: str
    role: str
    when: Callable[[models.Model], bool] | None = None
    unit: Callable[[models.Model], "OrgUnit"] | None = None

    def applies_to(self, detail) -> bool:
        return self.when is None or bool(self.when(detail))


@dataclass(frozen=True)
class RequestKind:
    code: str
    label: str
    domain: str
    detail_model: type[models.Model]
    # A form class with ``takes_requester = True`` is built with ``requester=<user>`` (e.g. to offer
    # only the requester's own rooms).
    form_class: type[forms.ModelForm]
    chain: tuple[Step, ...]
    handler_role: str
    sla_hours: int
    outcome_form: type[forms.Form]
    record_outcome: Callable  # (*, ticket, detail, actor, outcome) -> None, inside the engine's transaction
    on_approved: Callable | None = None  # (*, ticket, detail) -> None
    bulk_approvable: bool = False
    description: str = ""


_KINDS: dict[str, RequestKind] = {}


def register(kind: RequestKind) -> RequestKind:
    existing = _KINDS.get(kind.code)
    if existing is not None and existing.detail_model is not kind.detail_model:
        raise ValueError(f"request kind {kind.code!r} is already registered by another model")
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> RequestKind:
    try:
        return _KINDS[code]
    except KeyError:
        from django.core.exceptions import ValidationError

        raise ValidationError({"kind": f"没有“{code}”这种申请类型。"}) from None


def all_kinds() -> list[RequestKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.domain, k.label))


def kinds_handled_by(role: str) -> list[str]:
    return [k.code for k in _KINDS.values() if k.handler_role == role]


def label(code: str) -> str:
    kind = _KINDS.get(code)
    return kind.label if kind else code


def detail_form(kind: RequestKind, requester, *args, **kwargs) -> forms.ModelForm:
    """The kind's filing form, told who files when it wants to know."""
    if getattr(kind.form_class, "takes_requester", False):
        kwargs["requester"] = requester
    return kind.form_class(*args, **kwargs)
