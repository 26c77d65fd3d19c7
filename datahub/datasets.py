"""The org directory as the catalog publishes it: units, and people without 身份证号, phone or e-mail (those
never leave the directory; a person's name is personal data, masked unless granted in full)."""

from .catalog.declarations import DatasetDeclaration, Item, declare
from .catalog.rules import ShareType, UpdateCycle
from .models import OrgUnit, User


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
    declare(
        DatasetDeclaration(
            key="datahub.people",
            code="1-01-002.0001",
            name="人员目录",
            summary="在职人员的姓名、所在单位、职务级别与职级（不含身份证号、电话和电子邮箱）。",
            model=User,
            items=(
                Item("username", "账号"),
                Item("name", "姓名", personal=True),
                Item("post_level", "职务级别"),
                Item("rank", "职级"),
                Item("org_unit__code", "所在单位编码", name="org_unit_code"),
                Item("org_unit__name", "所在单位", name="org_unit_name"),
            ),
            share_type=ShareType.CONDITIONAL,
            share_condition="仅限核对本单位及下级人员的职务、职级，用于公务用车、办公用房等标准的核定。",
            update_cycle=UpdateCycle.DAILY,
            queryset=lambda: User.objects.filter(is_active=True, org_unit__isnull=False),
        )
    )
