"""Resolving an approval chain for one ticket: who decides each step.

For each step whose condition holds, the deciders are the active holders of the step's
role on the requester's unit (or the unit the step names) or the nearest ancestor that has any (the requester is never
their own approver). If nobody holds the role, the step goes to the nearest bureau
administrator instead, and says so; if there is none either, to the superusers.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from datahub.keyed import Keyed, label
from datahub.models import OrgUnit, User
from datahub.roles import Role
from datahub.selectors import nearest_holders

from .registry import Countersign, RequestKind


@dataclass
class ResolvedStep:
    name: str
    role: str
    unit: OrgUnit | None
    assignees: list[User]
    fallback_note: "Keyed | str" = ""
    rule: str = "single"
    quorum: int | None = None
    parts: list["ResolvedStep"] = field(default_factory=list)


def resolve_step(name: str, role: str, unit: OrgUnit, requester: User) -> ResolvedStep:
    holders, at = nearest_holders(role, unit, exclude=requester)
    if holders:
        return ResolvedStep(name, role, at, holders)
    # The note is kept as a message, so each reader sees it (and the role's name) in their language.
    role_label = label(Role(role).label) if role in Role.values else role
    admins, at = nearest_holders(Role.BUREAU_ADMIN, unit, exclude=requester)
    if admins:
        note = Keyed(
            gettext_noop("本单位及上级均无人担任“%(role)s”，已转由机关事务管理局管理员审批。"), {"role": role_label}
        )
        return ResolvedStep(name, role, at, admins, note)
    supers = list(User.objects.filter(is_superuser=True, is_active=True).exclude(pk=requester.pk))
    note = Keyed(
        gettext_noop("无人担任“%(role)s”，也无机关事务管理局管理员，已转由系统管理员处理。"), {"role": role_label}
    )
    return ResolvedStep(name, role, None, supers, note)


def resolve_countersign(step: Countersign, detail, unit: OrgUnit, requester: User) -> ResolvedStep:
    """Each signer resolved on its own; the step's assignees are all of them (who may see the ticket)."""
    parts = [resolve_step(s.name, s.role, s.unit(detail) if s.unit else unit, requester) for s in step.signers]
    everyone = list({u.pk: u for part in parts for u in part.assignees}.values())
    return ResolvedStep(step.name, step.role, unit, everyone, rule=step.rule, quorum=step.quorum, parts=parts)


def resolve_chain(kind: RequestKind, detail, unit: OrgUnit, requester: User) -> list[ResolvedStep]:
    return [
        resolve_countersign(s, detail, unit, requester)
        if isinstance(s, Countersign)
        else resolve_step(s.name, s.role, s.unit(detail) if s.unit else unit, requester)
        for s in kind.chain
        if s.applies_to(detail)
    ]
