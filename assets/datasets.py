"""Asset cards as the catalog publishes them (declared next to the selectors; registered in apps.py)."""

from datahub.catalog.declarations import DatasetDeclaration, Item, declare
from datahub.catalog.rules import ShareType, UpdateCycle

from .models import Asset


def register() -> None:
    declare(
        DatasetDeclaration(
            key="assets.cards",
            code="3-04-001.0001",
            name="行政事业单位资产卡片",
            summary="资产编号、名称、GB/T 14885-2022 分类、原值、取得日期、状态与使用人（一数一源：资产管理模块）。",
            model=Asset,
            items=(
                Item("asset_number", "资产编号"),
                Item("name", "资产名称"),
                Item("category__code", "资产分类代码", name="category_code"),
                Item("spec", "规格型号"),
                Item("quantity", "数量"),
                Item("original_value", "原值（元）"),
                Item("acquired_on", "取得日期"),
                Item("status", "状态"),
                Item("org_unit__code", "所属单位编码", name="org_unit_code"),
                Item("custodian__name", "使用人/保管人", name="custodian_name", personal=True),
            ),
            share_type=ShareType.CONDITIONAL,
            share_condition="用于资产清查、公物仓调剂与审计，须经提供方同意；使用人姓名默认脱敏。",
            update_cycle=UpdateCycle.DAILY,
        )
    )
