"""The audit trail: every unmasked read or export of another person's 身份证号/phone and every failed sign-in is
appended with who, when, IP and browser; the trail cannot be changed or deleted, keeps ≥ 6 months, and
auditors search it within their subtree."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from datahub import services
from datahub.models import AppendOnlyError, AuditEntry, User
from datahub.roles import Role
from tests.factories import PASSWORD, UserFactory, grant, superuser

UA = "Mozilla/5.0 审计测试"


@pytest.fixture
def auditor_a(tree):
    return grant(UserFactory(username="auditor_a", org_unit=tree.a), Role.AUDITOR, tree.a)


def test_person_page_with_full_id_number_is_audited_with_ip_and_browser(client, people):
    client.force_login(people.admin_a)
    html = client.get(
        reverse("person-detail", args=[people.clerk_a1.pk]), HTTP_USER_AGENT=UA, REMOTE_ADDR="10.1.2.3"
    ).content.decode()
    assert people.clerk_a1.id_number in html
    entry = AuditEntry.objects.get(subject_id=people.clerk_a1.pk)
    assert entry.kind == AuditEntry.Kind.READ and entry.surface == "page"
    assert entry.actor_id == people.admin_a.pk and entry.actor_username == "admin_a"
    assert set(entry.fields.split(",")) == {"id_number", "phone"}
    assert entry.ip == "10.1.2.3" and entry.user_agent == UA


def test_reading_your_own_page_is_not_audited(client, people):
    client.force_login(people.clerk_a1)
    html = client.get(reverse("person-detail", args=[people.clerk_a1.pk])).content.decode()
    assert people.clerk_a1.id_number in html
    assert not AuditEntry.objects.exists()


def test_masked_reads_are_not_audited(client, people, tree):
    steward = grant(UserFactory(username="steward", org_unit=tree.a), Role.DATA_STEWARD, tree.a)
    client.force_login(steward)
    html = client.get(reverse("person-detail", args=[people.clerk_a1.pk])).content.decode()
    assert people.clerk_a1.id_number not in html
    assert "*" * 14 + people.clerk_a1.id_number[-4:] in html
    assert not AuditEntry.objects.exists()


def test_api_list_audits_one_row_per_person_shown_unmasked(api, people):
    body = api(people.admin_a).get("/api/v1/users/").json()
    shown = {p["id"] for p in body["results"] if p["id"] != people.admin_a.pk and (p["id_number"] or p["phone"])}
    audited = set(
        AuditEntry.objects.filter(actor_id=people.admin_a.pk, surface="api").values_list("subject_id", flat=True)
    )
    assert shown and audited == shown


def test_export_with_full_id_numbers_is_audited_as_an_export(client, people):
    client.force_login(people.admin_a)
    response = client.get(reverse("person-list"), {"export": "xlsx"}, HTTP_USER_AGENT=UA)
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "身份证号" in rows[0] and people.clerk_a1.id_number in {c for r in rows for c in r}
    entries = AuditEntry.objects.filter(kind=AuditEntry.Kind.EXPORT, actor_id=people.admin_a.pk)
    assert people.clerk_a1.pk in set(entries.values_list("subject_id", flat=True))
    assert entries.first().user_agent == UA and entries.first().surface == "export"


def test_failed_sign_ins_are_kept_after_the_next_successful_one(client, people):
    login = reverse("login")
    for _ in range(2):
        client.post(login, {"username": "clerk_a1", "password": "wrong"}, HTTP_USER_AGENT=UA, REMOTE_ADDR="10.9.9.9")
    client.post(login, {"username": "nobody-here", "password": "wrong"}, REMOTE_ADDR="10.9.9.8")
    assert client.post(login, {"username": "clerk_a1", "password": PASSWORD}).status_code == 302
    failures = AuditEntry.objects.filter(kind=AuditEntry.Kind.SIGN_IN_FAILED)
    assert failures.count() == 3
    mine = failures.filter(actor_id=people.clerk_a1.pk)
    assert mine.count() == 2 and {e.ip for e in mine} == {"10.9.9.9"} and mine.first().user_agent == UA
    assert failures.get(actor_username="nobody-here").actor_id is None


def test_a_failed_api_token_request_is_kept_too(api, people):
    api().post("/api/v1/auth/token/", {"username": "clerk_a1", "password": "wrong"}, REMOTE_ADDR="10.7.7.7")
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.SIGN_IN_FAILED)
    assert entry.actor_id == people.clerk_a1.pk and entry.ip == "10.7.7.7"


def test_audit_rows_cannot_be_changed_or_deleted(people):
    entry = services.record_sign_in_failure(username="clerk_a1")
    entry.actor_username = "someone-else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(actor_username="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).actor_username == "clerk_a1"


@override_settings(AUDIT_RETENTION_DAYS=30)
def test_purge_never_deletes_rows_younger_than_six_months_whatever_the_setting(people):
    now = timezone.now()
    young = services.record_sign_in_failure(username="young")
    AuditEntry.objects.create(
        kind=AuditEntry.Kind.SIGN_IN_FAILED, actor_username="five-months", at=now - timedelta(days=150)
    )
    AuditEntry.objects.create(
        kind=AuditEntry.Kind.SIGN_IN_FAILED, actor_username="seven-months", at=now - timedelta(days=210)
    )
    assert services.audit_retention_days() == 183
    assert services.purge_expired_audit() == 1
    assert set(AuditEntry.objects.values_list("actor_username", flat=True)) == {young.actor_username, "five-months"}


def test_purge_task_keeps_the_configured_longer_period(people, eager_celery):
    from datahub.tasks import purge_expired_audit

    AuditEntry.objects.create(
        kind=AuditEntry.Kind.SIGN_IN_FAILED, actor_username="old", at=timezone.now() - timedelta(days=300)
    )
    result = purge_expired_audit.delay().get()  # eager on purpose: the task only calls the service
    assert result == {"deleted": 0, "retention_days": 365}
    assert AuditEntry.objects.count() == 1


def test_audit_admin_is_read_only_even_for_superusers(client, people):
    root = User.objects.filter(is_superuser=True).first() or superuser()
    entry = services.record_sign_in_failure(username="clerk_a1")
    client.force_login(root)
    assert client.get(reverse("admin:datahub_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:datahub_auditentry_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:datahub_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:datahub_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    client.post(reverse("admin:datahub_auditentry_change", args=[entry.pk]), {"actor_username": "x"})
    client.post(
        reverse("admin:datahub_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert AuditEntry.objects.get(pk=entry.pk).actor_username == "clerk_a1"


def test_auditor_sees_entries_of_own_subtree_only(client, people, auditor_a):
    services.record_sign_in_failure(username="clerk_a1")
    services.record_sign_in_failure(username="clerk_b1")
    services.record_sign_in_failure(username="nobody")
    client.force_login(auditor_a)
    html = client.get(reverse("audit-log")).content.decode()
    assert "clerk_a1" in html and "clerk_b1" not in html and "nobody" not in html
    assert client.get(reverse("admin:datahub_auditentry_changelist")).status_code == 200
    admin_html = client.get(reverse("admin:datahub_auditentry_changelist")).content.decode()
    assert "clerk_a1" in admin_html and "clerk_b1" not in admin_html
    b_entry = AuditEntry.objects.get(actor_username="clerk_b1")
    assert client.get(reverse("admin:datahub_auditentry_change", args=[b_entry.pk])).status_code == 404


def test_auditor_filters_pages_and_exports_the_log(client, people, auditor_a, django_assert_max_num_queries):
    for _ in range(60):
        services.record_sign_in_failure(username="clerk_a1")
    client.force_login(people.admin_a)
    client.get(reverse("person-detail", args=[people.clerk_a1.pk]))
    client.force_login(auditor_a)
    url = reverse("audit-log")
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200 and "page=2" in page.content.decode()
    reads = client.get(url, {"kind": "read", "subject": people.clerk_a1.name}).content.decode()
    assert "admin_a" in reads and "登录失败" not in reads.split("<tbody>")[1]
    assert client.get(url, {"ip": "not-an-ip", "since": "2026-02-30"}).status_code == 200
    response = client.get(url, {"kind": "sign_in_failed", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "时间" and len(rows) == 61


def test_audit_page_is_for_auditors_only(client, people):
    client.force_login(people.admin_a)
    assert client.get(reverse("audit-log")).status_code == 403


def test_auditor_group_holds_only_the_audit_view_permission(auditor_a):
    perms = set(auditor_a.get_all_permissions())
    assert "datahub.view_auditentry" in perms
    assert not perms & {"datahub.change_auditentry", "datahub.delete_auditentry", "datahub.add_auditentry"}
    assert Permission.objects.filter(codename="role_auditor").exists()


@pytest.mark.postgres
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: the append-only trigger lives there",
)
def test_postgresql_refuses_raw_updates_and_deletes_of_young_audit_rows(people):
    from django.db import DatabaseError, connection, transaction

    entry = services.record_sign_in_failure(username="clerk_a1")
    old = AuditEntry.objects.create(
        kind=AuditEntry.Kind.SIGN_IN_FAILED, actor_username="old", at=timezone.now() - timedelta(days=200)
    )
    for sql, args in (
        ("UPDATE datahub_auditentry SET actor_username = 'x' WHERE id = %s", [entry.pk]),
        ("DELETE FROM datahub_auditentry WHERE id = %s", [entry.pk]),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, args)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM datahub_auditentry WHERE id = %s", [old.pk])
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [entry.pk]
