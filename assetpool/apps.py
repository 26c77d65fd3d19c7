from django.apps import AppConfig


class AssetpoolConfig(AppConfig):
    """公物仓: the idle-asset pool shared between units."""

    name = "assetpool"
    verbose_name = "公物仓"
