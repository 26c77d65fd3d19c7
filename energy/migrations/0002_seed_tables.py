"""Seeds the coefficient versions, grid factors, quotas and targets from energy/rules.py
(REFERENCE §3.2–3.5). Administrators change them afterwards in the admin (new versions)."""

from django.db import migrations


def seed(apps, schema_editor):
    from energy import rules

    Version = apps.get_model("energy", "CoefficientVersion")
    Coefficient = apps.get_model("energy", "Coefficient")
    GridFactor = apps.get_model("energy", "GridFactor")
    Quota = apps.get_model("energy", "Quota")
    Target = apps.get_model("energy", "Target")
    versions = [
        ("GB/T 2589-2020（天然气按气田天然气1.2143）", rules.COEFFICIENTS[rules.EnergyType.NATURAL_GAS].kgce, True),
        ("GB/T 2589-2020（天然气按油田天然气1.3300）", rules.NATURAL_GAS_OILFIELD, False),
    ]
    for name, gas, current in versions:
        version, created = Version.objects.get_or_create(
            name=name,
            defaults={
                "standard": "GB/T 2589-2020",
                "year": 2020,
                "is_current": current,
                "note": "折标准煤系数依据GB/T 2589-2020；电网排放因子为生态环境部、国家统计局公布的全国及区域平均值。",
            },
        )
        if not created:
            continue
        for energy_type, c in rules.COEFFICIENTS.items():
            Coefficient.objects.create(
                version=version,
                energy_type=energy_type,
                kgce_per_unit=gas if energy_type == rules.EnergyType.NATURAL_GAS else c.kgce,
                kgco2_per_unit=c.kgco2,
                density=c.density,
            )
        for year, factors in rules.GRID_FACTORS.items():
            for region, value in factors.items():
                GridFactor.objects.create(version=version, year=year, region=region, kgco2_per_kwh=value)
    for category, zone, indicator, cap, base, guide, source in rules.QUOTAS:
        Quota.objects.get_or_create(
            category=category,
            climate_zone=zone,
            indicator=indicator,
            defaults={"cap": cap, "base": base, "guide": guide, "source": source},
        )
    for indicator, pct in rules.TARGETS.items():
        Target.objects.get_or_create(
            indicator=indicator,
            defaults={
                "reduction_pct": pct,
                "baseline_year": rules.BASELINE_YEAR,
                "target_year": rules.TARGET_YEAR,
                "source": "《“十四五”公共机构节约能源资源工作规划》（国管节能〔2021〕195号）",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("energy", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
