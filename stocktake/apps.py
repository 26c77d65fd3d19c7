from django.apps import AppConfig


class StocktakeConfig(AppConfig):
    """清查盘点: counting assets against the books."""

    name = "stocktake"
    verbose_name = "资产清查盘点"
