"""The single sign-on session is the platform's own: an anonymous person asked for a code signs in on the
platform's login page, with its lockout and idle timeout; signing out of the platform ends single sign-on."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD

from .relying_party import authorize_params, pkce, register


@pytest.fixture
def canteen(people, tree):
    return register(people.admin_a, tree.a)


def _ask_for_a_code(client, reg):
    _, challenge = pkce()
    return client.get("/o/authorize/", authorize_params(reg, challenge=challenge))


def _sso_login(client, username, password, next_url):
    return client.post(reverse("login"), {"username": username, "password": password, "next": next_url})


def test_an_anonymous_person_is_sent_to_the_platform_login_page(client, canteen):
    response = _ask_for_a_code(client, canteen)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "next=/o/authorize/" in response.url


def test_five_wrong_passwords_on_the_sso_login_lock_the_name(client, people, canteen):
    login_url = _ask_for_a_code(client, canteen).url
    next_url = client.get(login_url).context["next"]
    assert _sso_login(client, "clerk_a1", "wrong-password", next_url).status_code == 200  # asked again
    for _ in range(4):
        _sso_login(client, "clerk_a1", "wrong-password", next_url)
    response = _sso_login(client, "clerk_a1", PASSWORD, next_url)
    assert response.status_code == 429
    assert "登录已被暂时锁定" in response.content.decode()


def test_the_right_password_goes_on_to_the_system(client, people, canteen):
    login_url = _ask_for_a_code(client, canteen).url
    next_url = client.get(login_url).context["next"]
    response = _sso_login(client, "clerk_a1", PASSWORD, next_url)
    assert response.status_code == 302
    assert response.url.startswith("/o/authorize/")


@override_settings(SESSION_COOKIE_AGE=1800)
def test_the_sso_session_has_the_platform_idle_timeout(client, people, canteen):
    client.force_login(people.clerk_a1)
    _ask_for_a_code(client, canteen)
    assert 1790 <= client.session.get_expiry_age() <= 1800


def test_signing_out_of_the_platform_ends_single_sign_on(client, people, canteen):
    client.force_login(people.clerk_a1)
    assert _ask_for_a_code(client, canteen).status_code == 200  # the consent page: signed in
    client.post(reverse("logout"))
    response = _ask_for_a_code(client, canteen)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
