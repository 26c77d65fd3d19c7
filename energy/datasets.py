"""Monthly energy figures as the catalog publishes them (declared next to the selectors; registered in apps.py)."""

from datahub.catalog.declarations import DatasetDeclaration, Item, declare
from datahub.catalog.rules import UpdateCycle

from .models import ConsumptionRecord


def register() -> None:
    declare(
        DatasetDeclaration(
            key="energy.monthly",
            code="2-03-001.0001",
            name="公共机构能源资源消费月度数据",
            summary="公共机构按月、按能源品种的实物量、折标准煤与二氧化碳排放（GB/T 2589-2020 系数折算）。",
            model=ConsumptionRecord,
            items=(
                Item("org_unit__code", "公共机构编码", name="org_unit_code"),
                Item("org_unit__name", "公共机构", name="org_unit_name"),
                Item("year", "年度"),
                Item("month", "月份"),
                Item("energy_type", "能源品种"),
                Item("quantity", "实物量"),
                Item("unit", "计量单位"),
                Item("kgce", "折标准煤（kgce）"),
                Item("kgco2", "CO₂（kg）"),
                Item("cost", "金额（元）"),
            ),
            changed_field="updated_at",
            update_cycle=UpdateCycle.MONTHLY,
        )
    )
