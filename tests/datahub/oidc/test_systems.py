"""应用接入: registering a department's system, its secret shown once, rotation, suspension; every page and
action limited to the systems of the units one manages, every change in the audit trail."""

import pytest
from django.urls import reverse
from oauth2_provider.models import Application

from datahub.models import AuditEntry
from datahub.oidc.models import RegisteredSystem
from datahub.roles import Role
from tests.factories import UserFactory, grant

from .relying_party import REDIRECT, register

FORM = {
    "name": "会议室预约系统",
    "kind": "sign_in",
    "scopes": ["openid", "profile", "org"],
    "redirect_uris": REDIRECT,
    "post_logout_redirect_uris": "",
    "contact_name": "李工",
    "contact_phone": "0571-87000001",
    "contact_email": "",
    "description": "会议室",
}


@pytest.fixture
def steward_a(tree):
    return grant(UserFactory(username="steward_a", org_unit=tree.a), Role.DATA_STEWARD, tree.a)


def _login(client, user):
    client.force_login(user)
    return client


def test_bureau_administrator_registers_a_system_and_sees_its_secret_once(client, people, tree):
    response = _login(client, people.admin_a).post(reverse("system-create"), {**FORM, "org_unit": tree.a1.pk})
    assert response.status_code == 201
    system = RegisteredSystem.objects.select_related("application").get()
    html = response.content.decode()
    assert "客户端密钥（仅显示这一次）" in html and system.application.client_id in html
    secret = html.split('id="client-secret"')[1].split("<code>")[1].split("</code>")[0]
    assert secret and secret != system.application.client_secret  # stored hashed
    assert system.application.client_secret.startswith("pbkdf2_") or "$" in system.application.client_secret
    detail = client.get(reverse("system-detail", args=[system.pk])).content.decode()
    assert secret not in detail and "客户端密钥（仅显示这一次）" not in detail
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.SYSTEM_REGISTERED)
    assert (
        entry.actor_id == people.admin_a.pk and entry.subject_unit_id == tree.a1.pk and "会议室预约系统" in entry.detail
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "请填写系统名称"),
        ({"scopes": ["openid", "directory"]}, "scopes", "该接入方式不能申请"),
        ({"scopes": ["profile"]}, "scopes", "必须包含“登录身份（唯一标识）”"),
        ({"redirect_uris": "canteen/callback"}, "redirect_uris", "不是完整的网址"),
        ({"redirect_uris": "https://a.example.gov.cn/cb#x"}, "redirect_uris", "不能包含“#”片段"),
        ({"redirect_uris": ""}, "redirect_uris", "至少要登记一个回调地址"),
        ({"contact_name": ""}, "contact_name", "请填写联系人"),
    ],
)
def test_a_bad_registration_names_the_field_in_chinese_and_writes_nothing(client, people, tree, change, field, message):
    response = _login(client, people.admin_a).post(reverse("system-create"), {**FORM, "org_unit": tree.a.pk, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not RegisteredSystem.objects.exists() and not Application.objects.exists()
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.SYSTEM_REGISTERED).exists()


def test_the_same_name_twice_in_one_unit_is_refused(client, people, tree):
    register(people.admin_a, tree.a, name="会议室预约系统")
    response = _login(client, people.admin_a).post(reverse("system-create"), {**FORM, "org_unit": tree.a.pk})
    assert "已登记了名为“会议室预约系统”的系统" in response.content.decode()
    assert RegisteredSystem.objects.count() == 1 and Application.objects.count() == 1


def test_only_a_bureau_administrator_may_mark_a_system_internal(client, tree, steward_a):
    form = _login(client, steward_a).get(reverse("system-create")).context["form"]
    assert "skip_consent" not in form.fields
    from django.core.exceptions import ValidationError

    from datahub.oidc import services

    with pytest.raises(ValidationError) as refused:
        services.system_register(actor=steward_a, org_unit=tree.a, **{**FORM, "skip_consent": True})
    assert "只有机关事务管理局管理员" in str(refused.value)
    assert not RegisteredSystem.objects.exists()


def test_another_unit_s_steward_can_neither_see_nor_change_a_system(client, people, tree, steward_a):
    theirs = register(people.admin_b, tree.b, name="乙厅食堂").system
    mine = register(steward_a, tree.a, name="甲厅食堂").system
    c = _login(client, steward_a)
    listing = c.get(reverse("system-list")).content.decode()
    assert "甲厅食堂" in listing and "乙厅食堂" not in listing
    for name in ("system-detail", "system-update"):
        assert c.get(reverse(name, args=[theirs.pk])).status_code == 404
    for name in ("system-rotate", "system-suspend", "system-resume"):
        assert c.post(reverse(name, args=[theirs.pk]), {"reason": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active and theirs.secret_rotated_at is None
    assert c.get(reverse("system-detail", args=[mine.pk])).status_code == 200
    # Registering under another unit is refused too (the unit is not even offered).
    response = c.post(reverse("system-create"), {**FORM, "org_unit": tree.b.pk})
    assert "org_unit" in response.context["form"].errors and RegisteredSystem.objects.count() == 2


def test_a_civil_servant_cannot_open_the_registration_pages(client, people):
    response = _login(client, people.clerk_a1).get(reverse("system-list"))
    assert response.status_code == 403 and "只有机关事务管理局管理员或数据管理员" in response.content.decode()


def test_rotation_and_suspension_are_audited_and_explained(client, people, tree):
    system = register(people.admin_a, tree.a).system
    c = _login(client, people.admin_a)
    rotated = c.post(reverse("system-rotate", args=[system.pk]))
    assert "客户端密钥（仅显示这一次）" in rotated.content.decode()
    refused = c.post(reverse("system-suspend", args=[system.pk]), {"reason": ""}, follow=True)
    assert "请填写停用原因" in refused.content.decode()
    system.refresh_from_db()
    assert system.is_active
    c.post(reverse("system-suspend", args=[system.pk]), {"reason": "等保测评整改"})
    system.refresh_from_db()
    assert not system.is_active and system.suspend_reason == "等保测评整改"
    c.post(reverse("system-resume", args=[system.pk]))
    kinds = list(AuditEntry.objects.filter(surface="oidc").order_by("pk").values_list("kind", flat=True))
    assert kinds == ["sys_registered", "sys_secret", "sys_suspended", "sys_resumed"]


def test_editing_keeps_the_unit_and_updates_the_client(client, people, tree):
    system = register(people.admin_a, tree.a).system
    response = _login(client, people.admin_a).post(
        reverse("system-update", args=[system.pk]),
        {**FORM, "name": "食堂管理系统（新）", "redirect_uris": "https://new.example.gov.cn/cb", "skip_consent": "on"},
    )
    assert response.status_code == 302
    system.refresh_from_db()
    system.application.refresh_from_db()
    assert system.name == "食堂管理系统（新）" and system.org_unit == tree.a
    assert system.application.redirect_uris == "https://new.example.gov.cn/cb" and system.application.skip_authorization


def test_the_list_uses_a_fixed_number_of_queries(client, people, tree, django_assert_num_queries):
    for i in range(3):
        register(people.admin_a, tree.a, name=f"系统{i}")
    c = _login(client, people.admin_a)
    c.get(reverse("system-list"))  # warm the session
    with django_assert_num_queries(7) as few:
        c.get(reverse("system-list"))
    for i in range(3, 30):
        register(people.admin_a, tree.a, name=f"系统{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        html = c.get(reverse("system-list")).content.decode()
    assert html.count('href="/directory/systems/') >= 30


def test_the_admin_lists_only_the_systems_of_one_s_units(client, people, tree):
    register(people.admin_b, tree.b, name="乙厅食堂")
    register(people.admin_a, tree.a, name="甲厅食堂")
    html = _login(client, people.admin_a).get("/admin/datahub/registeredsystem/").content.decode()
    assert "甲厅食堂" in html and "乙厅食堂" not in html
