import django_filters
from django.utils.translation import gettext_lazy as _

from datahub.api.filters import ScopedFilterSet, SubtreeFilter

from ..models import Assessment, Building, Occupancy, Room


class BuildingFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="org_unit__path")

    class Meta:
        model = Building
        fields = ["title_status", "structure", "is_active"]


class RoomFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="org_unit__path")
    vacant = django_filters.BooleanFilter(method="filter_vacant", label=_("空置办公室"))

    class Meta:
        model = Room
        fields = ["building", "floor", "category", "subtype", "is_active"]

    def filter_vacant(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(category="office", occupants=0) if value else qs.filter(occupants__gt=0)


class OccupancyFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="room__org_unit__path")
    current = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label=_("在用"))

    class Meta:
        model = Occupancy
        fields = ["room", "person", "is_main"]


class AssessmentFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="org_unit__path")

    class Meta:
        model = Assessment
        fields = ["is_over", "is_leader", "is_current", "status", "flag", "grade", "admin_class"]
