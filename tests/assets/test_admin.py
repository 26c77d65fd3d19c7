"""Admin pages for every assets model open for a superuser, and are scoped for an asset administrator."""

import pytest
from django.apps import apps
from django.urls import reverse

from datahub.models import User

from .factories import card

pytestmark = pytest.mark.django_db


def test_every_assets_model_has_an_admin_page(client, admins, tree, cats):
    card(admins.a, tree.a, cats["A02010105"])
    client.force_login(User.objects.get(is_superuser=True))  # the one the grant fixtures made
    for model in apps.get_app_config("assets").get_models():
        if model.__name__.startswith("Historical"):
            continue
        url = reverse(f"admin:assets_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, model.__name__


def test_asset_admin_of_b_does_not_see_a_cards_in_the_admin(client, admins, tree, cats):
    a_card = card(admins.a, tree.a, cats["A02010105"])
    client.force_login(admins.b)
    html = client.get(reverse("admin:assets_asset_changelist")).content.decode()
    assert a_card.asset_number not in html
    assert client.get(reverse("admin:assets_asset_change", args=[a_card.pk])).status_code in (302, 404)
