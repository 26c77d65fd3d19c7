"""A registered system calls the platform API with its own token (client credentials): only the scopes it
was registered for, only reading, only its own unit's subtree; the API knows a system from a person."""

import pytest
from oauth2_provider.models import AccessToken

from datahub.models import AuditEntry
from datahub.oidc import services
from datahub.oidc.rules import SystemKind

from .relying_party import client_credentials, exchange, register, sign_in


@pytest.fixture
def property_a(people, tree):
    return register(people.admin_a, tree.a, name="物业管理系统", kind=SystemKind.SERVICE)


def _token(client, reg, scope=None) -> str:
    response = client_credentials(client, reg, scope)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def test_a_system_gets_a_token_for_its_registered_scopes(client, property_a):
    body = client_credentials(client, property_a).json()
    assert set(body["scope"].split()) == {"directory", "exchange"} and "refresh_token" not in body
    token = AccessToken.objects.get()
    assert token.user is None and token.application_id == property_a.system.application_id
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.TOKEN_ISSUED)
    assert (
        "系统凭证" in entry.detail
        and entry.subject_id is None
        and entry.subject_unit_id == property_a.system.org_unit_id
    )


def test_a_scope_it_was_not_registered_for_is_refused(client, people, tree):
    exchange_only = register(people.admin_a, tree.a, name="只交换", kind=SystemKind.SERVICE, scopes=["exchange"])
    response = client_credentials(client, exchange_only, "directory")
    assert response.status_code == 400 and response.json()["error"] == "invalid_scope"
    assert not AccessToken.objects.exists()


def test_a_system_token_reads_its_own_unit_and_nothing_of_another(client, people, tree, property_a):
    token = _token(client, property_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    units = client.get("/api/v1/org-units/", **auth)
    assert units.status_code == 200
    codes = {u["code"] for u in units.json()["results"]}
    assert codes == {"A", "A1"}
    people_codes = {p["username"] for p in client.get("/api/v1/users/", **auth).json()["results"]}
    assert "clerk_a1" in people_codes and "clerk_b1" not in people_codes
    assert client.get(f"/api/v1/org-units/{tree.b.pk}/", **auth).status_code == 404
    assert client.get(f"/api/v1/users/{people.clerk_b1.pk}/", **auth).status_code == 404
    person = client.get(f"/api/v1/users/{people.clerk_a1.pk}/", **auth).json()
    assert not person.get("id_number") and not person.get("phone")


def test_a_system_token_cannot_write(client, tree, property_a):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(client, property_a)}"}
    response = client.patch(
        f"/api/v1/org-units/{tree.a1.pk}/", {"name": "改名"}, content_type="application/json", **auth
    )
    assert response.status_code == 403 and "只能读取" in response.json()["detail"]
    tree.a1.refresh_from_db()
    assert tree.a1.name == "甲厅办公室"


def test_a_token_without_the_endpoint_s_scope_is_refused(client, people, tree):
    exchange_only = register(people.admin_a, tree.a, name="只交换", kind=SystemKind.SERVICE, scopes=["exchange"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(client, exchange_only)}"}
    response = client.get("/api/v1/org-units/", **auth)
    assert response.status_code == 403 and "directory" in response.json()["detail"]


def test_an_endpoint_that_does_not_accept_system_tokens_says_so(client, property_a):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(client, property_a)}"}
    response = client.get("/api/v1/portal/tickets/", **auth)
    assert response.status_code == 403 and "不接受统一身份认证的访问令牌" in response.json()["detail"]


def test_the_api_knows_a_person_s_token_from_a_system_s(client, people, tree):
    both = register(people.admin_a, tree.a, name="两用系统", kind=SystemKind.BOTH)
    code, verifier, _ = sign_in(client, people.clerk_a1, both, scope="openid directory")
    person_token = exchange(client, both, code, verifier).json()["access_token"]
    client.logout()
    mine = client.get("/api/v1/users/", HTTP_AUTHORIZATION=f"Bearer {person_token}").json()["results"]
    # As the clerk: their own department only (a civil servant's view), not the system's whole agency.
    assert {p["username"] for p in mine} <= {u.username for u in people.clerk_a1.org_unit.members.all()}
    system_token = _token(client, both, "directory")
    as_system = client.get("/api/v1/users/", HTTP_AUTHORIZATION=f"Bearer {system_token}").json()["results"]
    assert {"admin_a", "clerk_a1"} <= {p["username"] for p in as_system}


def test_a_suspended_system_gets_no_token_and_its_tokens_end(client, people, property_a):
    token = _token(client, property_a)
    services.system_suspend(actor=people.admin_a, system=property_a.system, reason="合同到期")
    assert client.get("/api/v1/org-units/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    response = client_credentials(client, property_a)
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    services.system_resume(actor=people.admin_a, system=property_a.system)
    assert client_credentials(client, property_a).status_code == 200


def test_a_rotated_secret_replaces_the_old_one_at_once(client, people, property_a):
    new_secret = services.system_rotate_secret(actor=people.admin_a, system=property_a.system)
    assert client_credentials(client, property_a).status_code == 401
    assert client_credentials(client, property_a, secret=new_secret).status_code == 200


def test_an_expired_system_token_is_refused_with_a_chinese_reason(client, property_a):
    from datetime import timedelta

    from django.utils import timezone

    token = _token(client, property_a)
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/org-units/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401 and "已过期" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_platform_api_tokens_still_work_beside_oauth_tokens(api, people):
    from datahub.auth.services import issue_api_token

    _, token = issue_api_token(user=people.clerk_a1)
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/me/").json()["username"] == "clerk_a1"
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert client.get("/api/v1/me/").status_code == 401


def test_the_hourly_clean_up_deletes_expired_tokens_and_keeps_live_ones(client, property_a):
    """Runs the task function in-process (no worker): what beat calls every hour."""
    from datetime import timedelta

    from django.utils import timezone

    from datahub.tasks import clear_expired_oauth_tokens

    _token(client, property_a)
    _token(client, property_a)
    first = AccessToken.objects.order_by("pk").first()
    AccessToken.objects.filter(pk=first.pk).update(expires=timezone.now() - timedelta(days=1))
    clear_expired_oauth_tokens()
    assert AccessToken.objects.count() == 1 and not AccessToken.objects.filter(pk=first.pk).exists()
