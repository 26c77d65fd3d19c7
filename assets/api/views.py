"""Assets API: cards and movements are scoped (asset administrators, bureau administrators and
leaders read their subtree); every write — booking and each lifecycle action — goes through the
services. The classification is public reference data (read-only, any signed-in user)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from datahub.api.viewsets import ScopedModelViewSet, ScopedReadOnlyModelViewSet
from portal.models import Ticket

from .. import selectors, services
from ..models import Asset, Category, Movement
from . import serializers as s
from .filters import AssetFilter, MovementFilter


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """GB/T 14885-2022 资产分类（公共代码表）。"""

    queryset = Category.objects.select_related("parent").order_by("code")
    serializer_class = s.CategorySerializer
    permission_classes = [permissions.IsAuthenticated]
    search_fields = ["code", "name"]
    filterset_fields = ["depreciates", "parent"]


class AssetViewSet(ScopedModelViewSet):
    """资产卡片；新增即入账，生命周期操作见各 action。"""

    queryset = Asset.objects.select_related("category", "org_unit", "custodian")
    serializer_class = s.AssetSerializer
    filterset_class = AssetFilter
    search_fields = ["asset_number", "name", "spec"]
    ordering_fields = ["asset_number", "original_value", "acquired_on"]
    ordering = ["asset_number"]
    scope_roles = selectors.ASSET_READERS
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        data = {k: v for k, v in data.items() if v is not None}
        return services.register_card(actor=self.request.user, **data)

    def _run(self, request, body_class, fn):
        asset = self.get_object()
        body = body_class(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        asset = fn(asset, dict(body.validated_data))
        # Re-read unscoped: after a transfer the card belongs to a unit the actor may not see any more.
        fresh = Asset.objects.select_related("category", "org_unit", "custodian").get(pk=asset.pk)
        return Response(s.AssetSerializer(fresh, context={"request": request}).data)

    @extend_schema(request=s.TransferSerializer, responses=s.AssetSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        return self._run(
            request, s.TransferSerializer, lambda a, d: services.transfer(asset=a, actor=request.user, **d)
        )

    @extend_schema(request=s.LendSerializer, responses=s.AssetSerializer)
    @action(detail=True, methods=["post"])
    def lend(self, request, pk=None):
        def run(asset, d):
            ticket = None
            if d.get("ticket"):
                ticket = Ticket.objects.filter(pk=d["ticket"]).first()
                if ticket is None:
                    raise DRFValidationError({"ticket": [_("没有编号为%(ticket)s的申请。") % {"ticket": d["ticket"]}]})
            party = d.get("to_unit") or d.get("party") or ""
            return services.lend(
                asset=asset,
                to_unit_or_party=party,
                until=d["until"],
                income=d.get("income"),
                ticket=ticket,
                actor=request.user,
            )

        return self._run(request, s.LendSerializer, run)

    @extend_schema(request=s.ReturnLentSerializer, responses=s.AssetSerializer)
    @action(detail=True, methods=["post"], url_path="return-lent")
    def return_lent(self, request, pk=None):
        return self._run(
            request, s.ReturnLentSerializer, lambda a, d: services.return_lent(asset=a, actor=request.user, **d)
        )

    @extend_schema(request=s.DisposeSerializer, responses=s.AssetSerializer)
    @action(detail=True, methods=["post"])
    def dispose(self, request, pk=None):
        return self._run(request, s.DisposeSerializer, lambda a, d: services.dispose(asset=a, actor=request.user, **d))

    @extend_schema(request=s.StatusSerializer, responses=s.AssetSerializer)
    @action(detail=True, methods=["post"], url_path="set-status")
    def set_status(self, request, pk=None):
        return self._run(
            request,
            s.StatusSerializer,
            lambda a, d: services.set_status(asset=a, status=d["status"], actor=request.user, reason=d["reason"]),
        )

    @extend_schema(request=s.IssueSerializer, responses=s.AssetSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        return self._run(request, s.IssueSerializer, lambda a, d: services.issue(asset=a, actor=request.user, **d))

    @extend_schema(request=None, responses=s.AssetSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_asset(self, request, pk=None):
        return self._run(request, s.EmptySerializer, lambda a, d: services.return_asset(asset=a, actor=request.user))

    @extend_schema(request=s.RelocateSerializer, responses=s.AssetSerializer)
    @action(detail=True, methods=["post"])
    def relocate(self, request, pk=None):
        return self._run(
            request, s.RelocateSerializer, lambda a, d: services.relocate(asset=a, actor=request.user, **d)
        )


class MovementViewSet(ScopedReadOnlyModelViewSet):
    """资产变动（只增不改）。"""

    queryset = Movement.objects.select_related("asset", "actor")
    serializer_class = s.MovementSerializer
    filterset_class = MovementFilter
    ordering = ["-at", "-pk"]
    scope_roles = selectors.ASSET_READERS
    unit_field = "asset__org_unit"
