from django.utils.translation import gettext_lazy
from rest_framework import serializers

from ..models import Alert, Geofence, Terminal


class AlertSerializer(serializers.ModelSerializer):
    plate = serializers.CharField(source="vehicle.plate", read_only=True)
    org_unit = serializers.IntegerField(source="vehicle.org_unit_id", read_only=True)
    org_unit_name = serializers.CharField(source="vehicle.org_unit.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    acknowledged_by_name = serializers.CharField(source="acknowledged_by.name", read_only=True, default=None)
    detail = serializers.CharField(source="shown_detail", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "vehicle",
            "plate",
            "org_unit",
            "org_unit_name",
            "kind",
            "kind_label",
            "started_at",
            "ended_at",
            "point_count",
            "max_speed",
            "lat",
            "lon",
            "detail",
            "status",
            "status_label",
            "created_at",
            "acknowledged_by",
            "acknowledged_by_name",
            "acknowledged_at",
            "comment",
        ]
        read_only_fields = fields


class AcknowledgeSerializer(serializers.Serializer):
    comment = serializers.CharField(
        max_length=500,
        error_messages={"blank": gettext_lazy("请填写处理意见。"), "required": gettext_lazy("请填写处理意见。")},
    )


class TerminalSerializer(serializers.ModelSerializer):
    plate = serializers.CharField(source="vehicle.plate", read_only=True)
    org_unit_name = serializers.CharField(source="vehicle.org_unit.name", read_only=True)

    class Meta:
        model = Terminal
        fields = [
            "id",
            "serial",
            "model_name",
            "vehicle",
            "plate",
            "org_unit_name",
            "token_prefix",
            "is_active",
            "created_at",
            "token_rotated_at",
            "last_seen_at",
            "last_position_at",
        ]
        read_only_fields = fields


class GeofenceSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = Geofence
        fields = ["id", "org_unit", "org_unit_name", "name", "polygon", "is_active", "updated_at"]
        read_only_fields = fields


class PointSerializer(serializers.Serializer):
    """One point of a track (read side)."""

    time = serializers.DateTimeField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    speed = serializers.FloatField()
    ignition = serializers.BooleanField()
