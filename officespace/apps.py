from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class OfficespaceConfig(AppConfig):
    name = "officespace"
    verbose_name = _("办公用房")

    def ready(self):
        # Which rows move the monthly figures (datahub.figures; the command center listens).
        from datahub.figures import watch

        from .models import Assessment, RepairRecord

        watch(RepairRecord, units=lambda r: [r.org_unit_id], months=lambda r: [r.completed_at])
        watch(Assessment, units=lambda a: [a.org_unit_id], months=lambda a: [])

        # 离岗 (PostEnd) follows the directory: a deactivation or a move out of the agency.
        from datahub.signals import person_leaving, side_post_ended

        from .receivers import on_person_leaving, on_side_post_ended

        person_leaving.connect(on_person_leaving, dispatch_uid="officespace.post_end_from_directory")
        # 兼职结束 too: the directory holds 兼职 posts; ending one is a directory change.
        side_post_ended.connect(on_side_post_ended, dispatch_uid="officespace.side_post_end_from_directory")

        from datahub.navigation import SECTIONS, Section, WorkItem, count_once, register_work_item
        from datahub.roles import Role, add_group_permissions
        from portal.registry import Countersign, RequestKind, Rule, Signer, Step, register

        from . import datasets, home, meetings, rules, services

        datasets.register()  # publishes this app's datasets to the data-sharing catalog
        from .forms import AdjustmentOutcomeForm, AdjustmentRequestForm, RepairOutcomeForm, RepairRequestForm
        from .meeting_forms import MeetingOutcomeForm, MeetingRoomRequestForm
        from .models import AdjustmentRequest, MeetingRoomRequest, RepairRequest

        ledger = ("building", "floor", "room", "occupancy", "assessment")
        readable = (
            *(f"officespace.view_{m}" for m in (*ledger, "repairrecord", "repairrequest", "adjustmentrecord")),
            "officespace.view_roombooking",
            "officespace.view_meetingroomrequest",
            "officespace.view_adjustmentrequest",
            "officespace.view_areastandard",
            "officespace.view_rankmapping",
            "officespace.view_standardversion",
            "officespace.view_unitclass",
            "officespace.view_unitrollup",
        )
        editable = tuple(f"officespace.{a}_{m}" for m in ("building", "floor", "room") for a in ("add", "change"))
        add_group_permissions(Role.SPACE_ADMIN, *readable, *editable)
        add_group_permissions(
            Role.BUREAU_ADMIN,
            *readable,
            *editable,
            "officespace.change_areastandard",
            "officespace.change_rankmapping",
            "officespace.add_unitclass",
            "officespace.change_unitclass",
        )
        section = Section(
            _("办公用房"),
            "officespace:home",
            (Role.SPACE_ADMIN, Role.BUREAU_ADMIN, Role.LEADER),
            _("楼宇房间台账、超标准核查、使用信息公开"),
            # Excesses and return flags still to deal with, in the user's scope.
            count=count_once("officespace.open_problems", home.open_problems),
        )
        # Domain sections sit before the admin site and API entries.
        before = next((i for i, s in enumerate(SECTIONS) if s.url_name == "admin:index"), len(SECTIONS))
        SECTIONS.insert(before, section)
        from portal.registry import register_holdings

        from . import selectors as holdings_source

        register_holdings("办公用房", holdings_source.holdings_of)
        from portal.registry import register_bundle

        from .bundles import BUNDLES

        for bundle in BUNDLES:
            register_bundle(bundle)
        register(
            RequestKind(
                code="repair",
                label=_("维修报修"),
                domain=_("办公用房"),
                description=_("办公室水电、门窗、空调、网络等故障报修；大中修须经机关事务管理局审批"),
                detail_model=RepairRequest,
                form_class=RepairRequestForm,
                chain=(
                    Step(gettext_noop("处室负责人审批"), Role.APPROVER),
                    Step(
                        gettext_noop("房产管理员审核（预估费用较高）"),
                        Role.SPACE_ADMIN,
                        when=lambda d: d.estimated_cost > rules.REPAIR_SPACE_ADMIN_REVIEW_ABOVE and not d.is_major,
                    ),
                    # 大中修: the space administrator, the asset/finance side and the bureau decide together,
                    # and every one of them must agree.
                    Countersign(
                        gettext_noop("大中修会签"),
                        signers=(
                            Signer(gettext_noop("房产管理员"), Role.SPACE_ADMIN),
                            Signer(gettext_noop("资产财务（资产管理员）"), Role.ASSET_ADMIN),
                            Signer(gettext_noop("机关事务管理局"), Role.BUREAU_ADMIN),
                        ),
                        rule=Rule.ALL,
                        when=lambda d: d.is_major,
                    ),
                ),
                handler_role=Role.SPACE_ADMIN,
                sla_hours=rules.REPAIR_SLA_HOURS,
                outcome_form=RepairOutcomeForm,
                record_outcome=services.repair_record_outcome,
            )
        )
        register(
            RequestKind(
                code="space_adjustment",
                label=_("用房调整申请"),
                domain=_("办公用房"),
                description=_("增配、调整办公用房或兼职岗位第二办公室；按调剂→置换→租用→建设的顺序解决"),
                detail_model=AdjustmentRequest,
                form_class=AdjustmentRequestForm,
                chain=(
                    Step(gettext_noop("处室负责人审批"), Role.APPROVER),
                    Step(gettext_noop("房产管理员审核"), Role.SPACE_ADMIN),
                    Step(gettext_noop("机关事务管理局审批"), Role.BUREAU_ADMIN),
                ),
                handler_role=Role.SPACE_ADMIN,
                sla_hours=rules.ADJUSTMENT_SLA_HOURS,
                outcome_form=AdjustmentOutcomeForm,
                record_outcome=services.adjustment_record_outcome,
            )
        )
        # 会议室预订: the room is held from submission (no double booking), confirmed by the room's space
        # administrator, let go when the request is refused, withdrawn or returned (officespace.meetings).
        register(
            RequestKind(
                code="meeting_room",
                label=_("会议室预订"),
                domain=_("办公用房"),
                description=_(
                    "预订本单位（含上级单位）的会议室，同一时段不重复预订；也可通过“会议一件事”一并申请用车和物品"
                ),
                detail_model=MeetingRoomRequest,
                form_class=MeetingRoomRequestForm,
                chain=(
                    Step(
                        gettext_noop("会议室所属单位房产管理员确认"), Role.SPACE_ADMIN, unit=lambda d: d.room.org_unit
                    ),
                ),
                handler_role=Role.SPACE_ADMIN,
                sla_hours=rules.MEETING_SLA_HOURS,
                outcome_form=MeetingOutcomeForm,
                record_outcome=meetings.meeting_record_outcome,
                on_submitted=meetings.book_room,
                on_approved=meetings.confirm_booking,
                on_ended=meetings.release_booking,
                done_on_approval=True,
            )
        )
        register_work_item(
            WorkItem(
                "health",
                _("超标准用房待处理"),
                "officespace:over-standard",
                (Role.SPACE_ADMIN, Role.BUREAU_ADMIN),
                count_once("officespace.open_problems", home.open_problems),
            )
        )
