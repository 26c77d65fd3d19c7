"""Vehicles API: ScopedModelViewSets (dispatchers and bureau administrators write their subtree, leaders
read); writes go through the services. Dispatches are created for an approved 用车申请 (``ticket``);
the return is recorded by completing the ticket through the portal API (``/api/v1/portal/tickets/<id>/complete/``)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from datahub.api.filters import ScopedFilterSet, SubtreeFilter
from datahub.api.rows import ValuesList
from datahub.api.viewsets import ScopedModelViewSet
from datahub.params import as_int

from .. import selectors, services
from ..models import CostRecord, Dispatch, Driver, Vehicle
from .serializers import VEHICLE_ROWS, CostRecordSerializer, DispatchSerializer, DriverSerializer, VehicleSerializer


class VehicleFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="org_unit__path")

    class Meta:
        model = Vehicle
        fields = ["category", "status", "energy_type"]


class DriverFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="org_unit__path")

    class Meta:
        model = Driver
        fields = ["licence_class", "status"]


class RecordFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="vehicle__org_unit__path")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = CostRecord
        fields = ["vehicle", "kind"]


class DispatchFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="vehicle__org_unit__path")

    class Meta:
        model = Dispatch
        fields = ["vehicle", "driver", "status", "ticket"]


class VehicleViewSet(ValuesList, ScopedModelViewSet):
    """公务用车台账（新增即登记购置：校验号牌、VIN、配备标准与编制）。"""

    queryset = Vehicle.objects.select_related("org_unit", "asset")
    serializer_class = VehicleSerializer
    row_shape = VEHICLE_ROWS  # the list's rows read as values() (datahub.api.rows)
    filterset_class = VehicleFilter
    search_fields = ["plate", "vin", "brand", "model_name"]
    ordering_fields = ["plate", "odometer_km"]
    ordering = ["plate"]
    scope_roles = selectors.FLEET_READERS

    def perform_service_create(self, data):
        return services.register_vehicle(actor=self.request.user, fields=data)

    def perform_service_update(self, instance, data):
        return services.update_vehicle(actor=self.request.user, vehicle=instance, fields=data)


class DriverViewSet(ScopedModelViewSet):
    """驾驶员（驾驶证过期的不能派车）。"""

    queryset = Driver.objects.select_related("person", "org_unit")
    serializer_class = DriverSerializer
    filterset_class = DriverFilter
    search_fields = ["person__name", "person__username"]
    ordering = ["person__name"]
    scope_roles = selectors.FLEET_READERS

    def perform_service_create(self, data):
        return services.save_driver(actor=self.request.user, fields=data)

    def perform_service_update(self, instance, data):
        return services.save_driver(actor=self.request.user, fields=data, driver=instance)


class CostRecordViewSet(ScopedModelViewSet):
    """车辆费用记录：加油/充电、维修保养、保险、年检、通行费、停车费（只增不改）。"""

    queryset = CostRecord.objects.select_related("vehicle")
    serializer_class = CostRecordSerializer
    filterset_class = RecordFilter
    ordering_fields = ["date", "amount"]
    ordering = ["-date", "-pk"]
    scope_roles = selectors.FLEET_READERS
    unit_field = "vehicle__org_unit"
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        vehicle = data.pop("vehicle")
        return services.add_record(actor=self.request.user, vehicle=vehicle, fields=data)


class DispatchViewSet(ScopedModelViewSet):
    """派车单：POST {ticket, vehicle, driver} 为已批准的用车申请派车；出车用 depart 操作。"""

    queryset = Dispatch.objects.select_related("vehicle", "driver__person")
    serializer_class = DispatchSerializer
    filterset_class = DispatchFilter
    ordering_fields = ["starts_at"]
    ordering = ["-starts_at"]
    scope_roles = selectors.FLEET_READERS
    unit_field = "vehicle__org_unit"
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.dispatch_trip(
            actor=self.request.user, ticket=data["ticket"], vehicle=data["vehicle"], driver=data.get("driver")
        )

    @extend_schema(
        request=inline_serializer(
            "DispatchDepart", {"odometer_km": drf_serializers.IntegerField(min_value=0, max_value=10**9)}
        ),
        responses=DispatchSerializer,
    )
    @action(detail=True, methods=["post"])
    def depart(self, request, pk=None):
        """登记出车：{"odometer_km": 12345}。"""
        odometer = as_int(request.data.get("odometer_km"), 0, 10**9)
        if odometer is None:
            raise DRFValidationError({"odometer_km": [_("请填写出车里程表读数（整数公里）。")]})
        dispatch = services.depart(actor=request.user, dispatch=self.get_object(), odometer_km=odometer)
        return Response(self.get_serializer(dispatch).data)
