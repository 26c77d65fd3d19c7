from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from datahub import scoping
from datahub.api.fields import ScopedPrimaryKeyField, unit_field
from datahub.models import OrgUnit, User
from portal.selectors import visible_tickets

from .. import selectors
from ..models import Assessment, Building, Floor, Occupancy, Room
from ..services import BUILDING_FIELDS, ROOM_FIELDS, SPACE_EDITORS

AREA = {"error_messages": {"min_value": _("面积必须大于0。")}}


class BuildingSerializer(serializers.ModelSerializer):
    org_unit = unit_field(SPACE_EDITORS)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = Building
        fields = ["id", *BUILDING_FIELDS, "org_unit_name"]
        # Uniqueness and area rules are the service's (one error body, in Chinese).
        validators = []
        extra_kwargs = {"building_area": AREA, "use_area": AREA}


class FloorSerializer(serializers.ModelSerializer):
    building = ScopedPrimaryKeyField(lambda user: selectors.buildings_for(user))

    class Meta:
        model = Floor
        fields = ["id", "building", "number", "use_area"]
        extra_kwargs = {"use_area": AREA}


class RoomSerializer(serializers.ModelSerializer):
    org_unit = unit_field(SPACE_EDITORS, required=False)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    building = serializers.PrimaryKeyRelatedField(read_only=True)
    building_name = serializers.CharField(source="building.name", read_only=True)
    floor = ScopedPrimaryKeyField(lambda user: Floor.objects.filter(building__in=selectors.buildings_for(user)))
    floor_number = serializers.IntegerField(source="floor.number", read_only=True)
    occupants = serializers.IntegerField(read_only=True)

    class Meta:
        model = Room
        fields = [
            "id",
            *ROOM_FIELDS,
            "building",
            "building_name",
            "floor",
            "floor_number",
            "org_unit_name",
            "occupants",
        ]
        validators = []
        extra_kwargs = {"use_area": AREA}


class OccupancySerializer(serializers.ModelSerializer):
    person = ScopedPrimaryKeyField(lambda user: scoping.scope(User.objects.all(), user, roles=SPACE_EDITORS))
    person_name = serializers.CharField(source="person.name", read_only=True)
    room = ScopedPrimaryKeyField(lambda user: selectors.rooms_for(user))
    approval_ticket = ScopedPrimaryKeyField(
        lambda user: visible_tickets(user).filter(kind="space_adjustment"), required=False, allow_null=True
    )

    class Meta:
        model = Occupancy
        fields = [
            "id",
            "room",
            "person",
            "person_name",
            "is_main",
            "approval_ticket",
            "start_date",
            "end_date",
            "post_ended_on",
            "post_end_reason",
            "note",
        ]
        read_only_fields = ["end_date", "post_ended_on", "post_end_reason"]
        validators = []


class AssessmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    room_label = serializers.CharField(source="room.__str__", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "occupancy",
            "person",
            "person_name",
            "org_unit",
            "org_unit_name",
            "room",
            "room_label",
            "admin_class",
            "grade",
            "is_leader",
            "is_main",
            "occupants",
            "standard",
            "share",
            "excess",
            "is_over",
            "flag",
            "return_due",
            "checked_at",
            "status",
            "remedy",
            "reason",
        ]
        read_only_fields = [f for f in fields if f not in ("status", "remedy", "reason")]


class OrgUnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name"]
