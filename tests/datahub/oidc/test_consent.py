"""The stored consent (账号安全 → 已授权的接入系统): a person asked once is not asked again for the same or
fewer scopes, is asked again when the system asks for more, and can revoke it, which deletes the consent and
the system's tokens for that person, in the audit trail. Nobody else sees or revokes it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from oauth2_provider.models import AccessToken, Grant, IDToken, RefreshToken

from datahub.models import AuditEntry
from datahub.oidc import services
from datahub.oidc.models import Consent
from tests.factories import UserFactory

from .relying_party import REDIRECT, authorize_params, exchange, pkce, query_of, register, sign_in


@pytest.fixture
def canteen(people, tree):
    return register(people.admin_a, tree.a)


def _ask(client, reg, scope="openid profile org roles", **extra):
    _, challenge = pkce()
    return client.get("/o/authorize/", authorize_params(reg, challenge=challenge, scope=scope, **extra))


def _signed_in(client, person, reg, scope="openid profile org roles") -> dict:
    code, verifier, _ = sign_in(client, person, reg, scope=scope)
    body = exchange(client, reg, code, verifier).json()
    assert "access_token" in body, body
    return body


def _forget_live_tokens():
    # DOT's own "auto" approval remembers a consent only through a live access token: without any, only the
    # stored consent can spare the question.
    RefreshToken.objects.all().delete()
    AccessToken.objects.all().delete()


def test_agreeing_once_stores_the_consent_and_audits_it(client, people, canteen):
    _signed_in(client, people.clerk_a1, canteen)
    consent = Consent.objects.get(user=people.clerk_a1, system=canteen.system)
    assert consent.scopes == ["openid", "profile", "org", "roles"]
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.CONSENT_GRANTED)
    assert entry.actor_id == people.clerk_a1.pk and entry.subject_id == people.clerk_a1.pk
    assert "食堂管理系统" in entry.detail and "openid profile org roles" in entry.detail


def test_a_person_who_agreed_is_not_asked_again_for_the_same_scopes_after_the_tokens_expired(client, people, canteen):
    _signed_in(client, people.clerk_a1, canteen)
    _forget_live_tokens()
    response = _ask(client, canteen)
    assert response.status_code == 302 and response["Location"].startswith(REDIRECT)
    assert "code" in query_of(response["Location"])
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.CONSENT_GRANTED).count() == 1


def test_a_person_who_agreed_is_not_asked_for_fewer_scopes(client, people, canteen):
    _signed_in(client, people.clerk_a1, canteen)
    _forget_live_tokens()
    response = _ask(client, canteen, scope="openid profile")
    assert response.status_code == 302 and "code" in query_of(response["Location"])
    # A narrower sign-in does not narrow what the person agreed to.
    assert Consent.objects.get(user=people.clerk_a1).scopes == ["openid", "profile", "org", "roles"]


def test_a_system_asking_for_more_scopes_asks_again_and_the_consent_widens(client, people, canteen):
    _signed_in(client, people.clerk_a1, canteen, scope="openid profile")
    _forget_live_tokens()
    page = _ask(client, canteen, scope="openid profile org")
    assert page.status_code == 200 and "同意并登录" in page.content.decode()
    assert "所在单位/部门" in page.content.decode()
    _signed_in(client, people.clerk_a1, canteen, scope="openid profile org")
    assert Consent.objects.get(user=people.clerk_a1).scopes == ["openid", "profile", "org"]
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.CONSENT_GRANTED).count() == 2


def test_a_consent_of_one_person_does_not_answer_for_another(client, people, tree, canteen):
    _signed_in(client, people.clerk_a1, canteen)
    colleague = UserFactory(username="clerk_a1_2", org_unit=tree.a1)
    client.force_login(colleague)
    assert _ask(client, canteen).status_code == 200


def test_a_consent_to_one_system_does_not_answer_for_another(client, people, tree, canteen):
    _signed_in(client, people.clerk_a1, canteen)
    other = register(people.admin_a, tree.a, name="会议室预约系统")
    client.force_login(people.clerk_a1)
    assert _ask(client, other).status_code == 200


def test_the_system_can_still_ask_for_the_consent_page(client, people, canteen):
    _signed_in(client, people.clerk_a1, canteen)
    _forget_live_tokens()
    assert _ask(client, canteen, prompt="consent").status_code == 200
    assert _ask(client, canteen, approval_prompt="force").status_code == 200


def test_refusing_stores_no_consent(client, people, canteen):
    client.force_login(people.clerk_a1)
    _, challenge = pkce()
    response = client.post("/o/authorize/", authorize_params(canteen, challenge=challenge))  # no "allow"
    assert query_of(response["Location"])["error"] == "access_denied"
    assert not Consent.objects.exists()
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.CONSENT_GRANTED).exists()


def test_a_scope_edited_into_the_consent_form_is_refused_and_stores_nothing(client, people, tree):
    narrow = register(people.admin_a, tree.a, name="通讯录系统", scopes=["openid", "profile"])
    client.force_login(people.clerk_a1)
    _, challenge = pkce()
    params = authorize_params(narrow, challenge=challenge, scope="openid profile roles")
    response = client.post("/o/authorize/", {**params, "allow": "Authorize"})
    assert response.status_code == 302 and query_of(response["Location"])["error"] == "invalid_scope"
    assert not Consent.objects.exists() and not Grant.objects.exists()


def test_an_internal_system_stores_no_consent(client, people, tree):
    internal = register(people.admin_a, tree.a, name="内部系统", skip_consent=True)
    sign_in(client, people.clerk_a1, internal, consent=False)
    assert not Consent.objects.exists()


# --- 账号安全 → 已授权的接入系统 ------------------------------------------------------------------------


def test_the_account_page_lists_the_persons_own_consents_in_chinese(client, people, tree, canteen):
    _signed_in(client, people.clerk_a1, canteen, scope="openid profile")
    page = client.get(reverse("consent-list")).content.decode()
    assert "食堂管理系统" in page and "甲厅" in page
    assert "登录身份（唯一标识）" in page and "姓名与用户名" in page and "撤销授权" in page
    assert reverse("consent-list") in client.get(reverse("account-security")).content.decode()


def test_another_person_does_not_see_the_consent(client, people, canteen):
    _signed_in(client, people.clerk_a1, canteen)
    for other in (people.clerk_b1, people.admin_a):  # not even the bureau administrator of the person's unit
        client.force_login(other)
        page = client.get(reverse("consent-list")).content.decode()
        assert "食堂管理系统" not in page and "您还没有授权任何接入系统" in page


def test_the_consent_list_takes_a_fixed_number_of_queries(client, people, tree, django_assert_max_num_queries):
    for n in range(4):
        _signed_in(client, people.clerk_a1, register(people.admin_a, tree.a, name=f"系统{n}"))
    client.force_login(people.clerk_a1)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("consent-list"))
    assert page.content.decode().count("撤销授权</button>") == 4


def test_revoking_deletes_the_consent_and_the_systems_tokens_for_that_person_only(client, people, tree, canteen):
    mine = _signed_in(client, people.clerk_a1, canteen)
    sign_in(client, people.clerk_a1, canteen)  # a code not yet exchanged goes too
    other_system = register(people.admin_a, tree.a, name="会议室预约系统")
    _signed_in(client, people.clerk_a1, other_system)
    colleague = UserFactory(username="clerk_a1_2", org_unit=tree.a1)
    _signed_in(client, colleague, canteen)

    client.force_login(people.clerk_a1)
    consent = Consent.objects.get(user=people.clerk_a1, system=canteen.system)
    response = client.post(reverse("consent-revoke", args=[consent.pk]), follow=True)
    assert "已撤销对“食堂管理系统”的授权" in response.content.decode()

    app = canteen.system.application
    assert not Consent.objects.filter(pk=consent.pk).exists()
    for model in (AccessToken, RefreshToken, IDToken, Grant):
        assert not model.objects.filter(user=people.clerk_a1, application=app).exists(), model
    # The person's consent to the other system, and the colleague's to this one, stay.
    assert AccessToken.objects.filter(user=people.clerk_a1, application=other_system.system.application).exists()
    assert AccessToken.objects.filter(user=colleague, application=app).exists()
    assert Consent.objects.filter(user=colleague, system=canteen.system).exists()
    assert client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {mine['access_token']}").status_code == 401

    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.CONSENT_REVOKED)
    assert entry.actor_id == people.clerk_a1.pk and "食堂管理系统" in entry.detail and "删除令牌 2 个" in entry.detail
    # Asked again next time.
    assert _ask(client, canteen).status_code == 200


def test_another_person_cannot_revoke_the_consent(client, people, canteen):
    body = _signed_in(client, people.clerk_a1, canteen)
    consent = Consent.objects.get(user=people.clerk_a1)
    for other in (people.clerk_b1, people.admin_a):
        client.force_login(other)
        assert client.post(reverse("consent-revoke", args=[consent.pk])).status_code == 404
    assert Consent.objects.filter(pk=consent.pk).exists()
    assert AccessToken.objects.filter(user=people.clerk_a1).count() == 1
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.CONSENT_REVOKED).exists()
    assert client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}").status_code == 200


def test_the_service_refuses_to_revoke_someone_elses_consent_and_changes_nothing(client, people, canteen):
    _signed_in(client, people.clerk_a1, canteen)
    consent = Consent.objects.get(user=people.clerk_a1)
    with pytest.raises(PermissionDenied, match="只能撤销本人的授权"):
        services.consent_revoke(actor=people.admin_a, consent=consent)
    assert Consent.objects.filter(pk=consent.pk).exists() and AccessToken.objects.exists()


def test_revoking_takes_a_post_and_a_signed_in_person(client, people, canteen):
    _signed_in(client, people.clerk_a1, canteen)
    consent = Consent.objects.get(user=people.clerk_a1)
    assert client.get(reverse("consent-revoke", args=[consent.pk])).status_code == 405
    client.logout()
    assert client.post(reverse("consent-revoke", args=[consent.pk])).status_code == 302
    assert client.get(reverse("consent-list")).status_code == 302
    assert Consent.objects.filter(pk=consent.pk).exists()


def test_revoking_an_already_revoked_consent_says_so(client, people, canteen):
    _signed_in(client, people.clerk_a1, canteen)
    consent = Consent.objects.get(user=people.clerk_a1)
    services.consent_revoke(actor=people.clerk_a1, consent=consent)
    assert client.post(reverse("consent-revoke", args=[consent.pk])).status_code == 404
    with pytest.raises(Exception, match="该授权已经撤销"):
        services.consent_revoke(actor=people.clerk_a1, consent=consent)


def test_prompt_none_signs_in_silently_with_a_stored_consent(client, people, canteen):
    _signed_in(client, people.clerk_a1, canteen)
    _forget_live_tokens()
    response = _ask(client, canteen, prompt="none")
    assert response.status_code == 302 and "code" in query_of(response["Location"])


def test_prompt_none_without_a_consent_answers_consent_required_to_the_system(client, people, canteen):
    client.force_login(people.clerk_a1)
    response = _ask(client, canteen, prompt="none")
    assert response.status_code == 302 and response["Location"].startswith(REDIRECT)
    query = query_of(response["Location"])
    assert query["error"] == "consent_required" and query["state"].startswith("st-")
    assert "尚未同意" in query["error_description"]
    assert not Grant.objects.exists() and not Consent.objects.exists()


def test_prompt_none_for_a_person_not_signed_in_answers_login_required(client, canteen):
    response = _ask(client, canteen, prompt="none")
    assert response.status_code == 302 and query_of(response["Location"])["error"] == "login_required"
