from django.utils.translation import gettext_lazy
from rest_framework import serializers

from datahub import scoping
from datahub.api.fields import ScopedPrimaryKeyField, unit_field
from datahub.models import User
from officespace.selectors import active_rooms, all_buildings

from ..models import Count, Stocktake
from ..selectors import STOCKTAKE_EDITORS


def _rooms(user):
    return scoping.scope(active_rooms(), user, roles=STOCKTAKE_EDITORS)


def _buildings(user):
    return scoping.scope(all_buildings(), user, roles=STOCKTAKE_EDITORS)


def _people(user):
    return scoping.scope(User.objects.filter(is_active=True), user, roles=STOCKTAKE_EDITORS)


class StocktakeSerializer(serializers.ModelSerializer):
    org_unit = unit_field(STOCKTAKE_EDITORS)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    building = ScopedPrimaryKeyField(_buildings, required=False, allow_null=True)
    room = ScopedPrimaryKeyField(_rooms, required=False, allow_null=True)
    book_total = serializers.IntegerField(read_only=True)
    counted_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Stocktake
        fields = [
            "id",
            "title",
            "org_unit",
            "org_unit_name",
            "scope_kind",
            "building",
            "room",
            "note",
            "status",
            "book_total",
            "counted_total",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = ["status", "opened_at", "closed_at"]


class ScanSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=100, error_messages={"blank": gettext_lazy("请扫描资产标签或输入资产编号。")}
    )
    observed_room = ScopedPrimaryKeyField(_rooms, required=False, allow_null=True)
    observed_custodian = ScopedPrimaryKeyField(_people, required=False, allow_null=True)
    surplus = serializers.BooleanField(required=False, default=False)
    surplus_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CountSerializer(serializers.ModelSerializer):
    outcome_hint = serializers.SerializerMethodField()

    class Meta:
        model = Count
        fields = [
            "id",
            "code",
            "line",
            "asset",
            "observed_room",
            "observed_custodian",
            "source",
            "surplus_name",
            "surplus_category",
            "surplus_value",
            "registered_asset",
            "counted_at",
            "outcome_hint",
        ]
        read_only_fields = fields

    def get_outcome_hint(self, obj) -> str:
        if obj.line_id:
            return "on_book"
        return "elsewhere" if obj.asset_id else "surplus"
