"""The driver register: a driver is a directory person registered once, in the person's own unit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from datahub.models import User

from ..models import Driver
from ._base import _require, _unknown

DRIVER_FIELDS = ("person", "org_unit", "licence_class", "licence_expires", "status")


@transaction.atomic
def save_driver(*, actor: User, fields: dict, driver: Driver | None = None) -> Driver:
    """A driver is a directory person registered once; the driver's unit is the person's (directory)."""
    _unknown(fields, DRIVER_FIELDS)
    if driver is not None:
        driver = Driver.objects.select_for_update().get(pk=driver.pk)
        _require(actor, driver.org_unit)
    else:
        driver = Driver()
    for name, value in fields.items():
        setattr(driver, name, value)
    errors = {}
    if driver.person_id:  # never typed: re-read from the directory on every save
        own, given = driver.person.org_unit, fields.get("org_unit")
        if given is not None and own is not None and given.pk != own.pk:
            errors["org_unit"] = _("所属单位：驾驶员的单位取自人员名录（%(name)s），请在人员名录中调整。") % {
                "name": own.name
            }
        driver.org_unit = own
    if driver.person_id is None:
        errors["person"] = _("请选择驾驶员本人。")
    elif Driver.objects.filter(person_id=driver.person_id).exclude(pk=driver.pk).exists():
        errors["person"] = _("%(name)s已登记为驾驶员。") % {"name": driver.person.name}
    if driver.org_unit_id is None and "person" not in errors:
        errors["org_unit"] = _("所属单位：该人员在人员名录中没有所在单位。")
    if errors:
        raise ValidationError(errors)
    _require(actor, driver.org_unit)
    try:
        driver.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    driver.save()
    return driver


@transaction.atomic
def driver_follows_directory(*, person) -> Driver | None:
    """The driver's unit is the directory's: when the person moves (datahub.signals.person_moved), the
    driver record moves with them — no actor check, the directory change was the authorised act."""
    driver = Driver.objects.select_for_update().filter(person_id=person.pk).first()
    if driver is None or driver.org_unit_id == person.org_unit_id or person.org_unit_id is None:
        return driver
    driver.org_unit_id = person.org_unit_id
    driver.save(update_fields=["org_unit"])
    return driver
