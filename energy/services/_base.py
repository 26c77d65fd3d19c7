"""What every energy write checks first: who may write an institution's figures, and that it is one."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.models import OrgUnit
from datahub.roles import Role

ENERGY_EDITORS = (Role.ENERGY_REPORTER, Role.BUREAU_ADMIN)


def require_editor(*, actor, unit: OrgUnit) -> None:
    """Only an energy reporter or bureau administrator covering the unit may write its figures."""
    if not scoping.covers(actor, unit, roles=ENERGY_EDITORS):
        raise PermissionDenied(_("您没有填报“%(unit)s”能耗数据的权限。") % {"unit": unit})


def _require_institution(unit: OrgUnit) -> None:
    if unit.level != OrgUnit.Level.INSTITUTION:
        raise ValidationError({"org_unit": _("“%(unit)s”不是公共机构（机关/单位），能耗按机构填报。") % {"unit": unit}})
