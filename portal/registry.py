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
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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
class Signer:
    """One party to a countersign: the holders of ``role`` nearest above the requester's unit
    (or above the unit ``unit`` names from the detail, e.g. the other side of a transfer)."""

    name: str
    role: str
    unit: Callable[[models.Model], "OrgUnit"] | None = None


class Rule:
    """When a countersign step is decided: every signer agrees, one suffices, or at least ``quorum``."""

    ALL = "all"
    ANY = "any"
    QUORUM = "quorum"


@dataclass(frozen=True)
class Countersign:
    """A parallel step (会签): several units or roles decide at once, and ``rule`` says when it passes.

    Declared in a kind's chain like a ``Step``; under "all" one refusal refuses the step, under
    "any" one agreement passes it, under "quorum" ``quorum`` agreements do.
    """

    name: str
    signers: tuple[Signer, ...]
    rule: str = Rule.ALL
    quorum: int | None = None
    when: Callable[[models.Model], bool] | None = None

    def __post_init__(self):
        if self.rule not in (Rule.ALL, Rule.ANY, Rule.QUORUM):
            raise ValueError(f"countersign {self.name!r}: unknown rule {self.rule!r}")
        if self.rule == Rule.QUORUM and not (self.quorum and 1 <= self.quorum <= len(self.signers)):
            raise ValueError(f"countersign {self.name!r}: quorum must be between 1 and the number of signers")
        if len(self.signers) < 2:
            raise ValueError(f"countersign {self.name!r}: needs at least two signers")

    @property
    def role(self) -> str:
        return self.signers[0].role

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
    chain: tuple[Step | Countersign, ...]
    handler_role: str
    sla_hours: int
    outcome_form: type[forms.Form]
    # Called with keywords only: record_outcome(ticket=, detail=, actor=, outcome=) inside the engine's
    # transaction; on_approved(ticket=, detail=).
    record_outcome: Callable
    on_approved: Callable | None = None
    # on_submitted(ticket=, detail=): on every submission, inside the engine's transaction — it may hold
    # what the request needs (a meeting room for its time window) and refuse the submission by raising
    # ValidationError (nothing is written). on_ended(ticket=, detail=): when the ticket is refused,
    # withdrawn or returned for changes — it lets go of what on_submitted held.
    on_submitted: Callable | None = None
    on_ended: Callable | None = None
    bulk_approvable: bool = False
    description: str = ""
    # A kind whose approval is its end (e.g. a report reviewed by the level above): the ticket is done
    # when approved, nobody handles it afterwards.
    done_on_approval: bool = False
    # A kind whose rule counts working days (e.g. 数据共享申请): the limit people read ("5 个工作日").
    sla_working_days: int | None = None
    # The ticket's time limit when its limit is set in working days (deadline(ticket=, detail=, start=) ->
    # an aware datetime, e.g. counted on the working calendar); without one, ``start + sla_hours``.
    deadline: Callable | None = None


_KINDS: dict[str, RequestKind] = {}


# all_kinds() per language: sorting by the lazy labels translated every label of every comparison, on
# every request that builds the handler filter. Emptied whenever a kind is registered.
_SORTED: dict[str | None, list[RequestKind]] = {}


def register(kind: RequestKind) -> RequestKind:
    existing = _KINDS.get(kind.code)
    if existing is not None and existing.detail_model is not kind.detail_model:
        raise ValueError(f"request kind {kind.code!r} is already registered by another model")
    _KINDS[kind.code] = kind
    _SORTED.clear()
    return kind


def get(code: str) -> RequestKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise ValidationError({"kind": _("没有“%(code)s”这种申请类型。") % {"code": code}}) from None


def all_kinds() -> list[RequestKind]:
    """Every kind, by domain and label in the active language (a new list: callers may change it)."""
    language = get_language()
    ordered = _SORTED.get(language)
    if ordered is None or len(ordered) != len(_KINDS):
        ordered = _SORTED[language] = sorted(_KINDS.values(), key=lambda k: (str(k.domain), str(k.label)))
    return list(ordered)


