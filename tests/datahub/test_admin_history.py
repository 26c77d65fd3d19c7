"""The admin's object pages (change, delete, history, history form) are scoped like the change list, a revert
needs the change permission on the object in scope, and the history never shows unmasked personal data to
someone without the full-view permission."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from assets import seeding
from assets.models import Asset, Category
from datahub import services
from datahub.models import AuditEntry, OrgUnit
from datahub.roles import Role
from tests.assets.factories import card
from tests.factories import UserFactory, grant


@pytest.fixture
def roles(staff, tree):
    """One holder of each role on agency A (or its department), plus the bureau administrator of A."""
    return SimpleNamespace(
        energy=grant(UserFactory(username="energy_a", org_unit=tree.a), Role.ENERGY_REPORTER, tree.a),
        asset=staff.asset_a,
        dispatcher=grant(UserFactory(username="disp_a", org_unit=tree.a), Role.VEHICLE_DISPATCHER, tree.a),
        approver=staff.head_a1,
        bureau=staff.admin_a,
        steward=grant(UserFactory(username="steward_a", org_unit=tree.a), Role.DATA_STEWARD, tree.a),
    )


@pytest.fixture
def b_rows(staff, tree):
    """Rows of agency B, each with at least two history versions (so a history form has something to revert to)."""
    seeding.seed_reference_data()
    category = Category.objects.filter(depreciates=True).order_by("code").first()
    asset_b = grant(UserFactory(username="asset_b2", org_unit=tree.b), Role.ASSET_ADMIN, tree.b)
    asset = card(asset_b, tree.b, category, name="乙厅台式机")
    Asset.objects.filter(pk=asset.pk).update(name="乙厅台式机")  # no history row from a queryset update
    asset.name = "乙厅台式机（改）"
    asset.save()
    person = staff.clerk_b1
    services.update_user(actor=staff.admin_b, user=person, job_title="乙科员")
    services.update_org_unit(actor=staff.admin_b, unit=tree.b1, name="乙厅办公室（改）")
    return SimpleNamespace(person=person, unit=tree.b1, asset=asset)


def _urls(obj):
    opts = obj._meta
    info = f"admin:{opts.app_label}_{opts.model_name}"
    oldest = obj.history.order_by("history_id").first()
    return {
        "change": reverse(f"{info}_change", args=[obj.pk]),
        "delete": reverse(f"{info}_delete", args=[obj.pk]),
        "history": reverse(f"{info}_history", args=[obj.pk]),
        "history_form": reverse(f"{info}_simple_history", args=[obj.pk, oldest.history_id]),
    }


def _snapshot(obj):
    fresh = type(obj).objects.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}, fresh.history.count()


@pytest.mark.parametrize("role", ["energy", "asset", "dispatcher", "approver", "bureau", "steward"])
@pytest.mark.parametrize("target", ["person", "unit", "asset"])
def test_another_units_rows_are_404_on_every_admin_object_page_and_never_change(client, roles, b_rows, role, target):
    user, obj = getattr(roles, role), getattr(b_rows, target)
    client.force_login(user)
    before = _snapshot(obj)
    for name, url in _urls(obj).items():
        got = client.get(url)
        # Staff roles get 404; a role without the admin (the approver) is sent to the admin's sign-in page.
        assert got.status_code in (404, 302), (name, got.status_code)
        if user.is_staff:
            assert got.status_code == 404, (name, got.status_code)
        else:
            assert got.status_code == 302 and "/admin/login/" in got["Location"]
        posted = client.post(url, {"name": "被篡改", "job_title": "被篡改", "username": "x", "post": "yes"})
        assert posted.status_code in (404, 403, 302), (name, posted.status_code)
        if user.is_staff:
            assert posted.status_code in (404, 403), (name, posted.status_code)
    assert _snapshot(obj) == before


def test_history_form_of_another_unit_cannot_be_reached_by_guessing_a_version_id(client, roles, b_rows, tree):
    # Own person, but another person's history id: the version must belong to the object in the URL.
    client.force_login(roles.bureau)
    foreign = b_rows.person.history.first().history_id
    url = reverse("admin:datahub_user_simple_history", args=[roles.bureau.pk, foreign])
    assert client.get(url).status_code == 404


def test_view_only_data_steward_reads_the_history_but_cannot_revert(client, roles, staff):
    person = staff.clerk_a1
    services.update_user(actor=staff.admin_a, user=person, job_title="改过的职务")
    client.force_login(roles.steward)
    urls = _urls(person)
    assert client.get(urls["history"]).status_code == 200
    assert client.get(urls["history_form"]).status_code == 200
    before = _snapshot(person)
    response = client.post(urls["history_form"], {"username": person.username, "name": "回滚", "job_title": ""})
    assert response.status_code == 403
    assert _snapshot(person) == before


def test_view_only_asset_admin_reads_own_asset_history_but_cannot_revert(client, roles, tree):
    seeding.seed_reference_data()
    category = Category.objects.filter(depreciates=True).order_by("code").first()
    asset = card(roles.asset, tree.a, category, name="甲厅台式机")
    asset.name = "甲厅台式机（改）"
    asset.save()
    client.force_login(roles.asset)
    urls = _urls(asset)
    assert client.get(urls["history"]).status_code == 200
    before = _snapshot(asset)
    assert client.post(urls["history_form"], {"name": "回滚"}).status_code == 403
    assert _snapshot(asset) == before


def test_bureau_admin_reverts_a_unit_of_own_subtree_from_its_history(client, roles, tree):
    services.update_org_unit(actor=roles.bureau, unit=tree.a1, name="甲厅综合处")
    client.force_login(roles.bureau)
    oldest = tree.a1.history.order_by("history_id").first()
    url = reverse("admin:datahub_orgunit_simple_history", args=[tree.a1.pk, oldest.history_id])
    form = {
        "code": "A1",
        "name": oldest.name,
        "level": "department",
        "kind": oldest.kind,
        "uscc": "",
        "region_code": oldest.region_code,
        "staffing_quota": str(oldest.staffing_quota),
        "is_active": "on",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:1500]
    assert OrgUnit.objects.get(pk=tree.a1.pk).name == oldest.name


def test_history_diff_masks_id_number_and_withholds_phone_for_a_data_steward(client, roles, staff):
    person = staff.clerk_a1
    old_id, old_phone = person.id_number, person.phone
    new_id = "11010519491231002X"
    services.update_user(actor=staff.admin_a, user=person, id_number=new_id, phone="13912345678")
    client.force_login(roles.steward)
    html = client.get(_urls(person)["history"]).content.decode()
    for secret in (old_id, new_id, old_phone, "13912345678"):
        assert secret not in html
    assert "*" * 14 + new_id[-4:] in html
    form_html = client.get(_urls(person)["history_form"]).content.decode()
    assert old_id not in form_html and old_phone not in form_html
    assert not AuditEntry.objects.filter(actor_id=roles.steward.pk).exists()


def test_history_diff_shows_full_values_to_a_bureau_admin_and_audits_it(client, roles, staff):
    person = staff.clerk_a1
    new_id = "11010519491231002X"
    services.update_user(actor=staff.admin_a, user=person, id_number=new_id)
    client.force_login(roles.bureau)
    html = client.get(_urls(person)["history"], HTTP_USER_AGENT="审计测试浏览器").content.decode()
    assert new_id in html
    entry = AuditEntry.objects.get(actor_id=roles.bureau.pk, subject_id=person.pk)
    assert entry.surface == "admin" and "id_number" in entry.fields
    assert entry.ip == "127.0.0.1" and entry.user_agent == "审计测试浏览器"


def test_admin_change_form_masks_id_number_for_a_data_steward(client, roles, staff):
    person = staff.clerk_a1
    client.force_login(roles.steward)
    html = client.get(reverse("admin:datahub_user_change", args=[person.pk])).content.decode()
    assert person.id_number not in html and person.phone not in html
    assert "*" * 14 + person.id_number[-4:] in html


def test_admin_change_form_shows_full_id_to_a_bureau_admin_and_audits_it(client, roles, staff):
    person = staff.clerk_a1
    client.force_login(roles.bureau)
    html = client.get(reverse("admin:datahub_user_change", args=[person.pk])).content.decode()
    assert person.id_number in html
    assert AuditEntry.objects.filter(actor_id=roles.bureau.pk, subject_id=person.pk, surface="admin").count() == 1


def test_admin_search_by_phone_is_off_for_who_cannot_see_phones(client, roles, staff):
    client.force_login(roles.steward)
    url = reverse("admin:datahub_user_changelist")
    html = client.get(url, {"q": staff.clerk_a1.phone}).content.decode()
    assert "clerk_a1" not in html


def test_every_registered_admin_follows_the_platform_rules():
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    from datahub.admin_mixins import _ObjectPagesMixin

    loose = [m.__name__ for m, a in admin.site._registry.items() if not isinstance(a, _ObjectPagesMixin)]
    # Django's own auth Group admin and the token admin are superuser tools without unit data; so are
    # django-oauth-toolkit's (applications, tokens, codes) until the unified-identity issue scopes them.
    oauth2 = {"Application", "AccessToken", "RefreshToken", "IDToken", "Grant"}
    assert set(loose) <= {"Group", "TokenProxy", "Token", "AccessAttempt", "AccessLog", "AccessFailureLog"} | oauth2, (
        loose
    )
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, _ObjectPagesMixin), model.__name__


def test_no_role_keeps_view_user_without_reading_the_directory():
    # The domain administrators lost datahub.view_user with the directory (least privilege).
    from datahub.roles import GROUP_PERMISSIONS

    for role in (Role.VEHICLE_DISPATCHER, Role.SPACE_ADMIN, Role.ASSET_ADMIN, Role.ENERGY_REPORTER):
        assert "datahub.view_user" not in GROUP_PERMISSIONS[role]


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", "²"])
def test_malformed_or_huge_ids_on_admin_object_pages_are_404(client, roles, staff, bad):
    client.force_login(roles.bureau)
    person = staff.clerk_a1
    assert client.get(f"/admin/datahub/user/{bad}/change/").status_code == 404
    assert client.get(f"/admin/datahub/user/{bad}/history/").status_code == 404
    assert client.get(f"/admin/datahub/user/{person.pk}/history/{bad}/").status_code == 404
