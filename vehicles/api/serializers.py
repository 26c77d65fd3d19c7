from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from datahub import scoping
from datahub.api.fields import ChoiceLabel, ScopedPrimaryKeyField, unit_field
from datahub.api.rows import RowShape
from datahub.models import User
from portal.models import Ticket

from .. import selectors
from ..models import CostRecord, Dispatch, Driver, Vehicle
from ..rules import TRIP_KIND
from ..services import CARD_FIELDS, DRIVER_FIELDS, FLEET_EDITORS, RECORD_FIELDS, VEHICLE_FIELDS

MONEY = {"error_messages": {"min_value": _("金额不能为负数。")}}


class VehicleSerializer(serializers.ModelSerializer):
    org_unit = unit_field(FLEET_EDITORS)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = ChoiceLabel(Vehicle._meta.get_field("status").choices, source="status")
    # The asset card's 原值 and 取得日期: given once when the vehicle is registered (or ``asset_number``
    # of the card that holds them); afterwards read from the card.
    purchase_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, **MONEY
    )
    purchase_date = serializers.DateField(required=False, allow_null=True)
    asset_number = serializers.CharField(source="asset.asset_number", required=False, allow_blank=True)

    class Meta:
        model = Vehicle
        fields = ["id", *VEHICLE_FIELDS, *CARD_FIELDS, "org_unit_name", "status", "status_label"]
        # Plate/VIN format and uniqueness, caps and quota are the service's (one error body, in Chinese).
        validators = []
        extra_kwargs = {
            "plate": {"validators": []},
            "vin": {"validators": []},
        }

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "asset" in values:  # ``asset_number`` arrives nested under its source
            values["asset_number"] = values.pop("asset")["asset_number"]
        return values


# The ledger's API rows as VehicleSerializer shapes them, from values() (datahub.api.rows): the purchase price and
# date are the card's (一数一源).
VEHICLE_ROWS = RowShape(
    VehicleSerializer, sources={"purchase_price": "asset__original_value", "purchase_date": "asset__acquired_on"}
)


class DriverSerializer(serializers.ModelSerializer):
    person = ScopedPrimaryKeyField(lambda user: scoping.scope(User.objects.all(), user, roles=FLEET_EDITORS))
    person_name = serializers.CharField(source="person.name", read_only=True)
    org_unit = unit_field(FLEET_EDITORS, required=False)

    class Meta:
        model = Driver
        fields = ["id", *DRIVER_FIELDS, "person_name"]
        validators = []
        extra_kwargs = {"person": {"validators": []}}


class CostRecordSerializer(serializers.ModelSerializer):
    vehicle = ScopedPrimaryKeyField(lambda user: selectors.vehicles_for(user, FLEET_EDITORS))
    plate = serializers.CharField(source="vehicle.plate", read_only=True)

    class Meta:
        model = CostRecord
        fields = ["id", *RECORD_FIELDS, "vehicle", "plate", "dispatch"]
        read_only_fields = ["dispatch"]
        extra_kwargs = {"amount": MONEY}


class DispatchSerializer(serializers.ModelSerializer):
    vehicle = ScopedPrimaryKeyField(lambda user: selectors.vehicles_for(user, FLEET_EDITORS))
    driver = ScopedPrimaryKeyField(
        lambda user: selectors.drivers_for(user, FLEET_EDITORS), required=False, allow_null=True
    )
    ticket = ScopedPrimaryKeyField(
        lambda user: scoping.scope(Ticket.objects.filter(kind=TRIP_KIND), user, roles=FLEET_EDITORS)
    )
    plate = serializers.CharField(source="vehicle.plate", read_only=True)
    driver_name = serializers.CharField(source="driver.person.name", read_only=True, default="")

    class Meta:
        model = Dispatch
        fields = [
            "id",
            "ticket",
            "vehicle",
            "plate",
            "driver",
            "driver_name",
            "starts_at",
            "ends_at",
            "status",
            "departed_at",
            "returned_at",
            "odometer_out",
            "odometer_in",
            "distance_km",
            "notes",
        ]
        read_only_fields = [
            "starts_at",
            "ends_at",
            "status",
            "departed_at",
            "returned_at",
            "odometer_out",
            "odometer_in",
            "distance_km",
            "notes",
        ]
