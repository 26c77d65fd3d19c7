"""The default TOE framework seeded by the data migration, and the shipped adjacency table."""

from decimal import Decimal

from assessment import rules, services
from assessment.models import Framework, Indicator


def test_default_framework_has_the_six_conditions_of_the_study(db):
    fw = Framework.objects.get(code="TOE", version=1)
    rows = list(fw.indicators.order_by("order").values_list("name", "dimension"))
    assert rows == [
        ("数字政府发展水平", "T"),
        ("数字平台构建", "T"),
        ("注意力分配", "O"),
        ("财政资源禀赋", "O"),
        ("纵向垂直压力", "E"),
        ("府际竞争压力", "E"),
        ("机关事务数字化转型质量", "Y"),
    ]


def test_default_weights_sum_to_one(db):
    fw = Framework.objects.get(code="TOE", version=1)
    assert sum(i.weight for i in fw.indicators.all()) == Decimal("1")


def test_migration_and_rules_agree(db):
    fw = Framework.objects.get(code="TOE", version=1)
    stored = {
        i.code: (i.name, i.dimension, str(i.weight.normalize()), i.measurement, i.source) for i in fw.indicators.all()
    }
    shipped = {r[0]: (r[1], r[2], str(Decimal(r[6]).normalize()), r[7], r[8]) for r in rules.DEFAULT_FRAMEWORK}
    assert stored == shipped


def test_seeding_again_changes_nothing(db):
    services.ensure_default_framework()
    assert Framework.objects.filter(code="TOE").count() == 1
    assert Indicator.objects.filter(framework__code="TOE").count() == len(rules.DEFAULT_FRAMEWORK)


def test_adjacency_is_symmetric_and_covers_31_provinces():
    adj = rules.province_adjacency()
    assert len(adj) == 31
    for province, neighbours in adj.items():
        assert province not in neighbours
        for other in neighbours:
            assert province in adj[other], (province, other)
    assert set(adj["33"]) == {"31", "32", "34", "35", "36"}  # 浙江


def test_a_new_version_copies_every_indicator(bureau):
    fw = Framework.objects.get(code="TOE", version=1)
    copy = services.framework_new_version(actor=bureau, framework=fw)
    assert copy.version == 2
    assert list(copy.indicators.values_list("code", "weight")) == list(fw.indicators.values_list("code", "weight"))


def test_only_a_bureau_administrator_makes_a_new_version(people):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.framework_new_version(actor=people.clerk_a1, framework=Framework.objects.get(code="TOE", version=1))


def test_a_framework_in_use_is_frozen_in_the_admin(client, round_, bureau):
    from django.urls import reverse

    client.force_login(bureau)
    response = client.get(reverse("admin:assessment_framework_change", args=[round_.round.framework_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "技术指标" in html and 'name="indicators-0-weight"' not in html
    fresh = Framework.objects.get(code="TOE", version=1)  # no round uses it: editable
    html = client.get(reverse("admin:assessment_framework_change", args=[fresh.pk])).content.decode()
    assert 'name="indicators-0-weight"' in html
