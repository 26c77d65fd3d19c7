"""Single sign-on through the platform, end to end with Django's test client as the department's system:
authorization code + PKCE, the ID token verified against the JWKS, userinfo, refresh-token rotation, consent
shown and skipped, RP-initiated logout, and the claims of a civil servant and of a bureau administrator."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from datahub.models import AuditEntry
from datahub.oidc.models import Subject
from datahub.oidc.rules import FORBIDDEN_CLAIMS

from .relying_party import (
    LOGOUT_RETURN,
    REDIRECT,
    authorize_params,
    exchange,
    pkce,
    query_of,
    refresh,
    register,
    sign_in,
    verify_id_token,
)


@pytest.fixture
def canteen(people, tree):
    return register(people.admin_a, tree.a)


def _strings(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif value is not None:
        yield str(value)


def test_discovery_and_jwks_are_published_at_the_root_and_under_the_issuer(client, db):
    root = client.get("/.well-known/openid-configuration").json()
    under = client.get("/o/.well-known/openid-configuration").json()
    assert root == under
    assert root["issuer"] == "http://testserver/o"
    assert root["authorization_endpoint"].endswith("/o/authorize/")
    assert root["userinfo_endpoint"].endswith("/o/userinfo/")
    assert root["end_session_endpoint"].endswith("/o/logout/")
    assert "S256" in root["code_challenge_methods_supported"]
    keys = client.get("/o/.well-known/jwks.json").json()["keys"]
    assert keys and keys[0]["kty"] == "RSA" and "d" not in keys[0]  # the public half only
    assert {"sub", "name", "unit", "post_level", "rank", "roles"} <= set(root["claims_supported"])
    assert not FORBIDDEN_CLAIMS & set(root["claims_supported"])


def test_civil_servant_signs_in_with_pkce_and_the_system_verifies_the_id_token(client, people, tree, canteen):
    code, verifier, params = sign_in(client, people.clerk_a1, canteen)
    response = exchange(client, canteen, code, verifier)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 600
    assert body["refresh_token"] and body["scope"].split() == ["openid", "profile", "org", "roles"]

    claims = verify_id_token(client, body["id_token"], audience=canteen.client_id)
    sub = str(Subject.objects.get(user=people.clerk_a1).sub)
    assert claims["sub"] == sub and sub != str(people.clerk_a1.pk)
    assert claims["nonce"] == params["nonce"]
    assert claims["name"] == people.clerk_a1.name and claims["preferred_username"] == "clerk_a1"
    assert claims["unit"] == {
        "id": "A1",
        "name": "甲厅办公室",
        "uscc": tree.a.uscc,  # a department carries its institution's code
        "path": "浙江省 / 甲厅 / 甲厅办公室",
        "level": "department",
    }
    assert claims["post_level"]["code"] == people.clerk_a1.post_level and claims["post_level"]["label"]
    assert claims["rank"] == {"code": people.clerk_a1.rank, "label": people.clerk_a1.get_rank_display()}
    assert claims["roles"] == [
        {"role": "civil_servant", "label": "机关工作人员", "unit": {"id": "A1", "name": "甲厅办公室"}}
    ]

    userinfo = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert userinfo.status_code == 200
    assert userinfo.json()["sub"] == sub and userinfo.json()["unit"]["name"] == "甲厅办公室"


def test_id_number_phone_and_email_are_in_no_claim_of_any_scope(client, people, canteen):
    person = people.admin_a
    code, verifier, _ = sign_in(client, person, canteen)
    body = exchange(client, canteen, code, verifier).json()
    claims = verify_id_token(client, body["id_token"], audience=canteen.client_id)
    userinfo = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}").json()
    for released in (claims, userinfo):
        text = json.dumps(released, ensure_ascii=False)
        assert person.id_number and person.id_number not in text
        assert person.id_number[-4:] not in list(_strings(released))
        assert person.phone not in text and person.email not in text
        assert not FORBIDDEN_CLAIMS & set(released)


def test_bureau_administrator_claims_name_the_role_and_the_unit_it_is_granted_on(client, people, canteen):
    code, verifier, _ = sign_in(client, people.admin_a, canteen)
    claims = verify_id_token(
        client, exchange(client, canteen, code, verifier).json()["id_token"], audience=canteen.client_id
    )
    assert {"role": "bureau_admin", "label": "机关事务管理局管理员", "unit": {"id": "A", "name": "甲厅"}} in claims[
        "roles"
    ]
    assert claims["unit"]["uscc"] == people.admin_a.org_unit.uscc and claims["unit"]["level"] == "institution"


def test_a_scope_not_asked_for_releases_none_of_its_claims(client, people, canteen):
    code, verifier, _ = sign_in(client, people.clerk_a1, canteen, scope="openid")
    body = exchange(client, canteen, code, verifier).json()
    claims = verify_id_token(client, body["id_token"], audience=canteen.client_id)
    assert "name" not in claims and "unit" not in claims and "roles" not in claims
    assert set(client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}").json()) == {"sub"}


def test_consent_page_lists_the_facts_in_chinese_and_is_skipped_for_internal_systems(client, people, tree):
    external = register(people.admin_a, tree.a, name="外部系统")
    client.force_login(people.clerk_a1)
    _, challenge = pkce()
    html = client.get("/o/authorize/", authorize_params(external, challenge=challenge)).content.decode()
    assert "授权“外部系统”使用您的身份登录" in html
    assert "所在单位/部门（名称、统一社会信用代码、完整路径）" in html and "不会获得您的身份证号" in html

    internal = register(people.admin_a, tree.a, name="内部系统", skip_consent=True)
    code, verifier, _ = sign_in(client, people.clerk_a1, internal, consent=False)
    assert exchange(client, internal, code, verifier).status_code == 200


def test_refusing_consent_returns_access_denied_to_the_system_and_issues_nothing(client, people, canteen):
    client.force_login(people.clerk_a1)
    _, challenge = pkce()
    params = authorize_params(canteen, challenge=challenge)
    response = client.post("/o/authorize/", params)  # no "allow"
    assert response.status_code == 302
    assert query_of(response["Location"])["error"] == "access_denied"
    assert not Grant.objects.exists() and not AccessToken.objects.exists()


def test_refresh_token_rotates_and_a_replayed_one_revokes_the_family(client, people, canteen):
    code, verifier, _ = sign_in(client, people.clerk_a1, canteen)
    first = exchange(client, canteen, code, verifier).json()
    second = refresh(client, canteen, first["refresh_token"])
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    replay = refresh(client, canteen, first["refresh_token"])
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    # Reuse of a rotated token is taken as theft: the whole family ends, the live one included.
    assert refresh(client, canteen, second["refresh_token"]).status_code == 400


def test_a_code_is_used_once(client, people, canteen):
    code, verifier, _ = sign_in(client, people.clerk_a1, canteen)
    assert exchange(client, canteen, code, verifier).status_code == 200
    again = exchange(client, canteen, code, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_an_expired_code_is_refused(client, people, canteen):
    code, verifier, _ = sign_in(client, people.clerk_a1, canteen)
    Grant.objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = exchange(client, canteen, code, verifier)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_every_token_issued_is_in_the_audit_trail(client, people, canteen):
    code, verifier, _ = sign_in(client, people.clerk_a1, canteen)
    exchange(client, canteen, code, verifier)
    entry = AuditEntry.objects.filter(kind=AuditEntry.Kind.TOKEN_ISSUED).get()
    assert entry.subject_id == people.clerk_a1.pk and entry.actor_username == f"system:{canteen.client_id}"
    assert "食堂管理系统" in entry.detail and "登录授权" in entry.detail and "openid" in entry.detail


def test_revoking_a_token_at_the_revocation_endpoint_ends_it_and_is_audited(client, people, canteen):
    code, verifier, _ = sign_in(client, people.clerk_a1, canteen)
    body = exchange(client, canteen, code, verifier).json()
    response = client.post("/o/revoke_token/", {"token": body["access_token"]}, HTTP_AUTHORIZATION=canteen.basic())
    assert response.status_code == 200
    assert client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}").status_code == 401
    assert refresh(client, canteen, body["refresh_token"]).status_code == 400
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.TOKEN_REVOKED, subject_id=people.clerk_a1.pk).exists()


def test_expired_access_token_is_refused_at_userinfo(client, people, canteen):
    code, verifier, _ = sign_in(client, people.clerk_a1, canteen)
    body = exchange(client, canteen, code, verifier).json()
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    assert client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}").status_code == 401


def test_tokens_are_kept_only_as_digests(client, people, canteen):
    code, verifier, _ = sign_in(client, people.clerk_a1, canteen)
    body = exchange(client, canteen, code, verifier).json()
    stored = AccessToken.objects.get()
    assert body["access_token"] not in (stored.token or "") and stored.token_checksum
    assert not RefreshToken.objects.filter(token=body["refresh_token"]).exists()


def test_rp_initiated_logout_ends_the_platform_session_and_returns_to_the_system(client, people, canteen):
    code, verifier, _ = sign_in(client, people.clerk_a1, canteen)
    body = exchange(client, canteen, code, verifier).json()
    params = {"id_token_hint": body["id_token"], "post_logout_redirect_uri": LOGOUT_RETURN, "state": "bye"}
    page = client.get("/o/logout/", params)
    assert page.status_code == 200 and "退出统一身份认证" in page.content.decode()
    response = client.post("/o/logout/", {**params, "client_id": canteen.client_id, "allow": "Logout"})
    assert response.status_code == 302 and response["Location"].startswith(LOGOUT_RETURN)
    assert "_auth_user_id" not in client.session
    # The single sign-on session is gone: the next sign-in to any system asks for the password again.
    _, challenge = pkce()
    again = client.get("/o/authorize/", authorize_params(canteen, challenge=challenge))
    assert again.status_code == 302 and again["Location"].startswith("/accounts/login/")


def test_platform_sign_out_ends_single_sign_on(client, people, canteen):
    sign_in(client, people.clerk_a1, canteen)
    client.post("/accounts/logout/")
    _, challenge = pkce()
    response = client.get("/o/authorize/", authorize_params(canteen, challenge=challenge))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert REDIRECT not in response["Location"].split("?")[0]


def test_the_consent_page_lets_its_form_redirect_to_the_registered_system_only(client, people, canteen):
    client.force_login(people.clerk_a1)
    _, challenge = pkce()
    response = client.get("/o/authorize/", authorize_params(canteen, challenge=challenge))
    policy = response["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert "'self'" in form_action and "https://canteen.example.gov.cn" in form_action
    refused = client.get(
        "/o/authorize/", authorize_params(canteen, challenge=challenge, redirect_uri="https://evil.example.com/cb")
    )
    assert "evil.example.com" not in refused["Content-Security-Policy"]