def handler_roles() -> set[str]:
    """The roles that handle some kind of request once it is approved."""
    return {k.handler_role for k in _KINDS.values()}


def kinds_handled_by(role: str) -> list[str]:
    return [k.code for k in _KINDS.values() if k.handler_role == role]


def label(code: str) -> str:
    kind = _KINDS.get(code)
    return kind.label if kind else code


@dataclass(frozen=True)
class Member:
    """One matter of a 一件事 bundle: a request of ``kind``, its form filled from the bundle's data.

    ``fields(data=, requester=)`` maps the bundle form's cleaned data to the member kind's form data
    (model instances may be given; they are sent as their primary key). ``after`` names the member
    this one waits for: it is filed as a draft and submitted when that one is approved. ``when(data=)``
    leaves the member out when it returns False (e.g. no vehicles needed).
    """

    key: str
    kind: str
    label: str
    fields: Callable
    after: str | None = None
    when: Callable | None = None


@dataclass(frozen=True)
class BundleKind:
    """一件事: several request kinds filed from one form and followed as one. Declared as data, so a new
    bundle is a registration, not engine code. ``form_class`` is built with ``requester=``."""

    code: str
    label: str
    description: str
    form_class: type[forms.Form]
    members: tuple[Member, ...]
    title: Callable | None = None  # (data=) -> a datahub.keyed.Keyed message (or a text)
    # Filed by the directory itself when a person leaves their post (datahub.signals.person_leaving):
    # (person=, reason=, last_day=) -> the bundle form's data; None for bundles a person files.
    on_leaving: Callable | None = None


_BUNDLES: dict[str, BundleKind] = {}


def register_bundle(bundle: BundleKind) -> BundleKind:
    keys = [m.key for m in bundle.members]
    if len(set(keys)) != len(keys):
        raise ValueError(f"bundle {bundle.code!r}: member keys repeat")
    for m in bundle.members:
        if m.after is not None and m.after not in keys[: keys.index(m.key)]:
            raise ValueError(f"bundle {bundle.code!r}: {m.key!r} waits for {m.after!r}, which must come before it")
    _BUNDLES[bundle.code] = bundle
    return bundle


def get_bundle(code: str) -> BundleKind:
    try:
        return _BUNDLES[code]
    except KeyError:
        raise ValidationError({"kind": _("没有“%(code)s”这种一件事。") % {"code": code}}) from None


def leaving_bundles() -> list[BundleKind]:
    return [b for b in all_bundles() if b.on_leaving is not None]


def all_bundles() -> list[BundleKind]:
    return sorted(_BUNDLES.values(), key=lambda b: b.label)


# What a person holds in a domain's ledgers (rooms, asset cards, duties), for the 离岗 bundle:
# each provider is called provider(person=) and returns a list of lines to show.
_HOLDINGS: dict[str, Callable] = {}


def register_holdings(name: str, provider: Callable) -> None:
    _HOLDINGS[name] = provider


# Who else may open a ticket, by the domain's own rule (e.g. the department head asked to review an
# emergency trip after the fact, who is no step's assignee): each provider(user) returns ticket ids.
_VIEWERS: dict[str, Callable] = {}


def register_viewers(name: str, provider: Callable) -> None:
    _VIEWERS[name] = provider


def viewer_providers() -> list[Callable]:
    return list(_VIEWERS.values())


def holdings_of(person) -> dict[str, list[str]]:
    return {name: provider(person=person) for name, provider in sorted(_HOLDINGS.items())}


def detail_form(kind: RequestKind, requester, *args, **kwargs) -> forms.ModelForm:
    """The kind's filing form, told who files when it wants to know."""
    if getattr(kind.form_class, "takes_requester", False):
        kwargs["requester"] = requester
    return kind.form_class(*args, **kwargs)
