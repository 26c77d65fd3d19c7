"""Wrong passwords are counted (django-axes); after five the account is locked even for the right one."""

from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD


def test_five_wrong_passwords_lock_the_account(client, people):
    for _ in range(5):
        client.post(reverse("login"), {"username": "clerk_a1", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "clerk_a1", "password": PASSWORD})
    assert response.status_code == 429
    assert "账号已被暂时锁定" in response.content.decode()


def test_four_wrong_passwords_then_the_right_one_signs_in(client, people):
    for _ in range(4):
        client.post(reverse("login"), {"username": "clerk_a1", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "clerk_a1", "password": PASSWORD})
    assert response.status_code == 302


def test_the_api_token_endpoint_is_locked_too(api, people):
    client = api()
    for _ in range(5):
        client.post(reverse("api-token"), {"username": "clerk_a1", "password": "nope"}, format="json")
    response = client.post(reverse("api-token"), {"username": "clerk_a1", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]
    assert "token" not in response.json()


@override_settings(SESSION_COOKIE_AGE=1800)
def test_sessions_expire_after_inactivity(client, people):
    client.force_login(people.clerk_a1)
    client.get(reverse("home"))
    session = client.session
    assert 1790 <= session.get_expiry_age() <= 1800
