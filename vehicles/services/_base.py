"""What every write of the vehicles app checks first: the actor's role over the unit, and no unknown field."""

from django.core.exceptions import PermissionDenied, ValidationError

from datahub import scoping
from datahub.models import OrgUnit

from .. import selectors

FLEET_EDITORS = selectors.FLEET_EDITORS


def _require(actor, unit: OrgUnit | None, roles=FLEET_EDITORS, what="公务用车") -> None:
    if not scoping.covers(actor, unit, roles=roles):
        name = unit.name if unit is not None else "该单位"
        raise PermissionDenied(f"您没有管理“{name}”{what}的权限。")


def _unknown(fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "不支持的字段。"))
