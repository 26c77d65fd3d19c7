"""Demo energy data for `manage.py seed_demo` (after the directory, office space and vehicles;
idempotent).

Six provincial and city institutions with a profile per year (areas of 财政厅 and 机关事务管理局
come from their office-space buildings), the 2020 baseline year and every month from January
2024 to last month: electricity, water and natural gas with a seasonal pattern and a gentle
downward trend, heat for two of them, and vehicle fuel — derived from the vehicles app where
the institution's vehicles are recorded there, entered by hand otherwise. 教育厅's 2025 annual
report is approved on the portal's one workflow engine; its last quarter is submitted and waits in the
reviewer's inbox (the level above). One spike month is left in for the anomaly list.
"""

import random
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from datahub.models import OrgUnit, User
from portal import services as portal
from vehicles import selectors as vehicle_selectors

from . import basedata, services
from .conversion import Converter, current_version
from .models import ConsumptionRecord, InstitutionProfile
from .rules import Collection, EnergyType, InstitutionCategory

# code → (category, entered building area when office space has none, users, heating share)
INSTITUTIONS = {
    "ZJ-CZT": (InstitutionCategory.AGENCY, None, 320, 0),
    "ZJ-JYT": (InstitutionCategory.AGENCY, "5200", 210, 0),
    "ZJ-ZRZY": (InstitutionCategory.AGENCY, "7400", 260, 0),
    "ZJ-FWZX": (InstitutionCategory.OTHER, "3600", 95, 0),
    "ZJ-JGSW": (InstitutionCategory.AGENCY, None, 70, 0),
    "HZ-JGSW": (InstitutionCategory.AGENCY, "2800", 64, 0),
}
# A one-page PDF standing in for the scanned document a correction rests on.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# Monthly electricity shape (air conditioning in summer, some heating in winter).
SEASON = [1.15, 1.05, 0.9, 0.85, 0.95, 1.1, 1.35, 1.4, 1.1, 0.9, 0.9, 1.1]
PRICES = {"electricity": "0.78", "water": "4.1", "natural_gas": "3.6", "gasoline": "8.2"}


def _months(today: date):
    yield from ((2020, m) for m in range(1, 13))
    y, m = 2024, 1
    while (y, m) < (today.year, today.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


@transaction.atomic
def seed(stdout) -> None:
    if ConsumptionRecord.objects.filter(org_unit__code="ZJ-JYT").exists():
        return
    actor = User.objects.get(username="wangqiang")
    reporter = User.objects.get(username="wufang")
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=INSTITUTIONS)}
    today = timezone.localdate()
    years = sorted({y for y, _ in _months(today)})
    with_vehicles = set(vehicle_selectors.units_with_vehicles([u.pk for u in units.values()]))
    conv = Converter(current_version())
    rng = random.Random(7)
    rows = []
    for code, (category, area, users, _) in INSTITUTIONS.items():
        unit = units.get(code)
        if unit is None:
            continue
        # The base data are derived from the directory and office space; where the demo directory or
        # office space lacks the figure, the institution records a correction with its reason and document.
        derived = basedata.derived(unit)
        for year in years:
            if derived["building_area"] is None and area:
                services.profile_correct(
                    actor=actor,
                    org_unit=unit,
                    year=year,
                    field="building_area",
                    value=area,
                    reason="办公用房台账尚未登记本机构楼宇，按不动产权证书载明的建筑面积填报。",
                    document=ContentFile(DEMO_PDF, name="不动产权证书.pdf"),
                )
            if not derived["energy_users"]:
                services.profile_correct(
                    actor=actor,
                    org_unit=unit,
                    year=year,
                    field="energy_users",
                    value=str(users),
                    reason="组织机构尚未导入全部在职人员，按年末人员名册填报。",
                    document=ContentFile(DEMO_PDF, name="人员名册.pdf"),
                )
            if category != derived["category"]:
                services.profile_correct(
                    actor=actor,
                    org_unit=unit,
                    year=year,
                    field="category",
                    value=category,
                    reason="事业单位的具体类型以机构编制部门批复为准。",
                    document=ContentFile(DEMO_PDF, name="机构编制批复.pdf"),
                )
            services.save_profile(actor=actor, org_unit=unit, year=year)
        profile_area = float(InstitutionProfile.objects.get(org_unit=unit, year=years[-1]).building_area)
        for year, month in _months(today):
            # 1.5% less a year since 2020, some noise.
            trend = (1 - 0.015 * (year - 2020)) * (1 + rng.uniform(-0.04, 0.04))
            kwh = profile_area * 4.6 * SEASON[month - 1] * trend
            lines = {
                "electricity": (kwh, "kWh"),
                "water": (users * 1.7 * trend, "m³"),
                "natural_gas": (profile_area * 0.08 * (1.6 if month in (12, 1, 2) else 0.7) * trend, "m³"),
            }
            if unit.pk not in with_vehicles:
                lines["gasoline"] = (users * 0.9 * trend, "L")
            if code == "ZJ-ZRZY" and (year, month) == (2026, 3):
                lines["electricity"] = (kwh * 2.8, "kWh")  # a meter fault: the anomaly list shows it
            for energy_type, (quantity, unit_name) in lines.items():
                q = Decimal(quantity).quantize(Decimal("0.001"))
                base, kgce, kgco2 = conv.convert(energy_type, q, unit_name, year, "east")
                rows.append(
                    ConsumptionRecord(
                        org_unit=unit,
                        year=year,
                        month=month,
                        energy_type=energy_type,
                        quantity=q,
                        unit=unit_name,
                        cost=(q * Decimal(PRICES[energy_type])).quantize(Decimal("0.01")),
                        collection=Collection.METERED_PAID,
                        source=ConsumptionRecord.Source.IMPORT,
                        base_quantity=base,
                        kgce=kgce,
                        kgco2=kgco2,
                        coefficient_version=conv.version,
                    )
                )
    ConsumptionRecord.objects.bulk_create(rows, batch_size=2000)
    for year in years:
        services.sync_vehicle_fuel(unit_ids=[u.pk for u in units.values()], year=year)
        if year - 1 in years:  # a first year has no same month to compare with
            services.detect_anomalies(year=year)
    jyt = units.get("ZJ-JYT")
    if jyt is not None:
        annual = services.submit(actor=reporter, org_unit=jyt, period=services.period_of(year=2025, quarter=0))
        # Reviewed in the portal's one inbox by whoever the chain resolved (the level above).
        step = annual.ticket.steps.get(round=annual.ticket.round, index=1)
        portal.decide(
            actor=step.assignees.first(),
            ticket=annual.ticket,
            step_id=step.pk,
            decision="approved",
            comment="数据完整，同意。",
        )
        last_quarter = (today.month - 1) // 3
        if last_quarter:
            services.submit(
                actor=reporter, org_unit=jyt, period=services.period_of(year=today.year, quarter=last_quarter)
            )
    stdout.write(
        f"演示能耗数据：{len(units)}家公共机构，{len(rows)}条月度记录（{EnergyType.ELECTRICITY.label}、"
        f"{EnergyType.WATER.label}、{EnergyType.NATURAL_GAS.label}、车辆用油），"
        f"教育厅2025年报已审核，最近一季待审核（wufang 报送，wangqiang 审核）。"
    )
