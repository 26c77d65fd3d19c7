from rest_framework import serializers

from datahub.api.fields import unit_field

from .. import rules
from ..models import (
    Anomaly,
    Coefficient,
    CoefficientVersion,
    ConsumptionRecord,
    GridFactor,
    InstitutionProfile,
    Submission,
)
from ..services import ENERGY_EDITORS


class ProfileSerializer(serializers.ModelSerializer):
    org_unit = unit_field(ENERGY_EDITORS)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    heated_area = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)

    class Meta:
        model = InstitutionProfile
        fields = [
            "id",
            "org_unit",
            "org_unit_name",
            "year",
            "category",
            "climate_zone",
            "grid_region",
            "building_area",
            "area_from_officespace",
            "heated_area",
            "energy_users",
            "users_from_directory",
        ]
        # Derived from the directory and office space (corrections have their own page): never typed here.
        read_only_fields = [
            "category",
            "climate_zone",
            "grid_region",
            "building_area",
            "area_from_officespace",
            "energy_users",
            "users_from_directory",
        ]
        validators = []  # uniqueness is the service's


class RecordSerializer(serializers.ModelSerializer):
    org_unit = unit_field(ENERGY_EDITORS)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    quantity = serializers.DecimalField(max_digits=16, decimal_places=3)
    energy_type = serializers.CharField()
    unit = serializers.CharField()
    collection = serializers.CharField(required=False, default=rules.Collection.METERED_PAID)
    coefficient_version_name = serializers.CharField(source="coefficient_version.name", read_only=True)

    class Meta:
        model = ConsumptionRecord
        fields = [
            "id",
            "org_unit",
            "org_unit_name",
            "year",
            "month",
            "energy_type",
            "quantity",
            "unit",
            "cost",
            "collection",
            "source",
            "base_quantity",
            "kgce",
            "kgco2",
            "coefficient_version",
            "coefficient_version_name",
        ]
        read_only_fields = ["source", "base_quantity", "kgce", "kgco2", "coefficient_version"]
        validators = []  # the service checks type, unit, negatives, locks and derived fuel


class SubmissionSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    period_name = serializers.CharField(source="period.__str__", read_only=True)
    year = serializers.IntegerField(source="period.year", read_only=True)
    quarter = serializers.IntegerField(source="period.quarter", read_only=True)
    # The workflow is the portal's: the ticket's status, requester and submission time.
    status = serializers.CharField(source="ticket.status", read_only=True)
    submitted_by = serializers.IntegerField(source="ticket.requester_id", read_only=True)
    submitted_at = serializers.DateTimeField(source="ticket.submitted_at", read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "org_unit",
            "org_unit_name",
            "period_name",
            "year",
            "quarter",
            "version",
            "ticket",
            "status",
            "correction_reason",
            "submitted_by",
            "submitted_at",
            "warnings",
            "acknowledged",
            "superseded",
            "figures",
        ]
        read_only_fields = fields


class SubmitSerializer(serializers.Serializer):
    org_unit = unit_field(ENERGY_EDITORS)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=0, max_value=4)


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class CoefficientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Coefficient
        fields = ["energy_type", "kgce_per_unit", "kgco2_per_unit", "density"]


class GridFactorSerializer(serializers.ModelSerializer):
    class Meta:
        model = GridFactor
        fields = ["year", "region", "kgco2_per_kwh"]


class CoefficientVersionSerializer(serializers.ModelSerializer):
    coefficients = CoefficientSerializer(many=True, read_only=True)
    grid_factors = GridFactorSerializer(many=True, read_only=True)

    class Meta:
        model = CoefficientVersion
        fields = ["id", "name", "standard", "year", "is_current", "note", "coefficients", "grid_factors"]


class AnomalySerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = Anomaly
        fields = [
            "id",
            "org_unit",
            "org_unit_name",
            "year",
            "month",
            "energy_type",
            "value",
            "robust_z",
            "same_month_change_pct",
            "reason",
            "is_resolved",
        ]
