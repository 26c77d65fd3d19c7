from datahub.api.filters import ScopedFilterSet, SubtreeFilter

from ..models import Asset, Movement


class AssetFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="org_unit__path")

    class Meta:
        model = Asset
        fields = ["status", "category", "custodian", "location", "under_repair"]


class MovementFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="asset__org_unit__path")

    class Meta:
        model = Movement
        fields = ["asset", "kind"]
