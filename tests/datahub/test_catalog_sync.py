"""Every domain publishes its datasets from its declaration; a declared field added or removed bumps the version."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from datahub.catalog import declarations, services
from datahub.catalog.declarations import DatasetDeclaration, Item
from datahub.catalog.rules import ShareType
from datahub.models import Dataset, DatasetVersion, OrgUnit
from datahub.tasks import sync_catalog
from tests.factories import region


@pytest.fixture
def root(db):
    return region(code="ROOT", name="省本级")


@pytest.mark.parametrize(
    ("key", "code", "item", "data_type"),
    [
        ("vehicles.ledger", "3-01-001.0001", "plate", "字符型"),
        ("officespace.buildings", "3-02-001.0001", "address", "字符型"),
        ("officespace.rooms", "3-02-001.0002", "use_area", "数值型"),
        ("energy.monthly", "2-03-001.0001", "kgce", "数值型"),
        ("energy.indicators", "2-03-001.0002", "energy_per_person", "数值型"),
        ("assets.cards", "3-04-001.0001", "acquired_on", "日期型"),
        ("datahub.units", "1-01-001.0001", "staffing_quota", "数值型"),
        ("datahub.people", "1-01-002.0001", "rank", "字符型"),
        ("vehicles.trips", "3-01-002.0001", "departed_at", "日期时间型"),
        ("telematics.alerts", "3-01-003.0001", "started_at", "日期时间型"),
        ("officespace.occupancy", "3-02-001.0003", "start_date", "日期型"),
        ("officespace.over_standard", "3-02-002.0001", "excess", "数值型"),
    ],
)
def test_each_domain_publishes_its_dataset_from_its_declaration(root, key, code, item, data_type):
    services.catalog_sync()
    dataset = Dataset.objects.get(declaration_key=key)
    assert (dataset.code, dataset.status, dataset.version, dataset.provider) == (code, "published", 1, root)
    assert dataset.items.get(name=item).data_type == data_type
    assert dataset.versions.get().note == "首次发布"


def test_asset_custodian_is_declared_personal_data(root):
    services.catalog_sync()
    cards = Dataset.objects.get(declaration_key="assets.cards")
    assert list(cards.items.filter(personal=True).values_list("name", flat=True)) == ["custodian_name"]


def test_people_are_published_without_identity_numbers_or_contacts_and_names_are_personal(root):
    services.catalog_sync()
    people = Dataset.objects.get(declaration_key="datahub.people")
    names = set(people.items.values_list("name", flat=True))
    assert not names & {"id_number", "phone", "email"}
    assert list(people.items.filter(personal=True).values_list("name", flat=True)) == ["name"]
    occupancy = Dataset.objects.get(declaration_key="officespace.occupancy")
    assert list(occupancy.items.filter(personal=True).values_list("name", flat=True)) == ["person_name"]


def test_nothing_is_published_before_the_directory_has_a_root(db):
    assert services.catalog_sync() == []
    assert not Dataset.objects.exists()


def _units(*items):
    return DatasetDeclaration(
        key="tests.units",
        code="3-09-001.0001",
        name="测试机构",
        summary="测试",
        model=OrgUnit,
        items=items,
        unit_field="",
    )


@pytest.fixture
def temporary():
    yield declarations.declare
    declarations.undeclare("tests.units")


def test_a_declared_field_added_or_removed_bumps_the_version_and_says_what_changed(root, temporary):
    temporary(_units(Item("code", "机构编码"), Item("name", "名称")))
    services.catalog_sync()
    services.catalog_sync()  # nothing changed: still version 1
    dataset = Dataset.objects.get(declaration_key="tests.units")
    assert dataset.version == 1

    temporary(_units(Item("code", "机构编码"), Item("staffing_quota", "编制数")))
    services.catalog_sync()
    dataset.refresh_from_db()
    assert dataset.version == 2
    assert list(dataset.items.values_list("name", flat=True)) == ["code", "staffing_quota"]
    version = DatasetVersion.objects.get(dataset=dataset, version=2)
    assert version.note == "新增信息项：编制数；删除信息项：名称"
    # The note reads in the reader's language; the items' labels are data (issue #19).
    with translation.override("en"):
        assert version.shown_note == "Items added: 编制数; Items removed: 名称"


def test_a_declared_field_whose_type_changes_bumps_the_version(root, temporary):
    temporary(_units(Item("code", "机构编码")))
    services.catalog_sync()
    temporary(_units(Item("staffing_quota", "机构编码", name="code")))  # same name, now a number
    services.catalog_sync()
    dataset = Dataset.objects.get(declaration_key="tests.units")
    assert dataset.version == 2
    assert dataset.items.get(name="code").data_type == "数值型"


def test_a_declaration_naming_a_field_the_model_lacks_fails_at_once(root, temporary):
    temporary(_units(Item("no_such_field", "无")))
    with pytest.raises(ValueError, match="no_such_field"):
        services.catalog_sync()


def test_a_declaration_with_a_bad_code_is_refused():
    bad = DatasetDeclaration(key="tests.bad", code="9-1.1", name="x", summary="x", model=OrgUnit, items=())
    with pytest.raises(ValueError, match="代码格式"):
        declarations.declare(bad)


def test_database_refuses_not_shared_without_legal_basis(root):
    with pytest.raises(IntegrityError), transaction.atomic():
        Dataset.objects.create(
            code="3-09-009.0001",
            name="x",
            provider=root,
            summary="x",
            share_type=ShareType.NOT_SHARED,
            update_cycle="daily",
        )


def test_the_hourly_beat_task_resyncs_a_changed_declaration_eagerly(root, temporary):
    """Celery eager (the task body runs in the test): the catalog follows a declaration changed at runtime."""
    temporary(_units(Item("code", "机构编码")))
    assert "3-09-001.0001" in sync_catalog()
    assert sync_catalog() == []  # nothing changed
    temporary(_units(Item("code", "机构编码"), Item("name", "名称")))
    assert sync_catalog() == ["3-09-001.0001"]
    assert Dataset.objects.get(declaration_key="tests.units").version == 2


def test_every_dataset_the_issue_lists_is_declared():
    """Issue #13: the org directory (units; people), vehicles ledger, trips, office buildings/rooms and occupancy,
    asset cards, energy monthly figures and indicators, over-standard results, telematics alerts."""
    listed = {
        "datahub.units",
        "datahub.people",
        "vehicles.ledger",
        "vehicles.trips",
        "officespace.buildings",
        "officespace.rooms",
        "officespace.occupancy",
        "assets.cards",
        "energy.monthly",
        "energy.indicators",
        "officespace.over_standard",
        "telematics.alerts",
    }
    assert listed <= {d.key for d in declarations.all_declared()}
