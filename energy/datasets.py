"""Energy datasets as the catalog publishes them (declared next to the selectors; registered in apps.py): the
monthly figures, and the indicators of the reports the level above approved."""

from datahub.catalog.declarations import DatasetDeclaration, Item, declare
from datahub.catalog.rules import UpdateCycle
from portal.workflow import Status

from .models import ConsumptionRecord, Submission
from .rules import Indicator


def published_reports():
    """The reports whose figures are published: approved (the ticket done) and not replaced by a correction."""
    return Submission.objects.filter(ticket__status=Status.DONE, superseded=False)


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
    declare(
        DatasetDeclaration(
            key="energy.indicators",
            code="2-03-001.0002",
            name="公共机构能耗指标（已审核报送）",
            summary=(
                "公共机构季度、年度报送经上级审核通过后的能耗指标：单位建筑面积能耗、人均综合能耗、人均用水量、"
                "单位建筑面积碳排放，及其折标准煤、碳排放、建筑面积与用能人数（更正版本通过后替代原版本）。"
            ),
            model=Submission,
            items=(
                Item("org_unit__code", "公共机构编码", name="org_unit_code"),
                Item("org_unit__name", "公共机构", name="org_unit_name"),
                Item("period__year", "年度", name="year"),
                Item("period__quarter", "季度（0为年报）", name="quarter"),
                Item("version", "报送版本"),
                *(
                    Item(f"figures__{value}", label, name=value, data_type="数值型")
                    for value, label in Indicator.choices
                ),
                Item("figures__kgce", "综合能耗（kgce）", name="kgce", data_type="数值型"),
                Item("figures__kgco2", "CO₂（kg）", name="kgco2", data_type="数值型"),
                Item("figures__building_area", "建筑面积（m²）", name="building_area", data_type="数值型"),
                Item("figures__energy_users", "用能人数", name="energy_users", data_type="数值型"),
            ),
            changed_field="ticket__updated_at",
            update_cycle=UpdateCycle.QUARTERLY,
            related_codes="2-03-001.0001",
            queryset=published_reports,
        )
    )
