from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from datahub import scoping
from datahub.api.fields import IntegerField, ScopedPrimaryKeyField, unit_field
from datahub.models import OrgUnit, User

from .. import rules, selectors
from ..models import Asset, Category, Movement
from ..selectors import ASSET_EDITORS

MONEY = {"max_digits": 14, "decimal_places": 2}


def _people(user):
    return scoping.scope(User.objects.filter(is_active=True), user, roles=ASSET_EDITORS)


def _rooms(user):
    return selectors.room_choices(user)


class CategorySerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)

    class Meta:
        model = Category
        fields = ["id", "code", "name", "parent", "parent_code", "min_life_months", "depreciates",
                  "special_equipment", "standard_version"]  # fmt: skip


class AssetSerializer(serializers.ModelSerializer):
    org_unit = unit_field(ASSET_EDITORS)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.all(),
        error_messages={"does_not_exist": _("没有代码为“{value}”的资产分类。")},
    )
    category_name = serializers.CharField(source="category.name", read_only=True)
    custodian = ScopedPrimaryKeyField(_people, required=False, allow_null=True)
    custodian_name = serializers.CharField(source="custodian.name", read_only=True, default=None)
    location = ScopedPrimaryKeyField(_rooms, required=False, allow_null=True)
    net_book_value = serializers.DecimalField(read_only=True, **MONEY)
    original_value = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)

    class Meta:
        model = Asset
        fields = ["id", "asset_number", "name", "category", "category_name", "spec", "quantity", "unit_of_measure",
                  "original_value", "accumulated_depreciation", "net_book_value", "acquired_on", "acquisition_way",
                  "funding_source", "org_unit", "org_unit_name", "custodian", "custodian_name", "location",
                  "status", "under_repair", "booked_on", "useful_life_months", "depreciated_months",
                  "lent_until", "disposed_on", "disposal_way", "note"]  # fmt: skip
        read_only_fields = ["asset_number", "accumulated_depreciation", "status", "under_repair",
                            "depreciated_months", "lent_until", "disposed_on", "disposal_way"]  # fmt: skip
        validators = []
        extra_kwargs = {"booked_on": {"required": False}, "useful_life_months": {"required": False}}


class MovementSerializer(serializers.ModelSerializer):
    asset_number = serializers.CharField(source="asset.asset_number", read_only=True)
    actor_name = serializers.CharField(source="actor.name", read_only=True)
    note = serializers.CharField(source="shown_note", read_only=True)

    class Meta:
        model = Movement
        fields = ["id", "asset", "asset_number", "kind", "actor", "actor_name", "at", "from_unit", "to_unit",
                  "from_person", "to_person", "from_room", "to_room", "from_status", "to_status", "party",
                  "amount", "note", "ticket"]  # fmt: skip


# --- Lifecycle action bodies ----------------------------------------------------------------------


class TransferSerializer(serializers.Serializer):
    to_unit = ScopedPrimaryKeyField(lambda user: OrgUnit.objects.filter(is_active=True))
    reason = serializers.CharField(max_length=500)


class LendSerializer(serializers.Serializer):
    to_unit = ScopedPrimaryKeyField(
        lambda user: OrgUnit.objects.filter(is_active=True), required=False, allow_null=True
    )
    party = serializers.CharField(max_length=100, required=False, allow_blank=True)
    until = serializers.DateField()
    income = serializers.DecimalField(required=False, allow_null=True, min_value=Decimal("0"), **MONEY)
    ticket = IntegerField(required=False, allow_null=True)


class ReturnLentSerializer(serializers.Serializer):
    income = serializers.DecimalField(required=False, allow_null=True, min_value=Decimal("0"), **MONEY)
    to_status = serializers.ChoiceField(choices=[(s.value, s.label) for s in rules.MOVABLE], default="in_use")


class DisposeSerializer(serializers.Serializer):
    way = serializers.ChoiceField(choices=rules.DisposalWay.choices)
    on = serializers.DateField(required=False, allow_null=True)
    income = serializers.DecimalField(required=False, allow_null=True, min_value=Decimal("0"), **MONEY)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in rules.SETTABLE_STATUSES])
    reason = serializers.CharField(max_length=500)


class IssueSerializer(serializers.Serializer):
    to_person = ScopedPrimaryKeyField(_people)
    room = ScopedPrimaryKeyField(_rooms, required=False, allow_null=True)


class RelocateSerializer(serializers.Serializer):
    room = ScopedPrimaryKeyField(_rooms, required=False, allow_null=True)
    custodian = ScopedPrimaryKeyField(_people, required=False, allow_null=True)
    reason = serializers.CharField(max_length=500)


class EmptySerializer(serializers.Serializer):
    pass
