"""What every write of the vehicles app checks first: the actor's role over the unit, and no unknown field."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.models import OrgUnit

from .. import selectors

FLEET_EDITORS = selectors.FLEET_EDITORS


FLEET = _("公务用车")


def _require(actor, unit: OrgUnit | None, roles=FLEET_EDITORS, what=FLEET) -> None:
    if not scoping.covers(actor, unit, roles=roles):
        name = unit.name if unit is not None else _("该单位")
        raise PermissionDenied(_("您没有管理“%(name)s”%(what)s的权限。") % {"name": name, "what": what})


def _unknown(fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("不支持的字段。")))
