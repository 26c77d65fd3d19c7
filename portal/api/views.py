"""The portal through the API. Tickets are not scoped by org unit alone (a requester sees their
own, an approver what is routed to them), so the queryset comes from portal.selectors."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from datahub.api.parsers import ObjectJSONParser
from datahub.api.rows import ValuesList
from datahub.models import OrgUnit, User

from .. import registry, selectors, services
from ..mine_page import my_requests_api
from ..models import Notification
from .serializers import (
    TICKET_ROWS,
    AssistAskSerializer,
    AssistSerializer,
    CommentSerializer,
    CompleteSerializer,
    DecideSerializer,
    FileRequestSerializer,
    HandOnSerializer,
    KindSerializer,
    NotificationSerializer,
    RateSerializer,
    SuperviseSerializer,
    SupervisionSerializer,
    TicketDetailSerializer,
    TicketSerializer,
)

BOXES = {"mine": selectors.my_tickets, "inbox": selectors.approval_inbox, "handling": selectors.handling_queue}
# A list call naming none but these reads ?box=mine by one compiled statement (portal.mine_page): no filter,
# search or ordering of the request changes the list's query.
PLAIN_PARAMS = {"box", "page", "page_size"}


def _form_or_400(form_class, data, form=None):
    form = form or form_class(data=data)
    if not form.is_valid():
        raise ValidationError(
            {name: [e["message"] for e in errs] for name, errs in form.errors.get_json_data().items()}
        )
    return form.cleaned_data


class KindsView(APIView):
    """可发起的申请类型、审批流程与承诺时限。"""

    @extend_schema(responses=KindSerializer(many=True))
    def get(self, request):
        return Response(
            [
                {
                    "code": k.code,
                    "label": k.label,
                    "domain": k.domain,
                    "sla_hours": k.sla_hours,
                    "chain": [s.name for s in k.chain],
                    "fields": list(k.form_class.base_fields),
                    "outcome_fields": list(k.outcome_form.base_fields),
                }
                for k in registry.all_kinds()
            ]
        )


class TicketViewSet(ValuesList, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """服务申请。?box=mine|inbox|handling 取"我的申请/待我审批/待我处理"；不带 box 为可见的全部。"""

    serializer_class = TicketSerializer
    row_shape = TICKET_ROWS  # the list's rows read as values() (datahub.api.rows)
    filterset_fields = ["status", "kind"]
    search_fields = ["title", "requester__name"]
    ordering_fields = ["created_at", "due_at"]
    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]

    def list(self, request, *args, **kwargs):
        params = request.query_params
        size = self.paginator.get_page_size(request) if self.paginator is not None else None
        if params.get("box") == "mine" and set(params) <= PLAIN_PARAMS and size:
            columns, _ = self.row_shape.plan()
            return self.list_read(
                my_requests_api(request.user, columns=columns, size=size, page=params.get("page", ""))
            )
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        box = BOXES.get(self.request.query_params.get("box", ""))
        qs = box(self.request.user) if box else selectors.visible_tickets(self.request.user)
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                "steps__assignees", "steps__decided_by", "steps__parts__assignees", "steps__parts__decided_by"
            ).prefetch_related("timeline__actor")
        return qs.order_by("-created_at") if not box else qs

    def get_serializer_class(self):
        return TicketDetailSerializer if self.action == "retrieve" else TicketSerializer

    def _done(self, ticket, code=status.HTTP_200_OK):
        ticket = selectors.visible_tickets(self.request.user).filter(pk=ticket.pk).first() or ticket
        return Response(TicketDetailSerializer(ticket, context={"request": self.request}).data, status=code)

    @extend_schema(request=FileRequestSerializer, responses={201: TicketDetailSerializer})
    def create(self, request):
        payload = FileRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        kind = registry.get(payload.validated_data["kind"])
        data = payload.validated_data["data"]
        fields = _form_or_400(kind.form_class, data, registry.detail_form(kind, request.user, data=data))
        ticket = services.file_request(
            requester=request.user, kind_code=kind.code, detail_fields=fields, submit=payload.validated_data["submit"]
        )
        return self._done(ticket, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._done(services.submit_ticket(actor=request.user, ticket=self.get_object()))

    @extend_schema(request=DecideSerializer, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        ticket = self.get_object()  # another unit's ticket is a 404 whatever the body says
        data = self._valid(DecideSerializer)
        return self._done(services.decide(actor=request.user, ticket=ticket, **data))

    @extend_schema(request=HandOnSerializer, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"], url_path="hand-on")
    def hand_on(self, request, pk=None):
        ticket = self.get_object()
        data = self._valid(HandOnSerializer)
        to_user = User.objects.filter(pk=data.pop("to_user"), is_active=True).first()
        if to_user is None:
            raise ValidationError({"to_user": _("转交对象不存在或已停用。")})
        return self._done(services.hand_on(actor=request.user, ticket=ticket, to_user=to_user, **data))

    @extend_schema(request=None, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._done(services.withdraw(actor=request.user, ticket=self.get_object()))

    @extend_schema(request=None, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._done(services.start_handling(actor=request.user, ticket=self.get_object()))

    @extend_schema(request=CompleteSerializer, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        ticket = self.get_object()
        data = self._valid(CompleteSerializer)
        outcome = _form_or_400(registry.get(ticket.kind).outcome_form, data["outcome"])
        return self._done(
            services.complete(actor=request.user, ticket=ticket, outcome=outcome, comment=data["comment"])
        )

    @extend_schema(request=RateSerializer, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        ticket = self.get_object()
        data = self._valid(RateSerializer)
        return self._done(services.rate(actor=request.user, ticket=ticket, **data))

    @extend_schema(request=CommentSerializer, responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        ticket = self.get_object()
        data = self._valid(CommentSerializer)
        services.add_comment(
            actor=request.user, ticket=ticket, comment=data["comment"], attachment=data.get("attachment")
        )
        return self._done(ticket)

    @extend_schema(request=AssistAskSerializer, responses=AssistSerializer)
    @action(detail=True, methods=["post"])
    def assist(self, request, pk=None):
        """主办人请其他单位协办。"""
        ticket = self.get_object()
        data = self._valid(AssistAskSerializer)
        unit = OrgUnit.objects.filter(pk=data.pop("unit"), is_active=True).first()
        if unit is None:
            raise ValidationError({"unit": _("协办单位不存在或已停用。")})
        part = services.assist_ask(actor=request.user, ticket=ticket, unit=unit, **data)
        return Response(AssistSerializer(part).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SuperviseSerializer, responses=SupervisionSerializer)
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        """领导或机关事务管理局管理员督办本申请。"""
        ticket = self.get_object()
        data = self._valid(SuperviseSerializer)
        ids = data.pop("supervised", None)
        people = None
        if ids:
            people = list(User.objects.filter(pk__in=ids, is_active=True))
            if len(people) != len(set(ids)):
                raise ValidationError({"supervised": _("被督办人不存在或已停用。")})
        sup = services.supervision_open(actor=request.user, ticket=ticket, supervised=people, **data)
        return Response(SupervisionSerializer(sup).data, status=status.HTTP_201_CREATED)

    def _valid(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """我的通知（最新在前）。POST read/ 全部标为已读。"""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["post"])
    def read(self, request):
        return Response({"marked": services.mark_read(user=request.user)})
