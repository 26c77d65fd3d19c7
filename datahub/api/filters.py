import django_filters

from ..models import OrgUnit, User
from ..rules import PostLevel, Rank


def _subtree(queryset, field: str, unit: OrgUnit | None):
    if unit is None:
        return queryset
    return queryset.filter(**{f"{field}__startswith": unit.path})


class OrgUnitFilter(django_filters.FilterSet):
    within = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method="filter_within", label="某机构及其下级"
    )

    class Meta:
        model = OrgUnit
        fields = ["level", "kind", "region_code", "is_active", "depth", "within"]

    def filter_within(self, queryset, name, value):
        return _subtree(queryset, "path", value)


class UserFilter(django_filters.FilterSet):
    within = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method="filter_within", label="某机构及其下级"
    )
    post_level = django_filters.ChoiceFilter(choices=PostLevel.choices)
    rank = django_filters.ChoiceFilter(choices=Rank.choices)

    class Meta:
        model = User
        fields = ["org_unit", "post_level", "rank", "is_active", "is_main_post", "within"]

    def filter_within(self, queryset, name, value):
        return _subtree(queryset, "org_unit__path", value)
