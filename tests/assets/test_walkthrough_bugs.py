"""The card page as its people meet it (issue #19, bug 6): actions by the card's state, labels of the cards
asked for, an unknown action is a 404 like another unit's card."""

import pytest
from django.urls import reverse

from assets import rules
from assets.models import Asset, AssetStatus

from .factories import card

pytestmark = pytest.mark.django_db


def _offered(html: str, pk: int) -> set[str]:
    prefix = f"/assets/cards/{pk}/"
    return {chunk.split("/")[0] for chunk in html.split(f'href="{prefix}')[1:]}


def test_card_page_offers_only_the_actions_its_state_allows(login, admins, tree, cats):
    in_use = card(admins.a, tree.a, cats["A02010105"], name="在用电脑")
    client = login(admins.a)
    offered = _offered(client.get(reverse("assets:card-detail", args=[in_use.pk])).content.decode(), in_use.pk)
    assert {"issue", "transfer", "lend", "dispose", "repair-start"} <= offered
    assert not offered & {"return-lent", "repair-end", "return"}
    Asset.objects.filter(pk=in_use.pk).update(status=AssetStatus.LENT)
    offered = _offered(client.get(reverse("assets:card-detail", args=[in_use.pk])).content.decode(), in_use.pk)
    assert offered == {"return-lent"}
    Asset.objects.filter(pk=in_use.pk).update(status=AssetStatus.DISPOSED)
    assert _offered(client.get(reverse("assets:card-detail", args=[in_use.pk])).content.decode(), in_use.pk) == set()


def test_card_actions_rule_follows_the_services_guards():
    assert rules.card_actions(AssetStatus.DISPOSED, under_repair=False, has_custodian=False) == []
    assert rules.card_actions(AssetStatus.LENT, under_repair=False, has_custodian=True) == ["return-lent"]
    repairing = rules.card_actions(AssetStatus.IN_USE, under_repair=True, has_custodian=True)
    assert "repair-end" in repairing and not {"repair-start", "issue", "dispose", "lend"} & set(repairing)
    assert "return" not in rules.card_actions(AssetStatus.IDLE, under_repair=False, has_custodian=False)


def test_labels_with_comma_separated_ids_print_only_those_cards(login, admins, tree, cats):
    first, second, third = (card(admins.a, tree.a, cats["A02010105"], name=f"电脑{i}") for i in range(3))
    html = login(admins.a).get(reverse("assets:labels") + f"?ids={first.pk},{second.pk}").content.decode()
    assert first.asset_number in html and second.asset_number in html
    assert third.asset_number not in html


def test_unknown_action_is_404_on_own_and_other_units_card(login, admins, tree, cats):
    mine = card(admins.a, tree.a, cats["A02010105"], name="甲电脑")
    theirs = card(admins.b, tree.b, cats["A02010105"], name="乙电脑")
    client = login(admins.a)
    assert client.get(reverse("assets:card-action", args=[theirs.pk, "fly"])).status_code == 404
    assert client.get(reverse("assets:card-action", args=[mine.pk, "fly"])).status_code == 404
    assert client.get(reverse("assets:card-action", args=[theirs.pk, "status"])).status_code == 404
