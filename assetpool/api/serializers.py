from django.utils.translation import gettext_lazy
from rest_framework import serializers

from assets import selectors as asset_selectors
from datahub.api.fields import ScopedPrimaryKeyField

from ..forms import rooms_managed_by
from ..models import PoolListing, RequestWay, Reuse
from ..selectors import POOL_EDITORS
from ..services import LISTING_FIELDS


def _editable_assets(user):
    return asset_selectors.cards_of(user, roles=POOL_EDITORS)


class PoolListingSerializer(serializers.ModelSerializer):
    asset = ScopedPrimaryKeyField(_editable_assets)
    asset_number = serializers.CharField(source="asset.asset_number", read_only=True)
    asset_name = serializers.CharField(source="asset.name", read_only=True)
    category = serializers.IntegerField(source="asset.category_id", read_only=True)
    category_name = serializers.CharField(source="asset.category.name", read_only=True)
    original_value = serializers.DecimalField(
        source="asset.original_value", max_digits=14, decimal_places=2, read_only=True
    )
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    store_room = ScopedPrimaryKeyField(rooms_managed_by, required=False, allow_null=True)
    store_label = serializers.CharField(read_only=True)

    class Meta:
        model = PoolListing
        fields = [
            "id",
            *LISTING_FIELDS,
            "asset",
            "asset_number",
            "asset_name",
            "category",
            "category_name",
            "original_value",
            "org_unit",
            "org_unit_name",
            "store_label",
            "status",
            "published_at",
        ]
        read_only_fields = ["org_unit", "status", "published_at"]


class ListingUpdateSerializer(PoolListingSerializer):
    asset = serializers.PrimaryKeyRelatedField(read_only=True)


class RequestItemSerializer(serializers.Serializer):
    way = serializers.ChoiceField(
        choices=RequestWay.choices, error_messages={"invalid_choice": gettext_lazy("申领方式只能是调拨或借用。")}
    )
    return_date = serializers.DateField(required=False, allow_null=True)
    purpose = serializers.CharField(max_length=500)


class ReuseSerializer(serializers.ModelSerializer):
    asset_number = serializers.CharField(source="listing.asset.asset_number", read_only=True)
    asset_name = serializers.CharField(source="listing.asset.name", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    from_unit_name = serializers.CharField(source="from_unit.name", read_only=True)

    class Meta:
        model = Reuse
        fields = [
            "id",
            "listing",
            "ticket",
            "way",
            "asset_number",
            "asset_name",
            "from_unit",
            "from_unit_name",
            "org_unit",
            "org_unit_name",
            "original_value",
            "done_at",
            "due_date",
            "returned_at",
        ]
        read_only_fields = fields


class IdleAssetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    asset_number = serializers.CharField()
    name = serializers.CharField()
    category_name = serializers.CharField(source="category.name")
    org_unit_name = serializers.CharField(source="org_unit.name")
    original_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    idle_at = serializers.DateTimeField(allow_null=True)
    booked_on = serializers.DateField()
