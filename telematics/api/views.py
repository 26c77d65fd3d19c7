"""Monitoring API.

- ``POST positions/`` — a terminal's batch (``Authorization: Terminal <token>``), all or nothing:
  ``{"points": [{"time": "2026-03-02T09:00:00+08:00", "lat": 30.27, "lon": 120.15, "speed": 42.5,
  "ignition": true, "vehicle": <id or plate, optional>}, ...]}`` (at most 5,000). 201 with the
  counts (``stored``, ``duplicates``, alerts raised); 400 with ``rejected`` = [{index, reason}] and
  nothing written.
- ``alerts/`` (filters, paging) and ``alerts/<id>/acknowledge/``; ``terminals/``; ``geofences/``.
- ``dispatches/<id>/track/`` and ``vehicles/<id>/track/?start=&end=``: track replay.
All but the first are for people (token or session) and scoped to the vehicles' units.
"""

from datetime import timedelta

import django_filters
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from datahub.api.filters import ScopedFilterSet, SubtreeFilter
from datahub.api.viewsets import ScopedReadOnlyModelViewSet

from .. import selectors, services
from ..authentication import IsTerminal, TerminalAuthentication
from ..models import Alert, Geofence, Terminal
from ..rules import AlertKind, reason_in_language
from .serializers import AcknowledgeSerializer, AlertSerializer, GeofenceSerializer, PointSerializer, TerminalSerializer

# A track request covers at most this much time (a week of 10 s fixes is ~60,000 points).
MAX_TRACK_SPAN = timedelta(days=7)


class PositionIngestView(APIView):
    """终端批量上报定位点（全部合格才写入；重复点计为 duplicates）。"""

    authentication_classes = [TerminalAuthentication]
    permission_classes = [IsTerminal]
    # A terminal may post its batch as a bare array of points as well as {"points": [...]}.
    accepts_json_array = True

    @extend_schema(request=None, responses=None)
    def post(self, request):
        points = request.data.get("points") if isinstance(request.data, dict) else request.data
        try:
            result = services.ingest(terminal=request.auth, points=points)
        except services.BatchRejected as exc:
            # The checks write each reason in Chinese (the SQL one in the database): read here in the
            # request's language.
            rejected = [{**r, "reason": reason_in_language(r["reason"])} for r in exc.rejected]
            return Response(
                {
                    "detail": exc.message,
                    "fields": {
                        "points": [
                            _("第%(index)s个点：%(reason)s") % {"index": r["index"], "reason": r["reason"]}
                            for r in rejected
                        ]
                        or [exc.message]
                    },
                    "rejected": rejected,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(result.as_dict(), status=status.HTTP_201_CREATED)


class AlertFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="vehicle__org_unit__path")
    since = django_filters.DateFilter(field_name="started_at__date", lookup_expr="gte", label=_("开始日期起"))
    until = django_filters.DateFilter(field_name="started_at__date", lookup_expr="lte", label=_("开始日期止"))
    kind = django_filters.ChoiceFilter(choices=AlertKind.choices)
    status = django_filters.ChoiceFilter(choices=Alert.Status.choices)

    class Meta:
        model = Alert
        fields = ["kind", "status", "vehicle"]


class AlertViewSet(ScopedReadOnlyModelViewSet):
    """监控告警（车辆所属单位范围内）；处理：POST alerts/<id>/acknowledge/ {"comment": "..."}。"""

    queryset = Alert.objects.select_related("vehicle", "vehicle__org_unit", "acknowledged_by")
    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    search_fields = ["vehicle__plate", "detail"]
    ordering_fields = ["started_at", "ended_at", "max_speed"]
    ordering = ["-started_at", "-pk"]
    scope_roles = selectors.MONITOR_READERS
    unit_field = selectors.VEHICLE_UNIT

    @extend_schema(request=AcknowledgeSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        data = AcknowledgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alert = services.acknowledge(
            actor=request.user, alert=self.get_object(), comment=data.validated_data["comment"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=alert.pk)).data)


class TerminalViewSet(ScopedReadOnlyModelViewSet):
    """车载终端（令牌只在登记和更换时显示一次，见页面）。"""

    queryset = Terminal.objects.select_related("vehicle", "vehicle__org_unit")
    serializer_class = TerminalSerializer
    filterset_fields = ["is_active", "vehicle"]
    search_fields = ["serial", "vehicle__plate"]
    ordering = ["serial"]
    scope_roles = selectors.MONITOR_READERS
    unit_field = selectors.VEHICLE_UNIT


class GeofenceViewSet(ScopedReadOnlyModelViewSet):
    """电子围栏（顶点为 [经度, 纬度]）。"""

    queryset = Geofence.objects.select_related("org_unit")
    serializer_class = GeofenceSerializer
    filterset_fields = ["is_active", "org_unit"]
    ordering = ["org_unit__path", "name"]
    scope_roles = selectors.MONITOR_READERS


def _track_response(vehicle, start, end, **extra):
    points = list(selectors.track(vehicle.pk, start, end))
    return Response(
        {
            "vehicle": vehicle.pk,
            "plate": vehicle.plate,
            "start": start,
            "end": end,
            **extra,
            "count": len(points),
            "points": PointSerializer(points, many=True).data,
        }
    )


class DispatchTrackView(APIView):
    """一次派车的轨迹回放：出车到还车之间的定位点（尚未还车则到当前）。"""

    @extend_schema(responses=None)
    def get(self, request, pk):
        dispatch = get_object_or_404(selectors.dispatches_for(request.user), pk=pk)
        if dispatch.departed_at is None:
            raise DRFValidationError({"dispatch": [_("该派车尚未出车，没有轨迹。")]})
        end = dispatch.returned_at or timezone.now()
        return _track_response(dispatch.vehicle, dispatch.departed_at, end, dispatch=dispatch.pk)


def _moment(raw: str, field: str, *, end: bool = False):
    raw = (raw or "").strip()
    if not raw:
        raise DRFValidationError({field: [_("请填写时间（ISO 8601，如 2026-03-02T08:00:00+08:00，或日期）。")]})
    try:  # parse_* raise ValueError on a well-formed impossible moment such as 2026-02-30
        moment = parse_datetime(raw)
        day = parse_date(raw) if moment is None else None
    except ValueError:
        moment = day = None
    if moment is None:
        if day is None:
            raise DRFValidationError({field: [_("时间格式不正确（ISO 8601 或 YYYY-MM-DD）。")]})
        moment = timezone.datetime.combine(day, timezone.datetime.max.time() if end else timezone.datetime.min.time())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class VehicleTrackView(APIView):
    """某车某时段的轨迹：?start=…&end=…（最长7天）。"""

    @extend_schema(
        parameters=[OpenApiParameter("start", str, required=True), OpenApiParameter("end", str, required=True)],
        responses=None,
    )
    def get(self, request, pk):
        vehicle = get_object_or_404(selectors.vehicles_for(request.user), pk=pk)
        start = _moment(request.query_params.get("start"), "start")
        end = _moment(request.query_params.get("end"), "end", end=True)
        if end < start:
            raise DRFValidationError({"end": [_("结束时间应晚于开始时间。")]})
        if end - start > MAX_TRACK_SPAN:
            raise DRFValidationError({"end": [_("一次最多查询7天的轨迹。")]})
        return _track_response(vehicle, start, end)
