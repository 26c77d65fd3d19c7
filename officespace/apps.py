from django.apps import AppConfig


class OfficespaceConfig(AppConfig):
    name = "officespace"
    verbose_name = "办公用房"

    def ready(self):
        from datahub.roles import Role, add_group_permissions
        from portal.registry import RequestKind, Step, register

        from . import rules, services
        from .forms import RepairOutcomeForm, RepairRequestForm
        from .models import RepairRequest

        add_group_permissions(Role.SPACE_ADMIN, "officespace.view_repairrecord", "officespace.view_repairrequest")
        add_group_permissions(Role.BUREAU_ADMIN, "officespace.view_repairrecord", "officespace.view_repairrequest")
        register(
            RequestKind(
                code="repair",
                label="维修报修",
                domain="办公用房",
                description="办公室水电、门窗、空调、网络等故障报修",
                detail_model=RepairRequest,
                form_class=RepairRequestForm,
                chain=(
                    Step("处室负责人审批", Role.APPROVER),
                    Step(
                        "房产管理员审核（预估费用较高）",
                        Role.SPACE_ADMIN,
                        when=lambda d: d.estimated_cost > rules.REPAIR_SPACE_ADMIN_REVIEW_ABOVE,
                    ),
                ),
                handler_role=Role.SPACE_ADMIN,
                sla_hours=rules.REPAIR_SLA_HOURS,
                outcome_form=RepairOutcomeForm,
                record_outcome=services.record_repair_outcome,
            )
        )
