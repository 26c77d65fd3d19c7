"""The assets section's tabs (drawn by datahub's {% section_tabs "assets" %}); the last two open a request
in the portal, so no page of this section marks them active."""

from django.utils.translation import gettext_lazy as _

from datahub.navigation import Tab

TABS = (
    Tab("home", "assets:home", _("概览")),
    Tab("cards", "assets:card-list", _("资产卡片")),
    Tab("depreciation", "assets:depreciation", _("折旧")),
    Tab("categories", "assets:categories", _("资产分类")),
    Tab("", "portal:new", _("资产配置申请"), args=("asset_purchase",)),
    Tab("", "portal:new", _("资产处置申请"), args=("asset_disposal",)),
)
