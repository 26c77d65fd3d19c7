"""The vehicles ledger as the catalog publishes it (declared next to the selectors; registered in apps.py)."""

from datahub.catalog.declarations import DatasetDeclaration, Item, declare

from .models import Vehicle


def register() -> None:
    declare(
        DatasetDeclaration(
            key="vehicles.ledger",
            code="3-01-001.0001",
            name="公务用车车辆台账",
            summary="各单位公务用车的号牌、车辆识别代号、类别、能源类型、排量、购置日期与状态（一数一源：车辆管理模块）。",
            model=Vehicle,
            items=(
                Item("plate", "号牌号码"),
                Item("vin", "车辆识别代号"),
                Item("category", "车辆类别"),
                Item("brand", "品牌"),
                Item("model_name", "型号"),
                Item("energy_type", "能源类型"),
                Item("displacement", "排量（升）"),
                Item("seats", "核定座位数"),
                Item("asset__acquired_on", "购置日期", name="purchase_date"),  # the asset card's 取得日期
                Item("odometer_km", "里程表读数（公里）"),
                Item("status", "状态"),
                Item("org_unit__code", "所属单位编码", name="org_unit_code"),
                Item("org_unit__name", "所属单位", name="org_unit_name"),
            ),
            changed_field="updated_at",
        )
    )
