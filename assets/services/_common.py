"""What every write of the assets app shares: the permission check, the row lock, the movement."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from datahub import keyed, scoping
from datahub.models import OrgUnit, User
from datahub.roles import Role
from portal.workflow import Status as TicketStatus

from ..models import Asset, Movement
from ..rules import AssetStatus

ASSET_EDITORS = (Role.ASSET_ADMIN, Role.BUREAU_ADMIN)
BUREAU = (Role.BUREAU_ADMIN,)
APPROVED_TICKET = (TicketStatus.APPROVED, TicketStatus.IN_PROGRESS, TicketStatus.DONE)


def _require_editor(actor: User, unit: OrgUnit, roles=ASSET_EDITORS) -> None:
    if not scoping.covers(actor, unit, roles=roles):
        raise PermissionDenied(_("您没有管理“%(unit)s”资产的权限。") % {"unit": unit})


def _locked(asset: Asset) -> Asset:
    """Re-read the card under a row lock so two moves of one card run one after the other."""
    return Asset.objects.select_for_update().select_related("org_unit", "category").get(pk=asset.pk)


def _move(asset: Asset, kind: str, actor: User, *, note="", **fields) -> Movement:
    """``note``: what the person typed, or a ``keyed.Keyed`` message the system writes (read in the
    reader's language)."""
    movement = Movement(asset=asset, kind=kind, actor=actor, **keyed.columns("note", note, 500), **fields)
    movement.save()
    return movement


def _status_label(status: str) -> str:
    return AssetStatus(status).label


def _ticket_approved(ticket) -> bool:
    return ticket is not None and ticket.status in APPROVED_TICKET
