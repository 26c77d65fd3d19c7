"""Office buildings and rooms as the catalog publishes them (declared next to the selectors; registered in apps.py)."""

from datahub.catalog.declarations import DatasetDeclaration, Item, declare
from datahub.catalog.rules import ShareType, UpdateCycle

from .models import Assessment, Building, Occupancy, Room


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
    declare(
        DatasetDeclaration(
            key="officespace.occupancy",
            code="3-02-001.0003",
            name="办公用房使用情况",
            summary="人员使用办公室的房间、主办公室标记、起止日期（姓名为个人信息，未授权时脱敏）。",
            model=Occupancy,
            items=(
                Item("room__building__code", "楼宇编码", name="building_code"),
                Item("room__number", "房间号", name="room_number"),
                Item("person__name", "使用人", name="person_name", personal=True),
                Item("is_main", "主办公室"),
                Item("start_date", "起始日期"),
                Item("end_date", "结束日期"),
                Item("room__org_unit__code", "分配单位编码", name="org_unit_code"),
            ),
            unit_field="room__org_unit",
            share_type=ShareType.CONDITIONAL,
            share_condition="仅用于办公用房清理整改、面积核定与审计。",
            update_cycle=UpdateCycle.MONTHLY,
        )
    )
    declare(
        DatasetDeclaration(
            key="officespace.over_standard",
            code="3-02-002.0001",
            name="办公用房超标核查结果",
            summary="按人员核定的标准面积、实际分摊面积、超标面积与超标标记（一数一源：办公用房超标核查）。",
            model=Assessment,
            items=(
                Item("room__number", "房间号", name="room_number"),
                Item("grade", "标准层次"),
                Item("standard", "标准面积（m²）"),
                Item("share", "实际分摊面积（m²）"),
                Item("excess", "超标面积（m²）"),
                Item("is_over", "超标"),
                Item("org_unit__code", "人员单位编码", name="org_unit_code"),
            ),
            share_type=ShareType.CONDITIONAL,
            share_condition="仅用于办公用房清理整改、监督检查与审计。",
            update_cycle=UpdateCycle.MONTHLY,
            queryset=lambda: Assessment.objects.filter(is_current=True),
        )
    )
