"""Office buildings and rooms as the catalog publishes them (declared next to the selectors; registered in apps.py)."""

from datahub.catalog.declarations import DatasetDeclaration, Item, declare
from datahub.catalog.rules import ShareType, UpdateCycle

from .models import Building, Room


def register() -> None:
    declare(
        DatasetDeclaration(
            key="officespace.buildings",
            code="3-02-001.0001",
            name="办公用房楼宇台账",
            summary="办公用房楼宇的编码、名称、地址、使用单位、权属与结构（一数一源：办公用房模块）。",
            model=Building,
            items=(
                Item("code", "楼宇编码"),
                Item("name", "楼宇名称"),
                Item("address", "地址"),
                Item("title_status", "权属"),
                Item("year_built", "建成年份"),
                Item("structure", "结构"),
                Item("is_active", "在用"),
                Item("org_unit__code", "使用单位编码", name="org_unit_code"),
                Item("org_unit__name", "使用单位", name="org_unit_name"),
            ),
            update_cycle=UpdateCycle.MONTHLY,
        )
    )
    declare(
        DatasetDeclaration(
            key="officespace.rooms",
            code="3-02-001.0002",
            name="办公用房房间台账",
            summary="各楼宇房间的房间号、楼层、使用面积、用房类型与分配单位。",
            model=Room,
            items=(
                Item("building__code", "楼宇编码", name="building_code"),
                Item("floor__number", "楼层", name="floor"),
                Item("number", "房间号"),
                Item("use_area", "使用面积（m²）"),
                Item("category", "用房类型"),
                Item("subtype", "细分用途"),
                Item("is_active", "在用"),
                Item("org_unit__code", "分配单位编码", name="org_unit_code"),
            ),
            share_type=ShareType.CONDITIONAL,
            share_condition="用于办公用房统筹调剂、审计与统计，须经提供方同意。",
            update_cycle=UpdateCycle.MONTHLY,
            related_codes="3-02-001.0001",
        )
    )
