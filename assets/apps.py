from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("资产管理")

    def ready(self):
        # Which rows move the monthly figures (datahub.figures; the command center listens).
        from datahub.figures import watch

        from .models import Asset, DepreciationEntry

        watch(Asset, units=lambda a: [a.org_unit_id], months=lambda a: [a.acquired_on, a.disposed_on])
        watch(DepreciationEntry, units=lambda e: [e.asset.org_unit_id], months=lambda e: [e.month])

        from datahub.navigation import SECTIONS, Section
        from datahub.roles import Role, add_group_permissions
        from portal.registry import Countersign, RequestKind, Rule, Signer, Step, register

        from . import datasets, exporters, rules, selectors, services  # noqa: F401  (exporters registers the card export)

        datasets.register()  # publishes this app's datasets to the data-sharing catalog
        from .forms import (
            AssetIssueForm,
            AssetRequisitionForm,
            DisposalOutcomeForm,
            DisposalRequestForm,
            PurchaseOutcomeForm,
            PurchaseRequestForm,
            TransferOutcomeForm,
            TransferRequestForm,
        )
        from .models import AssetRequisition, DisposalRequest, PurchaseRequest, TransferRequest

        PurchaseRequest.facts_reader = selectors.purchase_facts
        DisposalRequest.disposal_check = services.disposal_check
        PurchaseRequest.alternatives_reader = selectors.purchase_alternatives_text

        models = (
            "asset",
            "category",
            "movement",
            "depreciationentry",
            "depreciationrun",
            "assetissuerecord",
            "assetrequisition",
            "disposalrequest",
            "purchaserequest",
            "configstandard",
            "configstandardversion",
            "capitalisationthreshold",
        )
        readable = tuple(f"assets.view_{m}" for m in models)
        add_group_permissions(Role.ASSET_ADMIN, *readable, "assets.add_asset", "assets.change_asset")
        add_group_permissions(
            Role.BUREAU_ADMIN,
            *readable,
            "assets.add_asset",
            "assets.change_asset",
            *(
                f"assets.{a}_{m}"
                for m in ("category", "configstandard", "configstandardversion", "capitalisationthreshold")
                for a in ("add", "change")
            ),
        )
        section = Section(
            _("资产管理"),
            "assets:home",
            (Role.ASSET_ADMIN, Role.BUREAU_ADMIN, Role.LEADER),
            _("资产卡片、领用调拨、出租出借、处置、折旧与标签"),
        )
        before = next((i for i, s in enumerate(SECTIONS) if s.url_name == "admin:index"), len(SECTIONS))
        if not any(s.url_name == "assets:home" for s in SECTIONS):
            SECTIONS.insert(before, section)
        from portal.registry import register_holdings

        from . import selectors as holdings_source

        register_holdings("资产", holdings_source.holdings_of)
        register(
            RequestKind(
                code="asset_requisition",
                label=_("资产领用"),
                domain=_("资产管理"),
                description=_("办公设备、家具、办公用品等领用"),
                detail_model=AssetRequisition,
                form_class=AssetRequisitionForm,
                chain=(Step(gettext_noop("处室负责人审批"), Role.APPROVER),),
                handler_role=Role.ASSET_ADMIN,
                sla_hours=rules.REQUISITION_SLA_HOURS,
                outcome_form=AssetIssueForm,
                record_outcome=services.requisition_record_outcome,
                bulk_approvable=True,
            )
        )
        register(
            RequestKind(
                code="asset_disposal",
                label=_("资产处置"),
                domain=_("资产管理"),
                description=_("无偿划转、对外捐赠、转让、置换、报废、损失核销；原值较高的须经机关事务管理局审批"),
                detail_model=DisposalRequest,
                form_class=DisposalRequestForm,
                chain=(
                    Step(gettext_noop("处室负责人审批"), Role.APPROVER),
                    Step(gettext_noop("资产管理员审核"), Role.ASSET_ADMIN),
                    Step(
                        gettext_noop("机关事务管理局审批（原值较高或提前处置）"),
                        Role.BUREAU_ADMIN,
                        when=lambda d: (
                            rules.disposal_needs_bureau(d.original_value)
                            or rules.needs_early_disposal_approval(d.early)
                        ),
                    ),
                ),
                handler_role=Role.ASSET_ADMIN,
                sla_hours=rules.DISPOSAL_SLA_HOURS,
                outcome_form=DisposalOutcomeForm,
                record_outcome=services.disposal_record_outcome,
            )
        )
        register(
            RequestKind(
                code="asset_purchase",
                label=_("资产配置申请"),
                domain=_("资产管理"),
                description=_("按配置标准（价格上限、最低使用年限、数量上限）申请购置；未到年限提前更新须另经审批"),
                detail_model=PurchaseRequest,
                form_class=PurchaseRequestForm,
                chain=(
                    Step(gettext_noop("处室负责人审批"), Role.APPROVER),
                    Step(gettext_noop("资产管理员审核"), Role.ASSET_ADMIN),
                    Step(
                        gettext_noop("机关事务管理局审批（提前更新）"),
                        Role.BUREAU_ADMIN,
                        when=lambda d: rules.needs_early_renewal_approval(d.early_renewal),
                    ),
                ),
                handler_role=Role.ASSET_ADMIN,
                sla_hours=rules.PURCHASE_SLA_HOURS,
                outcome_form=PurchaseOutcomeForm,
                record_outcome=services.purchase_record_outcome,
            )
        )
        # A cross-unit transfer: the giving and the receiving units' asset administrators countersign, and
        # both must agree; the giving unit's administrator then moves the card (lifecycle.transfer).
        register(
            RequestKind(
                code="asset_transfer",
                label=_("资产调拨申请"),
                domain=_("资产管理"),
                description=_("本单位资产调拨到其他单位，由调出、调入双方资产管理员会签"),
                detail_model=TransferRequest,
                form_class=TransferRequestForm,
                chain=(
                    Countersign(
                        gettext_noop("调出、调入单位资产管理员会签"),
                        signers=(
                            Signer(
                                gettext_noop("调出单位资产管理员"), Role.ASSET_ADMIN, unit=lambda d: d.asset.org_unit
                            ),
                            Signer(gettext_noop("调入单位资产管理员"), Role.ASSET_ADMIN, unit=lambda d: d.to_unit),
                        ),
                        rule=Rule.ALL,
                    ),
                ),
                handler_role=Role.ASSET_ADMIN,
                sla_hours=rules.TRANSFER_SLA_HOURS,
                outcome_form=TransferOutcomeForm,
                record_outcome=services.transfer_record_outcome,
            )
        )
