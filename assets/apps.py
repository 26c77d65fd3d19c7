from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = "资产管理"

    def ready(self):
        from datahub.roles import Role, add_group_permissions
        from portal.registry import RequestKind, Step, register

        from . import rules, services
        from .forms import AssetIssueForm, AssetRequisitionForm
        from .models import AssetRequisition

        add_group_permissions(Role.ASSET_ADMIN, "assets.view_assetissuerecord", "assets.view_assetrequisition")
        add_group_permissions(Role.BUREAU_ADMIN, "assets.view_assetissuerecord", "assets.view_assetrequisition")
        register(
            RequestKind(
                code="asset_requisition",
                label="资产领用",
                domain="资产管理",
                description="办公设备、家具、办公用品等领用",
                detail_model=AssetRequisition,
                form_class=AssetRequisitionForm,
                chain=(Step("处室负责人审批", Role.APPROVER),),
                handler_role=Role.ASSET_ADMIN,
                sla_hours=rules.REQUISITION_SLA_HOURS,
                outcome_form=AssetIssueForm,
                record_outcome=services.record_issue,
                bulk_approvable=True,
            )
        )
