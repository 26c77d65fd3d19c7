"""API tokens end: each sign-in issues a new one, it expires after API_TOKEN_TTL_HOURS, it can be
revoked by its holder or by a bureau administrator over the holder's unit, and only its digest is stored."""

import secrets
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from datahub import tokens
from datahub.auth import services
from datahub.models import ApiToken, User
from tests.factories import PASSWORD

ME = "/api/v1/me/"


@pytest.fixture
def address():
    """An address of this test's own, so the sign-in throttle and lockout counts of other tests never meet it."""
    return "10.{}.{}.{}".format(*(secrets.randbelow(250) + 1 for _ in range(3)))


@pytest.fixture
def sign_in(api, address):
    def post(username="clerk_a1", password=PASSWORD):
        return api().post(
            reverse("api-token"), {"username": username, "password": password}, format="json", REMOTE_ADDR=address
        )

    return post


def bearer(api, token):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_sign_in_issues_a_token_that_works_and_says_when_it_ends(api, people, sign_in):
    before = timezone.now()
    response = sign_in()
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Token"
    expires_at = ApiToken.objects.get(user=people.clerk_a1).expires_at
    assert before + timedelta(hours=8) <= expires_at <= timezone.now() + timedelta(hours=8)
    assert body["expires_at"].startswith(timezone.localtime(expires_at).isoformat()[:16])
    assert bearer(api, body["token"]).get(ME).json()["username"] == "clerk_a1"


def test_only_a_digest_of_the_token_is_stored(people, sign_in):
    token = sign_in().json()["token"]
    record = ApiToken.objects.get(user=people.clerk_a1)
    assert record.digest == tokens.digest(token)
    assert token not in {record.digest, record.prefix}
    assert record.prefix == token[:8]


def test_signing_in_again_issues_a_new_token_and_never_the_same(api, people, sign_in):
    first, second = sign_in().json()["token"], sign_in().json()["token"]
    assert first != second
    assert ApiToken.objects.filter(user=people.clerk_a1).count() == 2
    # Both work: two systems sharing an account do not sign each other out.
    assert bearer(api, first).get(ME).status_code == 200
    assert bearer(api, second).get(ME).status_code == 200


@override_settings(API_TOKEN_TTL_HOURS=1)
def test_lifetime_comes_from_settings(people, sign_in):
    sign_in()
    lifetime = ApiToken.objects.get(user=people.clerk_a1).expires_at - timezone.now()
    assert timedelta(minutes=59) < lifetime <= timedelta(hours=1)


def test_an_expired_token_is_refused_with_401_in_chinese(api, people, sign_in):
    token = sign_in().json()["token"]
    ApiToken.objects.filter(user=people.clerk_a1).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer(api, token).get(ME)
    assert response.status_code == 401
    assert response.json() == {"detail": "API令牌已过期，请重新登录获取令牌。", "fields": {}}
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_refused_with_401(api, people, sign_in):
    token = sign_in().json()["token"]
    services.revoke_api_tokens_of(actor=people.clerk_a1, user=people.clerk_a1)
    response = bearer(api, token).get(ME)
    assert response.status_code == 401
    assert "已被吊销" in response.json()["detail"]


def test_an_unknown_or_malformed_token_is_refused_with_401(api, people):
    assert "API令牌无效" in bearer(api, "not-a-token").get(ME).json()["detail"]
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token a b")
    response = client.get(ME)
    assert response.status_code == 401
    assert "格式不正确" in response.json()["detail"]


def test_a_deactivated_persons_token_stops_working(api, people, sign_in):
    token = sign_in().json()["token"]
    User.objects.filter(pk=people.clerk_a1.pk).update(is_active=False)
    assert bearer(api, token).get(ME).status_code == 401


def test_bearer_keyword_is_accepted(api, people, sign_in):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {sign_in().json()['token']}")
    assert client.get(ME).status_code == 200


def test_use_is_recorded_without_a_write_per_request(api, people, sign_in):
    client = bearer(api, sign_in().json()["token"])
    client.get(ME)
    first_use = ApiToken.objects.get(user=people.clerk_a1).last_used_at
    assert first_use is not None
    client.get(ME)
    assert ApiToken.objects.get(user=people.clerk_a1).last_used_at == first_use


def test_wrong_password_gets_no_token_and_a_chinese_error(people, sign_in):
    response = sign_in(password="Wrong-Password-1")
    assert response.status_code == 400
    assert response.json()["fields"] == {"non_field_errors": ["用户名或密码不正确。"]}
    assert not ApiToken.objects.exists()


def test_a_json_array_body_is_a_400_not_a_server_error(api, people, address):
    response = api().post(reverse("api-token"), [1, 2], format="json", REMOTE_ADDR=address)
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


# --- revoking through the API ------------------------------------------------------------------


