from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from datahub import keyed
from datahub.api.fields import ChoiceLabel, IntegerField
from datahub.api.rows import RowShape

from .. import registry
from ..models import AssistPart, Bundle, Notification, StepPart, Supervision, Ticket, TicketStep, TimelineEntry


class KindSerializer(serializers.Serializer):
    """What /portal/kinds/ lists (documentation of the answer; the view builds it from the registry)."""

    code = serializers.CharField()
    label = serializers.CharField()
    domain = serializers.CharField()
    sla_hours = serializers.IntegerField()
    chain = serializers.ListField(child=serializers.CharField(), help_text=_("审批环节"))
    fields = serializers.ListField(child=serializers.CharField(), help_text=_("申请表字段"))
    outcome_fields = serializers.ListField(child=serializers.CharField(), help_text=_("办结时登记的字段"))


class PartSerializer(serializers.ModelSerializer):
    """One signer's part of a countersign step: who may sign, who signed, what they said."""

    assignees = serializers.SerializerMethodField()
    decided_by = serializers.CharField(source="decided_by.name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = StepPart
        fields = ["id", "index", "name", "role", "assignees", "decision", "decided_by", "decided_at", "comment"]

    def get_assignees(self, part) -> list[str]:
        return [u.name for u in part.assignees.all()]


class StepSerializer(serializers.ModelSerializer):
    assignees = serializers.SerializerMethodField()
    decided_by = serializers.CharField(source="decided_by.name", default=None, read_only=True)
    parts = PartSerializer(many=True, read_only=True)

    class Meta:
        model = TicketStep
        fields = [
            "id",
            "round",
            "index",
            "name",
            "role",
            "rule",
            "quorum",
            "parts",
            "assignees",
            "fallback_note",
            "decision",
            "decided_by",
            "decided_at",
            "comment",
        ]

    def get_assignees(self, step) -> list[str]:
        return [u.name for u in step.assignees.all()]


class TimelineSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.name", default=None, read_only=True)
    # A remark the system wrote reads in the caller's language (datahub.keyed); a person's as typed.
    comment = serializers.CharField(source="shown_comment", read_only=True)

    class Meta:
        model = TimelineEntry
        fields = ["at", "actor", "action", "from_status", "to_status", "comment", "attachment"]


class TicketSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    requester = serializers.CharField(source="requester.name", read_only=True)
    org_unit = serializers.CharField(source="org_unit.name", read_only=True)
    status_display = ChoiceLabel(Ticket._meta.get_field("status").choices, source="status")
    current_step = serializers.CharField(source="current_step.name", default=None, read_only=True)
    current_step_id = serializers.IntegerField(read_only=True, allow_null=True)
    title = serializers.CharField(source="shown_title", read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "requester",
            "org_unit",
            "status",
            "status_display",
            "round",
            "current_step",
            "current_step_id",
            "submitted_at",
            "due_at",
            "closed_at",
            "rating",
            "rating_comment",
        ]

    def get_kind_label(self, ticket) -> str:
        return registry.label(ticket.kind)


# A list's rows as TicketSerializer shapes them, from values() (datahub.api.rows): the kind's label from the
# registry, the title in the reader's language from its key.
TICKET_ROWS = RowShape(
    TicketSerializer,
    computed={
        "title": (
            ("title", "title_key", "title_values"),
            lambda row: keyed.render(row["title_key"], row["title_values"], row["title"]),
        ),
    },
    labels={"kind_label": ("kind", registry.label)},
)


class TicketDetailSerializer(TicketSerializer):
    steps = StepSerializer(many=True, read_only=True)
    timeline = TimelineSerializer(many=True, read_only=True)

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "steps", "timeline"]


class FileRequestSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("申请类型代码，见 /api/v1/portal/kinds/"))
    data = serializers.DictField(help_text=_("该类申请的填报字段"))
    submit = serializers.BooleanField(default=True, help_text=_("false 则保存为草稿"))


class DecideSerializer(serializers.Serializer):
    step_id = IntegerField()
    part_id = IntegerField(required=False, allow_null=True, default=None, help_text=_("会签时：您的会签方（可不填）"))
    decision = serializers.ChoiceField(choices=["approved", "rejected", "returned"])
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class HandOnSerializer(serializers.Serializer):
    step_id = IntegerField()
    to_user = IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class CompleteSerializer(serializers.Serializer):
    outcome = serializers.DictField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class RateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    attachment = serializers.FileField(required=False)


class NotificationSerializer(serializers.ModelSerializer):
    message = serializers.CharField(source="shown_message", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "ticket", "message", "created_at", "read_at"]


class AssistSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name", read_only=True)
    role_label = serializers.CharField(read_only=True)
    ticket_title = serializers.CharField(source="ticket.shown_title", read_only=True)
    asked_by = serializers.CharField(source="asked_by.name", read_only=True)
    handled_by = serializers.CharField(source="handled_by.name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = AssistPart
        fields = [
            "id",
            "ticket",
            "ticket_title",
            "unit",
            "role",
            "role_label",
            "description",
            "due_at",
            "state",
            "asked_by",
            "handled_by",
            "handled_at",
            "outcome",
        ]


class AssistAskSerializer(serializers.Serializer):
    unit = IntegerField(help_text=_("协办单位 id"))
    role = serializers.CharField(help_text=_("协办角色代码"))
    description = serializers.CharField(max_length=500)
    due_at = serializers.DateTimeField()


class AssistAnswerSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1000, help_text=_("协办结果，或退回/撤回的理由"))


class SupervisionSerializer(serializers.ModelSerializer):
    ticket_title = serializers.CharField(source="ticket.shown_title", read_only=True)
    supervisor = serializers.CharField(source="supervisor.name", read_only=True)
    supervised = serializers.SerializerMethodField()
    standing = serializers.CharField(read_only=True, default=None, allow_null=True, help_text="open/on_time/late")

    class Meta:
        model = Supervision
        fields = ["id", "ticket", "ticket_title", "supervisor", "note", "deadline", "supervised", "standing"]

    def get_supervised(self, sup) -> list[str]:
        return [u.name for u in sup.supervised.all()]


class SuperviseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500)
    deadline = serializers.DateTimeField()
    supervised = serializers.ListField(child=IntegerField(), required=False, help_text=_("被督办人 id（可不填）"))


class BundleMemberSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    current_step = serializers.CharField(source="current_step.name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Ticket
        fields = ["id", "kind", "bundle_member", "title", "status", "status_display", "current_step"]


class BundleSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    members = BundleMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Bundle
        fields = ["id", "kind", "title", "state", "state_display", "created_at", "closed_at", "members"]


class BundleMemberKindSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField()
    after = serializers.CharField(allow_null=True)


class BundleKindSerializer(serializers.Serializer):
    """What /portal/bundle-kinds/ lists (documentation of the answer; the view builds it from the registry)."""

    code = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField(), help_text=_("一件事的填报字段"))
    members = BundleMemberKindSerializer(many=True)


class FileBundleSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("一件事代码，见 /api/v1/portal/bundle-kinds/"))
    data = serializers.DictField(help_text=_("一件事的填报字段"))
