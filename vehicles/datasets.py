"""The vehicles ledger as the catalog publishes it (declared next to the selectors; registered in apps.py)."""

from datahub.catalog.declarations import DatasetDeclaration, Item, declare

from .models import Dispatch, Vehicle


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
    declare(
        DatasetDeclaration(
            key="vehicles.trips",
            code="3-01-002.0001",
            name="公务用车出车记录",
            summary="每次派车的车辆、预订与实际出车、归还时间、行驶里程和状态（一数一源：车辆管理模块）。",
            model=Dispatch,
            items=(
                Item("vehicle__plate", "号牌号码", name="plate"),
                Item("starts_at", "预订开始"),
                Item("ends_at", "预订结束"),
                Item("departed_at", "出车时间"),
                Item("returned_at", "归还时间"),
                Item("distance_km", "行驶里程（公里）"),
                Item("status", "状态"),
                Item("vehicle__org_unit__code", "车辆所属单位编码", name="org_unit_code"),
            ),
            unit_field="vehicle__org_unit",
        )
    )