def test_revoke_ends_the_token_used_for_the_request_only(api, people, sign_in):
    used, other = sign_in().json()["token"], sign_in().json()["token"]
    response = bearer(api, used).post(reverse("api-token-revoke"), {}, format="json")
    assert response.status_code == 200
    assert response.json() == {"revoked": 1}
    assert bearer(api, used).get(ME).status_code == 401
    assert bearer(api, other).get(ME).status_code == 200


def test_revoke_all_ends_every_token_of_the_caller(api, people, sign_in):
    first, second = sign_in().json()["token"], sign_in().json()["token"]
    sign_in(username="clerk_b1")
    response = bearer(api, first).post(reverse("api-token-revoke"), {"all": True}, format="json")
    assert response.json() == {"revoked": 2}
    assert bearer(api, second).get(ME).status_code == 401
    assert ApiToken.objects.filter(user=people.clerk_b1, revoked_at__isnull=True).count() == 1


def test_revoke_with_a_session_needs_all(api, people, sign_in):
    sign_in()
    response = api(people.clerk_a1).post(reverse("api-token-revoke"), {}, format="json")
    assert response.status_code == 400
    assert "all=true" in response.json()["fields"]["all"][0]
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1


def test_revoke_needs_sign_in(api, people):
    assert api().post(reverse("api-token-revoke"), {"all": True}, format="json").status_code == 401


# --- revoking on pages -------------------------------------------------------------------------


def test_a_person_sees_and_revokes_their_own_tokens_on_the_account_page(client, people, sign_in):
    mine = sign_in().json()["token"]
    sign_in(username="clerk_b1")
    client.force_login(people.clerk_a1)
    page = client.get(reverse("account-security")).content.decode()
    assert f"{mine[:8]}…" in page
    assert page.count("<code>") == 1
    record = ApiToken.objects.get(user=people.clerk_a1)
    client.post(reverse("account-token-revoke", args=[record.pk]))
    record.refresh_from_db()
    assert record.revoked_at is not None and record.revoked_by == people.clerk_a1


def test_a_person_cannot_revoke_somebody_elses_token_by_its_number(client, people, sign_in):
    sign_in(username="clerk_b1")
    theirs = ApiToken.objects.get(user=people.clerk_b1)
    client.force_login(people.clerk_a1)
    assert client.post(reverse("account-token-revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_bureau_admin_revokes_the_tokens_of_a_person_in_their_subtree(client, people, sign_in):
    sign_in(), sign_in()
    client.force_login(people.admin_a)
    response = client.post(reverse("person-tokens-revoke", args=[people.clerk_a1.pk]), follow=True)
    assert "已吊销“" in response.content.decode()
    assert not ApiToken.objects.filter(user=people.clerk_a1, revoked_at__isnull=True).exists()
    assert set(ApiToken.objects.values_list("revoked_by", flat=True)) == {people.admin_a.pk}


def test_a_bureau_admin_of_another_unit_cannot_revoke(client, people, sign_in):
    sign_in()
    client.force_login(people.admin_b)
    assert client.post(reverse("person-tokens-revoke", args=[people.clerk_a1.pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_colleague_without_the_admin_role_cannot_revoke(client, people, tree, sign_in):
    from tests.factories import UserFactory

    colleague = UserFactory(org_unit=tree.a1)
    sign_in()
    client.force_login(colleague)
    response = client.post(reverse("person-tokens-revoke", args=[people.clerk_a1.pk]), follow=True)
    assert response.status_code in (200, 404)
    assert ApiToken.objects.get().revoked_at is None


def test_the_revoke_service_refuses_an_admin_outside_the_subtree(people, sign_in):
    sign_in()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="吊销"):
        services.revoke_api_tokens_of(actor=people.admin_b, user=people.clerk_a1)
    assert ApiToken.objects.get().revoked_at is None


def test_the_admin_lists_only_the_subtrees_tokens_and_revokes_them(client, people, sign_in):
    sign_in(), sign_in(username="clerk_b1")
    client.force_login(people.admin_a)
    changelist = reverse("admin:datahub_apitoken_changelist")
    page = client.get(changelist).content.decode()
    assert "clerk_a1" in page or people.clerk_a1.name in page
    assert people.clerk_b1.name not in page
    theirs = ApiToken.objects.get(user=people.clerk_b1)
    mine = ApiToken.objects.get(user=people.clerk_a1)
    client.post(changelist, {"action": "revoke", "_selected_action": [mine.pk, theirs.pk]})
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None


def test_tokens_that_ended_long_ago_are_deleted(people, sign_in):
    sign_in(), sign_in()
    old = ApiToken.objects.first()
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=181))
    assert services.delete_ended_api_tokens() == 1
    assert ApiToken.objects.count() == 1
