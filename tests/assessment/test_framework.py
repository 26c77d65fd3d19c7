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
