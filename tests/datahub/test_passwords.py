"""Password rules per 等保 2.0 level 3, with Chinese messages: at least 10 characters from at least
three of four classes, none of the last PASSWORD_HISTORY_COUNT reused, and a maximum age after
which the person must change it before doing anything else (pages) or getting an API token."""

import secrets
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from datahub import services as directory_services
from datahub.auth import selectors
from datahub.management.commands.seed_demo import DEMO_PASSWORD
from datahub.models import PasswordRecord, User
from tests.factories import PASSWORD, UserFactory


def messages_for(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


def change_password(user, password):
    """The way an administrator sets a password (validators run, then the new hash is saved)."""
    root = UserFactory(is_superuser=True, is_staff=True)
    return directory_services.update_user(actor=root, user=user, password=password)


# --- length and character classes ----------------------------------------------------------------


def test_the_demo_password_passes_every_rule(people):
    assert messages_for(DEMO_PASSWORD, people.clerk_a1) == []


def test_a_password_under_ten_characters_is_refused_in_chinese():
    assert any("密码太短" in m and "10" in m for m in messages_for("Ab3-xyz-9"))


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("qwertyuiopzx", "大写字母、数字、特殊字符"),
        ("qwertyuiop2026", "大写字母、特殊字符"),
        ("QWERTYuiopasd", "数字、特殊字符"),
        ("qwerty-uiop-asd", "大写字母、数字"),
    ],
)
def test_fewer_than_three_character_classes_are_refused_naming_what_is_missing(password, missing):
    found = [m for m in messages_for(password) if "至少3类" in m]
    assert found, messages_for(password)
    assert f"缺少{missing}" in found[0]


@pytest.mark.parametrize("password", ["Qwertyuiop2026", "qwerty-uiop-2026", "QWERTY-UIOP-2026", "Qwerty-Uiop-Asdf"])
def test_any_three_of_the_four_classes_pass(password):
    assert not [m for m in messages_for(password) if "至少3类" in m]


def test_cjk_and_spaces_count_as_special_characters():
    assert not [m for m in messages_for("办公用房 manager 2026") if "至少3类" in m]


# --- no reuse --------------------------------------------------------------------------------------


def test_every_password_set_is_recorded_as_a_hash(people):
    user = change_password(people.clerk_a1, "Second-Pass-2026")
    record = PasswordRecord.objects.get(user=user)
    assert record.password == user.password
    assert "Second-Pass-2026" not in record.password


def test_the_current_password_cannot_be_chosen_again(people):
    with pytest.raises(ValidationError) as exc:
        change_password(people.clerk_a1, PASSWORD)
    assert "不能与最近使用过的5个密码相同" in exc.value.message_dict["password"][0]


def test_none_of_the_last_five_may_be_reused_the_sixth_may(people):
    user = people.clerk_a1
    chosen = [f"Rotation-{i}-2026" for i in range(6)]
    for password in chosen:
        user = change_password(user, password)
    # The last five are remembered (and no more rows than that are kept) ...
    assert PasswordRecord.objects.filter(user=user).count() == 5
    for password in chosen[1:]:
        assert any("最近使用过" in m for m in messages_for(password, user)), password
    # ... the one before them, and the factory's original, may come back.
    assert messages_for(chosen[0], user) == []
    assert messages_for(PASSWORD, user) == []


def test_a_refused_reuse_leaves_the_password_unchanged(people):
    before = User.objects.get(pk=people.clerk_a1.pk).password
    with pytest.raises(ValidationError):
        change_password(people.clerk_a1, PASSWORD)
    assert User.objects.get(pk=people.clerk_a1.pk).password == before
    assert not PasswordRecord.objects.filter(user=people.clerk_a1).exists()


@override_settings(PASSWORD_HISTORY_COUNT=2)
def test_the_number_remembered_comes_from_settings(people):
    user = people.clerk_a1
    for password in ("History-One-2026", "History-Two-2026", "History-Three-2026"):
        user = change_password(user, password)
    assert messages_for("History-One-2026", user) == []
    assert any("最近使用过的2个密码" in m for m in messages_for("History-Two-2026", user))


def test_the_password_change_page_refuses_reuse_in_chinese(client, people):
    client.force_login(people.clerk_a1)
    response = client.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "不能与最近使用过的5个密码相同" in response.content.decode()


def test_the_password_change_page_changes_it(client, people):
    client.force_login(people.clerk_a1)
    new = "Fresh-Start-2026"
    response = client.post(
        reverse("password-change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=people.clerk_a1.pk).check_password(new)
    assert PasswordRecord.objects.filter(user=people.clerk_a1).count() == 1


# --- maximum age -----------------------------------------------------------------------------------


def age_password(user, days):
    PasswordRecord.objects.filter(user=user).delete()
    PasswordRecord.objects.create(user=user, password=user.password, changed_at=timezone.now() - timedelta(days=days))


def sign_in(client, username="clerk_a1", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_an_expired_password_sends_the_person_to_change_it_at_sign_in(client, people):
    age_password(people.clerk_a1, 91)
    sign_in(client)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('password-change')}?expired=1"
    page = client.get(response["Location"]).content.decode()
    assert "您的密码已超过使用期限" in page


def test_every_page_is_closed_until_the_password_is_changed(client, people):
    age_password(people.clerk_a1, 91)
    sign_in(client)
    for url in (reverse("person-list"), reverse("account-security"), "/portal/"):
        assert client.get(url)["Location"].startswith(reverse("password-change")), url
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["detail"] == "密码已过期，请先在网页修改密码。"
    new = "Renewed-Pass-2026"
    client.post(reverse("password-change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert client.get(reverse("home")).status_code == 200
    assert selectors.password_expires_at(User.objects.get(pk=people.clerk_a1.pk)) > timezone.now() + timedelta(days=89)


def test_signing_out_stays_possible_with_an_expired_password(client, people):
    age_password(people.clerk_a1, 91)
    sign_in(client)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_password_within_its_age_is_not_interrupted(client, people):
    age_password(people.clerk_a1, 89)
    sign_in(client)
    assert client.get(reverse("home")).status_code == 200


@override_settings(PASSWORD_MAX_AGE_DAYS=0)
def test_expiry_can_be_switched_off(client, people):
    age_password(people.clerk_a1, 4000)
    sign_in(client)
    assert client.get(reverse("home")).status_code == 200


@override_settings(PASSWORD_MAX_AGE_DAYS=30)
def test_the_maximum_age_comes_from_settings(client, people):
    age_password(people.clerk_a1, 31)
    sign_in(client)
    assert client.get(reverse("home")).status_code == 302


def test_no_api_token_for_an_expired_password(api, people):
    age_password(people.clerk_a1, 91)
    address = "10.{}.{}.{}".format(*(secrets.randbelow(250) + 1 for _ in range(3)))
    response = api().post(
        reverse("api-token"), {"username": "clerk_a1", "password": PASSWORD}, format="json", REMOTE_ADDR=address
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "密码已过期，请先登录网页修改密码，再获取API令牌。", "fields": {}}


def test_the_migration_starts_the_clock_of_every_usable_password_and_only_those(people, tree):
    from importlib import import_module

    from django.apps import apps

    no_password = UserFactory(org_unit=tree.a1, password="!unusable")
    import_module("datahub.migrations.0007_start_password_clocks").start_clocks(apps, None)
    clerk = User.objects.get(pk=people.clerk_a1.pk)
    assert PasswordRecord.objects.get(user=clerk).password == clerk.password
    assert not PasswordRecord.objects.filter(user=no_password).exists()
    assert timezone.now() + timedelta(days=89) < selectors.password_expires_at(clerk)
