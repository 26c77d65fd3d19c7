"""The org directory's units as the catalog publishes them (people are not published: 身份证号 never leaves)."""

from .catalog.declarations import DatasetDeclaration, Item, declare
from .catalog.rules import UpdateCycle
from .models import OrgUnit


def register() -> None:
    declare(
        DatasetDeclaration(
            key="datahub.units",
            code="1-01-001.0001",
            name="组织机构目录",
            summary="机构编码、名称、层级、机构类型、统一社会信用代码、行政区划代码与编制数。",
            model=OrgUnit,
            items=(
                Item("code", "机构编码"),
                Item("name", "名称"),
                Item("level", "层级"),
                Item("kind", "机构类型"),
                Item("uscc", "统一社会信用代码"),
                Item("region_code", "行政区划代码"),
                Item("staffing_quota", "编制数"),
                Item("is_active", "在用"),
            ),
            unit_field="",
            changed_field="updated_at",
            update_cycle=UpdateCycle.DAILY,
        )
    )
