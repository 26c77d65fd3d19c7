"""The card list without filters read by one statement compiled once per scope shape (assets.exporters.card_page,
#17): the same rows, total and pages as the queryset, for one grant, grants in two subtrees, a grant inside
another and a superuser — and still only the cards of the reader's units."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets import exporters
from datahub.roles import Role
from datahub.selectors import with_unit_parent_name
from tests.factories import UserFactory, grant, superuser

from .factories import card

pytestmark = pytest.mark.django_db


@pytest.fixture
def cards(admins, tree, cats):
    made = []
    for unit, name in ((tree.a, "甲"), (tree.a1, "甲处"), (tree.b, "乙"), (tree.b1, "乙处")):
        actor = admins.a if unit in (tree.a, tree.a1) else admins.b
        for i in range(4):
            made.append(card(actor, unit, cats["A02010105"], name=f'{name}<b>"&{i}'))
    return made


def _both(user, page, size=3):
    """The page as the statement reads it and as the list's queryset does (rows and the paginator's figures)."""
    statement = exporters.card_page(user, QueryDict(), size=size)
    assert statement is not None
    read = Paginator(statement, size).get_page(page)
    queryset = with_unit_parent_name(exporters.cards_queryset(user, QueryDict()))
    expected = Paginator(queryset, size).get_page(page)
    return (
        (exporters.card_rows(read.object_list), read.number, read.paginator.count),
        (exporters.card_rows(expected.object_list), expected.number, expected.paginator.count),
    )


@pytest.mark.parametrize("page", ["1", "2", "3", "6", "7", "0", "-1", "abc", "", "99999999999999999999999"])
def test_a_unit_readers_card_page_is_the_querysets_and_holds_only_their_units(admins, cards, page):
    read, expected = _both(admins.a, page)
    assert read == expected
    assert all(row["name"].startswith("甲") for row in read[0]) and read[2] == 8


def test_grants_in_two_subtrees_and_one_inside_another_read_both_subtrees_once(tree, cards):
    reader = grant(UserFactory(username="two_trees", org_unit=tree.a), Role.ASSET_ADMIN, tree.a)
    grant(reader, Role.ASSET_ADMIN, tree.b1)
    grant(reader, Role.ASSET_ADMIN, tree.a1)  # inside 甲厅's grant: adds nothing
    for page in ("1", "2", "4", "5"):
        read, expected = _both(reader, page)
        assert read == expected
    names = {row["name"][:2] for row in _both(reader, "1", size=50)[0][0]}
    assert names == {"甲<", "甲处", "乙处"} and _both(reader, "1")[0][2] == 12


def test_a_superuser_reads_every_card_through_the_statement(cards):
    read, expected = _both(superuser(), "2")
    assert read == expected and read[2] == 16


def test_no_grant_or_a_filter_reads_through_the_queryset(people, admins, cards):
    assert exporters.card_page(people.clerk_a1, QueryDict(), size=50) is None
    assert exporters.card_page(admins.a, QueryDict("status=idle"), size=50) is None
    # Empty filters are no filter (the form submitted as it is).
    assert exporters.card_page(admins.a, QueryDict("q=&status=&category=&unit=&from=&to="), size=50) is not None


def test_the_card_list_counts_and_reads_its_rows_in_one_statement(login, admins, cards):
    client = login(admins.a)
    client.get(reverse("assets:card-list"))
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("assets:card-list"), {"page": "1"}).content.decode()
    on_cards = [q["sql"] for q in ctx.captured_queries if '"assets_asset"' in q["sql"]]
    assert len(on_cards) == 1 and "COUNT" in on_cards[0]
    assert "乙" not in html and "甲处&lt;b&gt;&quot;&amp;" in html
