"""公物仓 API. Listings are browsed by everybody (the pool is shared across units on purpose);
writes go through the services, which refuse anyone but the publishing unit's administrators."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from assets import selectors as asset_selectors
from datahub.api.filters import IntegerFilter, ScopedFilterSet
from datahub.api.viewsets import ScopedModelViewSet, ScopedReadOnlyModelViewSet
from datahub.models import OrgUnit

from .. import selectors, services
from ..models import PoolListing, Reuse
from .serializers import (
    IdleAssetSerializer,
    ListingUpdateSerializer,
    PoolListingSerializer,
    RequestItemSerializer,
    ReuseSerializer,
)


class ListingFilter(ScopedFilterSet):
    category = IntegerFilter(method="filter_category", label=_("资产分类（含下级）"))
    within = IntegerFilter(method="filter_within", label=_("发布单位（含下级）"))

    class Meta:
        model = PoolListing
        fields = ["status", "mode", "condition", "org_unit"]

    def filter_category(self, qs, name, value):
        category = asset_selectors.category_by_pk(value)
        if category is None:
            return qs.none()
        return qs.filter(asset__category__code__startswith=category.code)

    def filter_within(self, qs, name, value):
        unit = OrgUnit.objects.filter(pk=value).first()
        return qs.filter(org_unit__path__startswith=unit.path) if unit else qs.none()


class PoolListingViewSet(ScopedModelViewSet):
    """公物仓资产：所有单位可浏览（?status=listed 在仓可申领）；发布单位的资产管理员可发布、修改、撤回。"""

    queryset = PoolListing.objects.all()
    serializer_class = PoolListingSerializer
    filterset_class = ListingFilter
    search_fields = ["asset__name", "asset__asset_number", "description", "store_text"]
    ordering_fields = ["published_at", "asset__original_value"]
    ordering = ["-published_at", "-pk"]

    def get_queryset(self):
        # Deliberately not unit-scoped: sharing across units is the pool's purpose (selectors docstring).
        return selectors.pool_listings(self.request.user, status=None)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ListingUpdateSerializer
        return super().get_serializer_class()

    def perform_service_create(self, data):
        return services.publish(actor=self.request.user, **data)

    def perform_service_update(self, instance, data):
        data.pop("asset", None)
        return services.update_listing(actor=self.request.user, listing=instance, **data)

    @extend_schema(
        request=inline_serializer(
            "ListingWithdraw", {"reason": drf_serializers.CharField(required=False, allow_blank=True)}
        ),
        responses=PoolListingSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """撤出公物仓：{"reason": "..."}。"""
        listing = services.withdraw(
            actor=request.user, listing=self.get_object(), reason=str(request.data.get("reason", ""))
        )
        return Response(PoolListingSerializer(listing, context=self.get_serializer_context()).data)

    @extend_schema(request=RequestItemSerializer, responses=None)
    @action(detail=True, methods=["post"], url_path="request")
    def request_item(self, request, pk=None):
        """申领（在工作流中提交“公物仓申领”）：{"way": "transfer|loan", "return_date": "YYYY-MM-DD", "purpose": "..."}。"""
        body = RequestItemSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ticket = services.file_pool_request(requester=request.user, listing=self.get_object(), **body.validated_data)
        return Response({"ticket": ticket.pk, "status": ticket.status, "title": ticket.shown_title}, status=201)

    @extend_schema(responses=PoolListingSerializer(many=True))
    @action(detail=False, methods=["get"])
    def matching(self, request):
        """先仓后购：?category=<分类编号>，公物仓中本单位以外可申领的同类资产。"""
        category = asset_selectors.category_by_pk(request.query_params.get("category", ""))
        if category is None:
            raise NotFound(_("请用 ?category=<资产分类编号> 指定分类。"))
        page = self.paginate_queryset(selectors.matching_pool_items(category, request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ReuseViewSet(ScopedReadOnlyModelViewSet):
    """调剂台账（调出或调入一方在您的管理范围内）；借用归还用 return 操作。"""

    queryset = Reuse.objects.all()
    serializer_class = ReuseSerializer
    filterset_fields = ["way"]
    ordering = ["-done_at", "-pk"]

    def get_queryset(self):
        return selectors.reuses_for(self.request.user)

    @extend_schema(request=None, responses=ReuseSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def record_return(self, request, pk=None):
        reuse = services.record_return(actor=request.user, reuse=self.get_object())
        return Response(self.get_serializer(reuse).data)


class IdleAssetViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """应交公物仓：闲置满期的资产（您管理的单位）。"""

    serializer_class = IdleAssetSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.idle_assets(self.request.user)
