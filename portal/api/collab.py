"""一网协同 through the API: 协办 parts to handle, 督办 lists, 一件事 bundles."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from datahub.api.parsers import ObjectJSONParser

from .. import registry, selectors, services
from ..models import AssistPart, Bundle, Supervision
from .serializers import (
    AssistAnswerSerializer,
    AssistSerializer,
    BundleKindSerializer,
    BundleSerializer,
    FileBundleSerializer,
    SupervisionSerializer,
)
from .views import _form_or_400


class AssistViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """待我协办：其他单位请本单位协办、尚未完成的事项。POST {id}/complete|decline|withdraw/。"""

    serializer_class = AssistSerializer
    queryset = AssistPart.objects.none()  # for the schema; requests use get_queryset
    parser_classes = [ObjectJSONParser]

    def get_queryset(self):
        return selectors.assist_queue(self.request.user)

    def _part(self, pk) -> AssistPart:
        # An id that is not a number is a 404 in the API's own answer, never a lookup.
        part = AssistPart.objects.filter(pk=pk).select_related("ticket").first() if str(pk).isdigit() else None
        if part is None or selectors.ticket_for(self.request.user, part.ticket_id) is None:
            raise Http404(_("协办事项不存在或您无权查看。"))
        return part

    def _answer(self, pk, fn, key):
        part = self._part(pk)
        serializer = AssistAnswerSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        part = fn(actor=self.request.user, part=part, **{key: serializer.validated_data["text"]})
        return Response(AssistSerializer(part).data)

    @extend_schema(request=AssistAnswerSerializer, responses=AssistSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._answer(pk, services.assist_complete, "outcome")

    @extend_schema(request=AssistAnswerSerializer, responses=AssistSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._answer(pk, services.assist_decline, "reason")

    @extend_schema(request=AssistAnswerSerializer, responses=AssistSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._answer(pk, services.assist_withdraw, "reason")


class SupervisionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """我督办的申请（?state=open|on_time|late）。"""

    serializer_class = SupervisionSerializer
    queryset = Supervision.objects.none()
    pagination_class = None

    def list(self, request):
        state = request.query_params.get("state", "")
        if state not in ("", "open", "on_time", "late"):
            raise ValidationError({"state": _("state 只能是 open、on_time 或 late。")})
        rows = selectors.supervision_list(request.user, state=state)
        return Response(SupervisionSerializer(rows, many=True).data)


class BundleKindsView(APIView):
    """可发起的一件事及其事项。"""

    @extend_schema(responses=BundleKindSerializer(many=True))
    def get(self, request):
        return Response(
            [
                {
                    "code": b.code,
                    "label": b.label,
                    "description": b.description,
                    "fields": list(b.form_class.base_fields),
                    "members": [{"key": m.key, "kind": m.kind, "label": m.label, "after": m.after} for m in b.members],
                }
                for b in registry.all_bundles()
            ]
        )


class BundleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """我的一件事：整体状态与各事项。POST 一次提交；POST {id}/withdraw/ 撤回尚未批准的事项。"""

    serializer_class = BundleSerializer
    queryset = Bundle.objects.none()
    parser_classes = [ObjectJSONParser]

    def get_queryset(self):
        return selectors.my_bundles(self.request.user).prefetch_related("members__current_step")

    def get_object(self):
        pk = str(self.kwargs["pk"])
        bundle = selectors.bundle_for(self.request.user, pk) if pk.isdigit() else None
        if bundle is None:
            raise Http404(_("一件事不存在或您无权查看。"))
        return bundle

    @extend_schema(request=FileBundleSerializer, responses={201: BundleSerializer})
    def create(self, request):
        payload = FileBundleSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        kind = registry.get_bundle(payload.validated_data["kind"])
        data = payload.validated_data["data"]
        cleaned = _form_or_400(kind.form_class, data, kind.form_class(data=data, requester=request.user))
        bundle = services.bundle_file(requester=request.user, bundle_code=kind.code, data=cleaned)
        return Response(BundleSerializer(bundle).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BundleSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        bundle = services.bundle_withdraw(actor=request.user, bundle=self.get_object())
        return Response(BundleSerializer(bundle).data)
