"""Consumption records: typed, sheet-entered, and the vehicles' fuel as it is written (one source: the
vehicle cost records). Each figure is computed with the current coefficient version when written."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from datahub.models import OrgUnit
from vehicles import selectors as vehicle_selectors

from .. import basedata, rules, selectors
from ..conversion import Converter, current_version, record_values
from ..models import ConsumptionRecord, InstitutionProfile
from ..rules import EnergyType
from ._base import _require_institution, require_editor

# --- Consumption records ----------------------------------------------------------------------------


@transaction.atomic
def save_record(
    *,
    actor,
    org_unit: OrgUnit,
    year: int,
    month: int,
    energy_type: str,
    quantity,
    unit: str,
    cost=None,
    collection: str = rules.Collection.METERED_PAID,
    source: str = ConsumptionRecord.Source.API,
) -> ConsumptionRecord:
    """One month of one type (created or replaced). Refused in a locked month, for a type the
    vehicles app derives, for a department (records are per institution) or a negative quantity."""
    require_editor(actor=actor, unit=org_unit)
    _require_institution(org_unit)
    errors: dict[str, str] = {}
    year, month = rules.check_period(year, month, errors)
    clean, line_errors = rules.validate_entry(energy_type, quantity, unit, cost, collection)
    errors.update(line_errors)
    if errors:
        raise ValidationError(errors)
    if month in selectors.locked_months(org_unit, year):
        raise ValidationError(
            {
                "month": _("%(year)s年%(month)s月的数据已报送或已审核，已锁定；如需修改请申请更正。")
                % {"year": year, "month": month}
            }
        )
    if energy_type in selectors.derived_types(org_unit):
        raise ValidationError(
            {
                "energy_type": _("“%(org_unit)s”的%(label)s由公务用车加油记录自动汇总，不能手工填报。")
                % {"org_unit": org_unit, "label": EnergyType(energy_type).label}
            }
        )
    conv = Converter(current_version())
    return _write(conv, org_unit.pk, year, month, energy_type, clean, source, selectors.region_of(org_unit.pk, year))


def _write(conv: Converter, unit_id, year, month, energy_type, clean, source, region) -> ConsumptionRecord:
    record, _ = ConsumptionRecord.objects.update_or_create(
        org_unit_id=unit_id,
        year=year,
        month=month,
        energy_type=energy_type,
        defaults=record_values(conv, energy_type, clean, year, region, source),
    )
    return record


@transaction.atomic
def save_month_sheet(
    *, actor, org_unit: OrgUnit, year: int, month: int, lines: dict[str, dict], confirm_unusual: bool = True
) -> dict:
    """A month's sheet, all types at once: ``lines[type] = {quantity, unit, cost, collection}``;
    a line with no quantity removes that type's record. Every line is checked before anything
    is written; errors are keyed ``<type>-<field>``. Unless ``confirm_unusual``, a figure the anomaly rule
    (rules.month_anomaly, as the review later flags it) finds far off the unit's own history is refused
    with code "unusual", so the sheet warns at entry and the reporter confirms it or corrects it."""
    require_editor(actor=actor, unit=org_unit)
    _require_institution(org_unit)
    errors: dict[str, str] = {}
    year, month = rules.check_period(year, month, errors)
    if errors:
        raise ValidationError(errors)
    if month in selectors.locked_months(org_unit, year):
        raise ValidationError(
            {
                "month": _("%(year)s年%(month)s月的数据已报送或已审核，已锁定；如需修改请申请更正。")
                % {"year": year, "month": month}
            }
        )
    derived = selectors.derived_types(org_unit)
    writes, deletes = {}, []
    for energy_type, line in lines.items():
        if energy_type in derived:
            continue
        if line.get("quantity") in (None, ""):
            deletes.append(energy_type)
            continue
        clean, line_errors = rules.validate_entry(
            energy_type,
            line.get("quantity"),
            line.get("unit"),
            line.get("cost"),
            line.get("collection"),
            prefix=f"{energy_type}-",
        )
        errors.update(line_errors)
        writes[energy_type] = clean
    if errors:
        raise ValidationError(errors)
    conv = Converter(current_version())
    if not confirm_unusual:
        _refuse_unusual(conv, org_unit, year, month, writes)
    region = selectors.region_of(org_unit.pk, year)
    for energy_type, clean in writes.items():
        _write(conv, org_unit.pk, year, month, energy_type, clean, ConsumptionRecord.Source.FORM, region)
    removed = ConsumptionRecord.objects.filter(
        org_unit=org_unit, year=year, month=month, energy_type__in=deletes
    ).delete()[0]
    return {"saved": len(writes), "removed": removed}


def _refuse_unusual(conv: Converter, org_unit: OrgUnit, year: int, month: int, writes: dict) -> None:
    """A 100× spike (2,100,000 kWh against ~20,000) is caught on the sheet, not only at review."""
    errors = {}
    for energy_type, clean in writes.items():
        base = conv.convert(energy_type, clean["quantity"], clean["unit"], year)[0]
        points = selectors.month_history(org_unit.pk, energy_type, year=year, month=month)
        flag = rules.month_anomaly(base, [float(q) for q in points.values()], points.get((year - 1, month)))
        if flag is not None:
            errors[f"{energy_type}-quantity"] = ValidationError(
                _("%(label)s数值异常：%(value)s。请核对；确认无误请勾选“数值已核实”后再保存。")
                % {"label": EnergyType(energy_type).label, "value": flag[2]},
                code="unusual",
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def delete_record(*, actor, record: ConsumptionRecord) -> None:
    """An editor of the unit removes a record, never in a locked month nor one derived from the vehicles app."""
    require_editor(actor=actor, unit=record.org_unit)
    if record.month in selectors.locked_months(record.org_unit, record.year):
        raise ValidationError({"month": _("该月数据已报送或已审核，已锁定。")})
    if record.source == ConsumptionRecord.Source.VEHICLES:
        raise ValidationError({"energy_type": _("自动汇总的车辆用油不能删除。")})
    record.delete()


@transaction.atomic
def sync_vehicle_fuel(*, unit_ids, year: int) -> int:
    """Derived 汽油/柴油 of institutions with vehicles in the platform: the vehicles app's monthly
    fuel (litres and cost, summed over each institution's subtree) written as records with source
    "公务用车"; months locked by a submission keep what was reported. Returns rows written."""
    units = set(vehicle_selectors.units_with_vehicles(list(unit_ids)))
    if not units:
        return 0
    fuel = vehicle_selectors.monthly_fuel(list(units), year)
    locked = selectors.locked_by_unit(units, year)
    conv = Converter(current_version())
    regions = dict(
        InstitutionProfile.objects.filter(year=year, org_unit_id__in=units).values_list("org_unit_id", "grid_region")
    )
    existing = {
        (r.org_unit_id, r.month, r.energy_type): r
        for r in ConsumptionRecord.objects.filter(org_unit_id__in=units, year=year, energy_type__in=rules.VEHICLE_FUELS)
    }
    written = 0
    for (unit_id, month, fuel_type), v in fuel.items():
        if unit_id not in units or month in locked.get(unit_id, ()):
            continue
        clean = {
            "quantity": Decimal(v["litres"]),
            "unit": "L",
            "cost": Decimal(v["cost"]) if v.get("cost") is not None else None,
            "collection": rules.Collection.METERED_PAID,
        }
        old = existing.pop((unit_id, month, fuel_type), None)
        if (
            old is not None
            and old.source == ConsumptionRecord.Source.VEHICLES
            and old.quantity == clean["quantity"]
            and old.cost == clean["cost"]
        ):
            continue
        _write(
            conv,
            unit_id,
            year,
            month,
            fuel_type,
            clean,
            ConsumptionRecord.Source.VEHICLES,
            regions.get(unit_id, "national"),
        )
        written += 1
    # Hand-entered fuel of an institution whose vehicles are now in the platform, and derived
    # months whose fuel records went away: the vehicles app is the one source.
    stale = [r.pk for key, r in existing.items() if key[1] not in locked.get(key[0], ())]
    ConsumptionRecord.objects.filter(pk__in=stale).delete()
    return written + len(stale)


@transaction.atomic
def vehicle_fuel_recorded(*, org_unit: OrgUnit, day) -> int:
    """The vehicles app wrote fuel for a vehicle of ``org_unit`` on ``day``: the derived 汽油/柴油 of every
    institution at or above that unit are brought up to date now, in the writer's transaction, so the
    energy figures follow the write (not a later page view or the night). Returns rows written."""
    institutions = basedata.institutions_at_or_above(org_unit)
    if not institutions:
        return 0
    return sync_vehicle_fuel(unit_ids=institutions, year=day.year)
