"""Asset pages: scoping (A's asset administrator never sees or changes B's cards), filters,
export, labels, forms showing the service's Chinese refusal, and fixed query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assets.models import Asset, AssetStatus, DepreciationEntry, Movement

from .factories import card

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(admins, tree, cats):
    return (
        card(admins.a, tree.a, cats["A02010105"], name="甲电脑"),
        card(admins.b, tree.b, cats["A02010105"], name="乙电脑"),
    )


def test_asset_admin_of_a_sees_only_a_cards(login, admins, two_units):
    html = login(admins.a).get(reverse("assets:card-list")).content.decode()
    assert "甲电脑" in html and "乙电脑" not in html


def test_asset_admin_of_a_gets_404_on_b_card_and_its_actions(login, admins, two_units):
    _, b_card = two_units
    client = login(admins.a)
    assert client.get(reverse("assets:card-detail", args=[b_card.pk])).status_code == 404
    response = client.post(reverse("assets:card-action", args=[b_card.pk, "status"]), {"status": "idle", "reason": "x"})
    assert response.status_code == 404
    assert Asset.objects.get(pk=b_card.pk).status == AssetStatus.IN_USE


def test_civil_servant_cannot_open_the_ledger(login, people, two_units):
    assert login(people.clerk_a1).get(reverse("assets:card-list")).status_code == 403


def test_list_filters_by_status_and_category(login, admins, tree, cats, two_units):
    card(admins.a, tree.a, cats["A05010301"], name="甲办公椅", original_value=Decimal("1200"))
    client = login(admins.a)
    html = client.get(reverse("assets:card-list"), {"category": "A0501"}).content.decode()
    assert "甲办公椅" in html and "甲电脑" not in html
    html = client.get(reverse("assets:card-list"), {"status": "idle"}).content.decode()
    assert "甲电脑" not in html


def test_export_has_only_the_visible_filtered_cards(login, admins, two_units):
    response = login(admins.a).get(reverse("assets:card-list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(__import__("io").BytesIO(b"".join(response.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["甲电脑"]


def test_label_sheet_encodes_the_asset_number(login, admins, two_units):
    a_card, b_card = two_units
    html = login(admins.a).get(reverse("assets:labels"), {"ids": [a_card.pk, b_card.pk]}).content.decode()
    assert a_card.asset_number in html and "<svg" in html
    assert b_card.asset_number not in html


def test_book_a_card_through_the_form(login, admins, tree, cats):
    data = {
        "org_unit": tree.a.pk,
        "category": cats["A02010105"].pk,
        "name": "新电脑",
        "quantity": 1,
        "unit_of_measure": "台",
        "original_value": "4800",
        "acquired_on": "2026-03-01",
        "acquisition_way": "purchase",
        "funding_source": "fiscal",
    }
    response = login(admins.a).post(reverse("assets:card-create"), data)
    asset = Asset.objects.get(name="新电脑")
    assert response.status_code == 302 and response.url == reverse("assets:card-detail", args=[asset.pk])


def test_consumable_refused_on_the_form_and_nothing_written(login, admins, tree, cats):
    data = {
        "org_unit": tree.a.pk,
        "category": cats["A05010301"].pk,
        "name": "小椅子",
        "quantity": 1,
        "unit_of_measure": "把",
        "original_value": "300",
        "acquired_on": "2026-03-01",
        "acquisition_way": "purchase",
        "funding_source": "fiscal",
    }
    response = login(admins.a).post(reverse("assets:card-create"), data)
    assert response.status_code == 200
    assert "低值易耗品" in response.content.decode()
    assert not Asset.objects.filter(name="小椅子").exists()


def test_lend_form_shows_the_administrative_unit_refusal(login, admins, two_units):
    a_card, _ = two_units
    response = login(admins.a).post(
        reverse("assets:card-action", args=[a_card.pk, "lend"]),
        {"party": "某公司", "until": (timezone.localdate() + timedelta(days=9)).isoformat()},
    )
    assert response.status_code == 200
    assert "行政单位" in response.content.decode()
    assert Asset.objects.get(pk=a_card.pk).status == AssetStatus.IN_USE


def test_status_action_through_the_page_writes_a_movement(login, admins, two_units):
    a_card, _ = two_units
    response = login(admins.a).post(
        reverse("assets:card-action", args=[a_card.pk, "status"]), {"status": "idle", "reason": "人员调离"}
    )
    assert response.status_code == 302
    assert Movement.objects.filter(asset=a_card, kind="status").count() == 1


def test_detail_shows_movements_and_history(login, admins, two_units):
    a_card, _ = two_units
    html = login(admins.a).get(reverse("assets:card-detail", args=[a_card.pk])).content.decode()
    assert "入账" in html and "变更记录" in html and a_card.asset_number in html


def test_card_list_query_count_does_not_grow_with_rows(login, admins, tree, cats, django_assert_max_num_queries):
    for i in range(30):
        card(admins.a, tree.a, cats["A02010105"], name=f"电脑{i}")
    client = login(admins.a)
    client.get(reverse("assets:card-list"))  # warm the session
    # session, user, grants (page and top bar), notifications, the unit and category filter
    # lists, count, one page of rows joined in one query, the session save: 14, whatever the rows.
    with django_assert_max_num_queries(14) as ctx:
        client.get(reverse("assets:card-list"))
    first = len(ctx.captured_queries)
    for i in range(30):
        card(admins.a, tree.a1, cats["A02010105"], name=f"更多{i}")
    with django_assert_max_num_queries(first):
        body = client.get(reverse("assets:card-list")).content.decode()
    # A department's cards name it with its agency (甲厅 › 甲厅办公室), read in the page's one query.
    assert f"<td>{tree.a.name} › {tree.a1.name}</td>" in body


def test_depreciation_page_and_manual_post_for_the_bureau(login, admins, tree, cats):
    card(admins.a, tree.a, cats["A02010105"], original_value=Decimal("7200"))
    client = login(admins.bureau)
    assert client.get(reverse("assets:depreciation")).status_code == 200
    page = client.get(reverse("assets:depreciation")).content.decode()
    assert "取得当月起提，处置当月不提" in page
    response = client.post(reverse("assets:depreciation-post"), {"month": "2026-02"})
    assert response.status_code == 302
    # Booked in January 2026: January and February posted, 100.00 each.
    assert Asset.objects.get(name="台式计算机").accumulated_depreciation == Decimal("200.00")
    # The unit's asset administrator may not post.
    assert login(admins.a).post(reverse("assets:depreciation-post"), {"month": "2026-03"}).status_code == 403


def test_home_and_categories_pages(login, admins, cats):
    client = login(admins.a)
    assert client.get(reverse("assets:home")).status_code == 200
    assert "A02010105" in client.get(reverse("assets:categories")).content.decode()


def test_card_list_and_labels_ignore_garbage_ids(login, admins, two_units):
    """ "²".isdigit() is True but int("²") fails: such a unit or id is ignored, not a 500."""
    client = login(admins.a)
    assert client.get(reverse("assets:card-list"), {"unit": "²", "from": "2026-13-45"}).status_code == 200
    html = client.get(reverse("assets:labels"), {"ids": ["²", str(two_units[0].pk)]}).content.decode()
    assert two_units[0].asset_number in html


def test_manual_depreciation_may_not_post_another_units_cards(login, admins, tree, cats):
    # The run is platform-wide: 甲厅's bureau administrator may not start it while 乙厅 has a card due.
    theirs = card(admins.b, tree.b, cats["A02010105"], name="乙厅的电脑", original_value=Decimal("7200"))
    response = login(admins.bureau).post(reverse("assets:depreciation-post"), {"month": "2026-02"})
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.accumulated_depreciation == Decimal("0")
    assert not DepreciationEntry.objects.filter(asset=theirs).exists()
