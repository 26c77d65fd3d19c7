"""QR labels link to the platform: a label's code is the URL of ``assets:card-by-number``, which opens the
card for whoever may see it (another unit's card is a 404, as its card page is), so any phone camera
works as well as the stocktake scanning page."""

import pytest
from django.urls import reverse

from assets import labels

from .factories import card

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(admins, tree, cats):
    return (
        card(admins.a, tree.a, cats["A02010105"], name="甲电脑"),
        card(admins.b, tree.b, cats["A02010105"], name="乙电脑"),
    )


def test_label_sheet_encodes_the_url_of_each_card_not_a_bare_number(login, admins, two_units):
    a_card, _ = two_units
    html = login(admins.a).get(reverse("assets:labels"), {"ids": [a_card.pk]}).content.decode()
    url = f"http://testserver/assets/a/{a_card.asset_number}/"
    assert labels.qr_svg(url, 2) in html
    assert labels.qr_svg(a_card.asset_number, 2) not in html


def test_card_page_shows_the_same_qr_code_as_the_label(login, admins, two_units):
    a_card, _ = two_units
    html = login(admins.a).get(reverse("assets:card-detail", args=[a_card.pk])).content.decode()
    assert labels.qr_svg(f"http://testserver/assets/a/{a_card.asset_number}/", 3) in html


def test_label_url_opens_the_card_of_ones_own_unit(login, admins, two_units):
    a_card, _ = two_units
    response = login(admins.a).get(reverse("assets:card-by-number", args=[a_card.asset_number]))
    assert response.status_code == 302
    assert response["Location"] == reverse("assets:card-detail", args=[a_card.pk])


def test_label_url_of_another_units_card_is_404(login, admins, two_units):
    _, b_card = two_units
    assert login(admins.a).get(reverse("assets:card-by-number", args=[b_card.asset_number])).status_code == 404
    assert login(admins.a).get(reverse("assets:card-by-number", args=["ZC-NO-SUCH"])).status_code == 404


def test_label_url_asks_a_stranger_to_sign_in_first(client, two_units):
    a_card, _ = two_units
    url = reverse("assets:card-by-number", args=[a_card.asset_number])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
