from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class AssetpoolConfig(AppConfig):
    """公物仓: the idle-asset pool shared between units."""

    name = "assetpool"
    verbose_name = _("公物仓")

    def ready(self):
        # Which rows move the monthly figures (datahub.figures; the command center listens).
        from datahub.figures import watch

        from .models import PoolListing, Reuse

        watch(PoolListing, units=lambda p: [p.org_unit_id], months=lambda p: [p.published_at])
        watch(Reuse, units=lambda r: [r.org_unit_id], months=lambda r: [r.done_at])

        from assets import selectors as asset_selectors
        from datahub.navigation import SECTIONS, Section
        from datahub.roles import Role, add_group_permissions
        from portal.registry import RequestKind, Step, register

        from . import home, routing, rules, selectors, services
        from .forms import PoolOutcomeForm, PoolRequestForm
        from .models import PoolRequest

        readable = ("assetpool.view_poollisting", "assetpool.view_poolrequest", "assetpool.view_reuse")
        editable = ("assetpool.change_poollisting",)
        add_group_permissions(Role.ASSET_ADMIN, *readable, *editable)
        add_group_permissions(Role.BUREAU_ADMIN, *readable, *editable)
        section = Section(
            _("公物仓"),
            "assetpool:home",
            # Everybody browses the pool (sharing is its purpose); administrators also manage it.
            tuple(Role.values),
            _("闲置资产入仓、跨单位调剂共享、先仓后购"),
            count=home.idle_count,
        )
        if not any(s.url_name == section.url_name for s in SECTIONS):
            before = next((i for i, s in enumerate(SECTIONS) if s.url_name == "admin:index"), len(SECTIONS))
            SECTIONS.insert(before, section)
        # 先仓后购 on the purchase form and ticket: assets asks the pool through this hook.
        asset_selectors.register_purchase_alternatives(selectors.purchase_alternatives)
        register(
            RequestKind(
                code=routing.KIND,
                label=_("公物仓申领"),
                domain=_("资产管理"),
                description=_("从公物仓调拨或借用其他单位的闲置资产（先仓后购）"),
                detail_model=PoolRequest,
                form_class=PoolRequestForm,
                chain=(
                    Step(gettext_noop("处室负责人审批"), Role.APPROVER),
                    # The publishing unit consents to giving the item away.
                    Step(routing.PUBLISHER_STEP, Role.ASSET_ADMIN, unit=routing.publisher_unit),
                    Step(
                        gettext_noop("机关事务管理局审批（大额调拨）"),
                        Role.BUREAU_ADMIN,
                        when=lambda d: rules.needs_bureau_approval(d.way, d.listing.asset.original_value),
                    ),
                ),
                handler_role=Role.ASSET_ADMIN,
                sla_hours=rules.POOL_REQUEST_SLA_HOURS,
                outcome_form=PoolOutcomeForm,
                record_outcome=services.pool_request_record_outcome,
            )
        )
