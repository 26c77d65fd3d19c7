"""清查盘点 API: scoped to the stocktake's unit; opening, scanning and closing go through the services."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from datahub.api.viewsets import ScopedModelViewSet

from .. import selectors, services
from ..models import Outcome, Stocktake
from .serializers import CountSerializer, ScanSerializer, StocktakeSerializer


class StocktakeViewSet(ScopedModelViewSet):
    """清查盘点：发起（快照账面）、扫码登记（scan）、结果（result）、结束并调账（close）。"""

    queryset = Stocktake.objects.all()
    serializer_class = StocktakeSerializer
    filterset_fields = ["status", "scope_kind"]
    search_fields = ["title", "note"]
    ordering = ["-opened_at", "-pk"]
    scope_roles = selectors.STOCKTAKE_READERS
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.stocktakes_for(self.request.user)

    def perform_service_create(self, data):
        stocktake = services.open_stocktake(actor=self.request.user, **data)
        return self.get_queryset().get(pk=stocktake.pk)

    @extend_schema(request=ScanSerializer, responses=CountSerializer)
    @action(detail=True, methods=["post"])
    def scan(self, request, pk=None):
        """登记一件实物：{"code": "资产编号", "observed_room": 房间编号, "observed_custodian": 人员编号, "surplus": false}。"""
        stocktake = self.get_object()
        body = ScanSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        count = services.record_count(actor=request.user, stocktake=stocktake, **body.validated_data)
        return Response(CountSerializer(count).data, status=201)

    @extend_schema(request=None, responses=CountSerializer(many=True))
    @action(detail=True, methods=["get"])
    def counts(self, request, pk=None):
        stocktake = self.get_object()
        page = self.paginate_queryset(selectors.counts_for(request.user, stocktake))
        return self.get_paginated_response(CountSerializer(page, many=True).data)

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        """盘点结果：各类数量与明细（账实相符、盘盈、盘亏、地点/使用人不符、他处在册）。"""
        result = selectors.reconcile(self.get_object())
        keys = ["outcome", "asset_number", "name", "book_room", "book_custodian", "room", "custodian", "note"]
        return Response(
            {
                "tally": result.tally(),
                "labels": dict(Outcome.choices),
                "rows": [dict(zip(keys, row, strict=True)) for row in result.rows()],
            }
        )

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """结束盘点并调账（同一事务），之后锁定。"""
        tally = services.close_stocktake(actor=request.user, stocktake=self.get_object())
        return Response({"status": "closed", "adjusted": tally})
