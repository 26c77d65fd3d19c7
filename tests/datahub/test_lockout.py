"""Wrong passwords are counted (django-axes, datahub.auth.lockout), pages and API token sign-in alike:
five for one user name from one address lock that name there; AXES_IP_FAILURE_LIMIT from one
address across any names (password spraying) lock the address for every name."""

from django.test import override_settings
from django.urls import reverse

from datahub.auth.lockout import client_address
from tests.factories import PASSWORD, UserFactory

SPRAYER = "10.9.8.7"


def sign_in(client, username, password, address="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account(client, people):
    for _ in range(5):
        sign_in(client, "clerk_a1", "wrong-password")
    response = sign_in(client, "clerk_a1", PASSWORD)
    assert response.status_code == 429
    assert "登录已被暂时锁定" in response.content.decode()


def test_four_wrong_passwords_then_the_right_one_signs_in(client, people):
    for _ in range(4):
        sign_in(client, "clerk_a1", "wrong-password")
    response = sign_in(client, "clerk_a1", PASSWORD)
    assert response.status_code == 302


def test_a_locked_name_does_not_lock_other_names_at_the_same_address(client, people):
    for _ in range(5):
        sign_in(client, "clerk_a1", "wrong-password")
    assert sign_in(client, "clerk_b1", PASSWORD).status_code == 302


def test_the_api_token_endpoint_is_locked_too(api, people):
    client = api()
    for _ in range(5):
        client.post(reverse("api-token"), {"username": "clerk_a1", "password": "nope"}, format="json")
    response = client.post(reverse("api-token"), {"username": "clerk_a1", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]
    assert "token" not in response.json()


@override_settings(AXES_IP_FAILURE_LIMIT=8)
def test_spraying_many_names_from_one_address_locks_the_address(client, people):
    # Two guesses at each of four names: no name reaches five, the address reaches eight.
    for name in ("clerk_a1", "clerk_b1", "admin_a", "nobody"):
        for guess in ("Spring-2026!", "Password-123"):
            sign_in(client, name, guess, SPRAYER)
    response = sign_in(client, "leader", PASSWORD, SPRAYER)
    assert response.status_code == 429
    assert "本机地址" in response.content.decode()
    # The people themselves, at their own machines, are not locked.
    assert sign_in(client, "leader", PASSWORD, "10.0.0.5").status_code == 302


@override_settings(AXES_IP_FAILURE_LIMIT=8)
def test_spraying_through_the_api_locks_the_address_for_token_sign_in(api, people):
    client = api()
    for i in range(8):
        client.post(
            reverse("api-token"),
            {"username": f"guess{i}", "password": "Spring-2026!"},
            format="json",
            REMOTE_ADDR=SPRAYER,
        )
    response = client.post(
        reverse("api-token"), {"username": "clerk_a1", "password": PASSWORD}, format="json", REMOTE_ADDR=SPRAYER
    )
    assert response.status_code == 429
    assert "本机地址已被暂时锁定" in response.json()["detail"]


@override_settings(AXES_IP_FAILURE_LIMIT=8)
def test_signing_in_with_ones_own_account_does_not_reset_the_address_count(client, people):
    """A sprayer holding one real account must not clear the address's failures by using it between guesses."""
    UserFactory(username="insider", org_unit=people.clerk_a1.org_unit)
    for round_ in range(4):
        for name in ("clerk_a1", "clerk_b1"):
            sign_in(client, name, f"Guess-{round_}-2026", SPRAYER)
        assert sign_in(client, "insider", PASSWORD, SPRAYER).status_code == (302 if round_ < 3 else 429)
        client.logout()


@override_settings(AXES_IP_FAILURE_LIMIT=8)
def test_below_the_address_limit_everyone_signs_in(client, people):
    for i in range(7):
        sign_in(client, f"typo{i}", "wrong-password", SPRAYER)
    assert sign_in(client, "clerk_a1", PASSWORD, SPRAYER).status_code == 302


@override_settings(SESSION_COOKIE_AGE=1800)
def test_sessions_expire_after_inactivity(client, people):
    client.force_login(people.clerk_a1)
    client.get(reverse("home"))
    session = client.session
    assert 1790 <= session.get_expiry_age() <= 1800


# --- the address counted, behind a reverse proxy -----------------------------------------------------


def request_from(rf, remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/accounts/login/", **headers)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_the_connecting_address_counts_and_forwarded_claims_are_ignored(rf):
    assert client_address(request_from(rf, "10.0.0.9", "1.2.3.4")) == "10.0.0.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_claims(rf):
    assert client_address(request_from(rf, "192.168.0.1", "1.2.3.4, 10.0.0.9")) == "10.0.0.9"
    assert client_address(request_from(rf, "192.168.0.1", "10.0.0.9")) == "10.0.0.9"
    # No header, or a garbled entry: the proxy's own address, never a server error.
    assert client_address(request_from(rf, "192.168.0.1")) == "192.168.0.1"
    assert client_address(request_from(rf, "192.168.0.1", "not-an-address")) == "192.168.0.1"


@override_settings(TRUSTED_PROXY_COUNT=1, AXES_IP_FAILURE_LIMIT=6)
def test_behind_a_proxy_a_sprayer_is_locked_and_colleagues_are_not(client, people):
    def through_proxy(username, password, seen_by_proxy, claimed="8.8.8.8"):
        return client.post(
            reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR="192.168.0.1",
            HTTP_X_FORWARDED_FOR=f"{claimed}, {seen_by_proxy}",
        )

    for i in range(6):  # a forged, changing X-Forwarded-For does not help
        through_proxy(f"guess{i}", "Spring-2026!", "10.1.1.1", claimed=f"8.8.8.{i}")
    assert through_proxy("clerk_a1", PASSWORD, "10.1.1.1").status_code == 429
    assert through_proxy("clerk_a1", PASSWORD, "10.2.2.2").status_code == 302
