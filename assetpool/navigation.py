"""The pool section's tabs (drawn by datahub's {% section_tabs "assetpool" %}); the last three are the
managers' pages."""

from django.utils.translation import gettext_lazy as _

from datahub.navigation import Tab

from .selectors import POOL_MANAGERS

TABS = (
    Tab("home", "assetpool:home", _("概览")),
    Tab("pool", "assetpool:pool-list", _("公物仓")),
    Tab("prepurchase", "assetpool:prepurchase", _("先仓后购")),
    Tab("mine", "assetpool:pool-list", _("本单位发布"), roles=POOL_MANAGERS, query="?mine=1"),
    Tab("idle", "assetpool:idle-list", _("应交公物仓"), roles=POOL_MANAGERS),
    Tab("reuses", "assetpool:reuse-list", _("调剂台账"), roles=POOL_MANAGERS),
)
