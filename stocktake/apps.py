from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StocktakeConfig(AppConfig):
    """清查盘点: counting assets against the books."""

    name = "stocktake"
    verbose_name = _("资产清查盘点")

    def ready(self):
        from datahub.navigation import SECTIONS, Section
        from datahub.roles import Role, add_group_permissions

        from . import exporters, home, selectors  # noqa: F401  (exporters registers the result export)

        readable = ("stocktake.view_stocktake", "stocktake.view_bookline", "stocktake.view_count")
        add_group_permissions(Role.ASSET_ADMIN, *readable)
        add_group_permissions(Role.BUREAU_ADMIN, *readable)
        add_group_permissions(Role.LEADER, *readable)
        section = Section(
            _("清查盘点"),
            "stocktake:home",
            selectors.STOCKTAKE_READERS,
            _("按单位或地点清查资产，扫码盘点，账实核对与调账"),
            count=home.open_count,
        )
        if not any(s.url_name == section.url_name for s in SECTIONS):
            before = next((i for i, s in enumerate(SECTIONS) if s.url_name == "admin:index"), len(SECTIONS))
            SECTIONS.insert(before, section)
