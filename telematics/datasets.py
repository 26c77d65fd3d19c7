"""The monitoring alerts as the catalog publishes them (declared next to the selectors; registered in apps.py)."""

from datahub.catalog.declarations import DatasetDeclaration, Item, declare
from datahub.catalog.rules import ShareType

from .models import Alert


def register() -> None:
    declare(
        DatasetDeclaration(
            key="telematics.alerts",
            code="3-01-003.0001",
            name="公务用车监控告警",
            summary="北斗/GPS 监控发现的非工作时间用车、越界、超速、离线等告警及其处理状态（一数一源：用车监控模块）。",
            model=Alert,
            items=(
                Item("vehicle__plate", "号牌号码", name="plate"),
                Item("kind", "告警类型"),
                Item("started_at", "开始时间"),
                Item("ended_at", "结束时间"),
                Item("max_speed", "最高速度（km/h）"),
                Item("status", "处理状态"),
                Item("acknowledged_at", "处理时间"),
                Item("vehicle__org_unit__code", "车辆所属单位编码", name="org_unit_code"),
            ),
            unit_field="vehicle__org_unit",
            share_type=ShareType.CONDITIONAL,
            share_condition="仅用于公务用车监督检查、审计与纪检。",
        )
    )
