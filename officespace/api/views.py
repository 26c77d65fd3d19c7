"""Office-space API: every endpoint is a ScopedModelViewSet (space administrators, bureau
administrators and leaders read their subtree; writes go through the services)."""

from django.core.exceptions import PermissionDenied
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from datahub.api.viewsets import ScopedModelViewSet
from datahub.params import as_id

from .. import selectors, services
from ..models import Assessment, Building, Occupancy, Room
from .filters import AssessmentFilter, BuildingFilter, OccupancyFilter, RoomFilter
from .serializers import AssessmentSerializer, BuildingSerializer, OccupancySerializer, RoomSerializer


class BuildingViewSet(ScopedModelViewSet):
    """楼宇台账。"""

    queryset = Building.objects.select_related("org_unit")
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilter
    search_fields = ["name", "code", "address"]
    ordering_fields = ["code", "name", "building_area", "use_area"]
    ordering = ["code"]
    scope_roles = selectors.SPACE_READERS

    def perform_service_create(self, data):
        return services.create_building(actor=self.request.user, **data)

    def perform_service_update(self, instance, data):
        return services.update_building(actor=self.request.user, building=instance, **data)


class RoomViewSet(ScopedModelViewSet):
    """房间台账，含当前使用人数（occupants）。"""

    queryset = Room.objects.select_related("building", "floor", "org_unit").annotate(
        occupants=selectors._current_count()
    )
    serializer_class = RoomSerializer
    filterset_class = RoomFilter
    search_fields = ["number", "building__name", "note"]
    ordering_fields = ["number", "use_area", "building__code"]
    ordering = ["building__code", "floor__number", "number"]
    scope_roles = selectors.SPACE_READERS

    def perform_service_create(self, data):
        floor = data.pop("floor")
        room = services.create_room(actor=self.request.user, floor=floor, **data)
        return self.get_queryset().get(pk=room.pk)

    def perform_service_update(self, instance, data):
        data.pop("floor", None)
        room = services.update_room(actor=self.request.user, room=instance, **data)
        return self.get_queryset().get(pk=room.pk)


def _date(request, name: str, message: str):
    """A YYYY-MM-DD date from the request body; a missing, malformed or impossible date (2月30日) is a 400."""
    try:
        value = parse_date(str(request.data.get(name, "")))
    except ValueError:
        value = None
    if value is None:
        raise DRFValidationError({name: [message]})
    return value


class OccupancyViewSet(ScopedModelViewSet):
    """办公室使用记录（在用与历史）；结束使用与登记离岗用专门的操作。"""

    queryset = Occupancy.objects.select_related("person", "room")
    serializer_class = OccupancySerializer
    filterset_class = OccupancyFilter
    ordering_fields = ["start_date", "end_date"]
    ordering = ["-start_date", "-pk"]
    scope_roles = selectors.SPACE_READERS
    unit_field = "room__org_unit"
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.assign_occupancy(actor=self.request.user, **data)

    @extend_schema(
        request=inline_serializer("OccupancyEnd", {"end_date": drf_serializers.DateField()}),
        responses=OccupancySerializer,
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """结束使用：{"end_date": "YYYY-MM-DD"}。"""
        end_date = _date(request, "end_date", _("请填写结束日期（YYYY-MM-DD）。"))
        occupancy = services.end_occupancy(actor=request.user, occupancy=self.get_object(), end_date=end_date)
        return Response(self.get_serializer(occupancy).data)


class AssessmentViewSet(ScopedModelViewSet):
    """超标准核查结果；可修改整改状态、整改方式和说明。"""

    queryset = Assessment.objects.select_related("person", "org_unit", "room__building")
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    search_fields = ["person__name", "room__number"]
    ordering_fields = ["excess", "share", "standard"]
    ordering = ["-excess", "pk"]
    scope_roles = selectors.SPACE_READERS
    http_method_names = ["get", "patch", "head", "options"]

    def perform_service_create(self, data):  # pragma: no cover - not routed
        raise PermissionDenied

    @extend_schema(responses=None)
    @action(detail=False, methods=["get"])
    def units(self, request):
        """按单位汇总（核定与实际面积、超标面积与人数，领导与工作人员分列）及范围合计；?within=<机构编号>。"""
        within = None
        if pk := as_id(request.query_params.get("within")):
            within = selectors.visible_unit(request.user, pk)
            if within is None:
                raise NotFound(_("机构不存在或无权查看。"))
        rows, total = selectors.unit_report(request.user, within=within)
        return Response({"units": rows, "total": total})

    def perform_service_update(self, instance, data):
        return services.handle_assessment(
            actor=self.request.user,
            assessment=instance,
            status=data.get("status", instance.status),
            remedy=data.get("remedy", instance.remedy),
            reason=data.get("reason", instance.reason),
        )
