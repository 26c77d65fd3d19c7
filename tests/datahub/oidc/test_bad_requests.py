"""What the provider refuses, and that a refusal leaves nothing behind: wrong redirect URI, unknown or
suspended client, missing or wrong PKCE, a scope the system was not registered for, a deactivated person,
a wrong secret — with the standard OAuth2 error and, on our own pages, a Chinese message."""

import pytest
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from datahub import services as directory
from datahub.oidc import services

from .relying_party import REDIRECT, authorize_params, client_credentials, exchange, pkce, query_of, register, sign_in


@pytest.fixture
def canteen(people, tree):
    return register(people.admin_a, tree.a)


def _authorize(client, user, reg, **params):
    client.force_login(user)
    _, challenge = pkce()
    return client.get("/o/authorize/", authorize_params(reg, challenge=challenge, **params))


def _nothing_issued():
    return not Grant.objects.exists() and not AccessToken.objects.exists() and not RefreshToken.objects.exists()


def test_wrong_redirect_uri_is_refused_on_our_page_and_never_followed(client, people, canteen):
    response = _authorize(client, people.clerk_a1, canteen, redirect_uri="https://evil.example.com/cb")
    assert response.status_code == 400
    html = response.content.decode()
    assert "回调地址与该系统登记的地址不一致" in html and "evil.example.com" not in response.get("Location", "")
    assert _nothing_issued()


def test_unknown_client_is_refused_on_our_page(client, people, canteen):
    client.force_login(people.clerk_a1)
    _, challenge = pkce()
    params = authorize_params(canteen, challenge=challenge, client_id="no-such-client")
    response = client.get("/o/authorize/", params)
    assert response.status_code in (400, 401)
    assert "该接入系统不存在或已停用" in response.content.decode()


def test_missing_pkce_is_refused_with_the_standard_error_and_a_chinese_description(client, people, canteen):
    client.force_login(people.clerk_a1)
    response = client.get("/o/authorize/", authorize_params(canteen, challenge=None))
    assert response.status_code == 302 and response["Location"].startswith(REDIRECT)
    error = query_of(response["Location"])
    assert error["error"] == "invalid_request" and "PKCE" in error["error_description"]
    assert _nothing_issued()


def test_wrong_pkce_verifier_is_refused_and_the_code_is_spent(client, people, canteen):
    code, _verifier, _ = sign_in(client, people.clerk_a1, canteen)
    other_verifier, _ = pkce()
    response = exchange(client, canteen, code, other_verifier)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_code_exchange_without_the_verifier_is_refused(client, people, canteen):
    code, _verifier, _ = sign_in(client, people.clerk_a1, canteen)
    response = exchange(client, canteen, code, None)
    assert response.status_code == 400 and response.json()["error"] in ("invalid_request", "invalid_grant")
    assert not AccessToken.objects.exists()


def test_code_exchange_with_another_redirect_uri_is_refused(client, people, canteen):
    code, verifier, _ = sign_in(client, people.clerk_a1, canteen)
    response = exchange(client, canteen, code, verifier, redirect_uri="https://canteen.example.gov.cn/other")
    assert response.status_code == 400
    assert not AccessToken.objects.exists()


def test_wrong_client_secret_is_refused(client, people, canteen):
    code, verifier, _ = sign_in(client, people.clerk_a1, canteen)
    response = exchange(client, canteen, code, verifier, secret="not-the-secret")
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_a_scope_the_system_was_not_registered_for_is_refused(client, people, tree):
    minimal = register(people.admin_a, tree.a, name="最小系统", scopes=["openid", "profile"])
    response = _authorize(client, people.clerk_a1, minimal, scope="openid profile roles")
    assert response.status_code == 302
    error = query_of(response["Location"])
    assert (
        error["error"] == "invalid_scope"
        and "未经登记" in error["error_description"]
        and "roles" in error["error_description"]
    )
    assert _nothing_issued()


def test_a_suspended_system_cannot_sign_anybody_in_and_its_tokens_end_at_once(client, people, canteen):
    code, verifier, _ = sign_in(client, people.clerk_a1, canteen)
    body = exchange(client, canteen, code, verifier).json()
    services.system_suspend(actor=people.admin_a, system=canteen.system, reason="安全检查")
    assert client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}").status_code == 401
    refreshed = client.post(
        "/o/token/",
        {"grant_type": "refresh_token", "refresh_token": body["refresh_token"]},
        HTTP_AUTHORIZATION=canteen.basic(),
    )
    assert refreshed.status_code == 401 and refreshed.json()["error"] == "invalid_client"
    page = _authorize(client, people.clerk_a1, canteen)
    assert "该接入系统不存在或已停用" in page.content.decode()


def test_a_deactivated_person_s_tokens_stop_working_at_once(client, people, tree, canteen):
    person = people.clerk_a1
    code, verifier, _ = sign_in(client, person, canteen)
    body = exchange(client, canteen, code, verifier).json()
    pending_code, pending_verifier, _ = sign_in(client, person, canteen)
    directory.update_user(actor=people.admin_a, user=person, is_active=False)
    userinfo = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert userinfo.status_code == 401
    refreshed = client.post(
        "/o/token/",
        {"grant_type": "refresh_token", "refresh_token": body["refresh_token"]},
        HTTP_AUTHORIZATION=canteen.basic(),
    )
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"
    assert exchange(client, canteen, pending_code, pending_verifier).status_code == 400


def test_a_sign_in_system_cannot_use_client_credentials(client, canteen):
    response = client_credentials(client, canteen)
    assert response.status_code == 400 and response.json()["error"] == "unauthorized_client"
    assert not AccessToken.objects.exists()
