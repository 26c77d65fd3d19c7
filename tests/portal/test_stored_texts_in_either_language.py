"""More of what the platform writes into rows reads in the reader's language (issue #19): a countersign's
result and the signers still awaited, a 一件事's title, the people a supervision names, the remark of a bulk
approval. The row keeps the Chinese sentence; a zh-hans reader sees it as before, an English reader reads
the same row in English, names listed "A, B" instead of "A、B". A person's saved language decides the
language of their e-mails, and an English reader finds a request by the words of its title they see."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from datahub.keyed import Keyed
from datahub.models import User
from datahub.rules import Rank
from portal import selectors, services
from portal.mail import send_notification_emails
from portal.models import Bundle, Notification, TimelineEntry
from tests.factories import UserFactory

from .collab import file_cs, sign

ZH, EN = "zh-hans", "en"


def read(language, make):
    with translation.override(language):
        return str(make())


def test_a_countersign_result_names_each_signer_and_decision_in_the_readers_language(staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1)
    step = ticket.current_step
    for who in ("space", "asset", "bureau"):
        sign(signers[who], ticket)
    step.refresh_from_db()
    assert step.comment == "会签结果：房产管理员同意；资产管理员同意；机关事务管理局同意"
    assert read(ZH, lambda: step.shown_comment) == step.comment
    assert read(EN, lambda: step.shown_comment) == (
        "Countersign result: Property administrator: Approve; Asset administrator: Approve; "
        "Government Offices Administration: Approve"
    )
    # The same result goes on the timeline as the move to the next step, read the same way.
    entry = TimelineEntry.objects.get(ticket=ticket, action="approve_step")
    assert read(EN, lambda: entry.shown_comment) == read(EN, lambda: step.shown_comment)


def test_the_signers_still_awaited_are_listed_the_readers_way(staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1)
    sign(signers["space"], ticket)
    note = Notification.objects.get(user=staff.clerk_a1, key__endswith=":signed")
    assert "尚待资产管理员、机关事务管理局" in read(ZH, lambda: note.shown_message)
    assert "Asset administrator, Government Offices Administration" in read(EN, lambda: note.shown_message)
    assert "、" not in read(EN, lambda: note.shown_message)


def test_the_countersign_page_shows_the_result_in_english(client, staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1)
    for who in ("space", "asset", "bureau"):
        sign(signers[who], ticket)
    client.force_login(staff.clerk_a1)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("portal:ticket", args=[ticket.pk])).content.decode()
    assert "Countersign result: Property administrator: Approve" in page and "会签结果" not in page


@pytest.fixture
def newcomer(tree):
    return UserFactory(username="newbie", name="新同事", org_unit=tree.a1, rank=Rank.STAFF_1, job_title="科员")


def onboard(staff, newcomer):
    data = {"person": newcomer, "start_on": timezone.localdate() + timedelta(days=7), "roles": "", "note": ""}
    return services.bundle_file(requester=staff.clerk_a1, bundle_code="onboarding", data=data)


def test_a_bundles_title_reads_in_the_readers_language_and_is_stored_in_chinese(client, staff, newcomer):
    bundle = Bundle.objects.get(pk=onboard(staff, newcomer).pk)
    assert bundle.title == "新人入职：新同事"
    assert read(ZH, lambda: bundle.shown_title) == "新人入职：新同事"
    assert read(EN, lambda: bundle.shown_title) == "New hire: 新同事"
    client.force_login(staff.clerk_a1)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "New hire: 新同事" in client.get(reverse("portal:bundle", args=[bundle.pk])).content.decode()
    assert "New hire: 新同事" in client.get(reverse("portal:bundles")).content.decode()


def test_the_people_a_supervision_names_are_listed_the_readers_way(staff, repair_ticket):
    ticket = repair_ticket()
    people = [staff.head_a1, staff.space_a]
    services.supervision_open(
        actor=staff.leader, ticket=ticket, note="请加快", deadline=timezone.now() + timedelta(days=2), supervised=people
    )
    entry = TimelineEntry.objects.get(ticket=ticket, action="supervise")
    zh, en = read(ZH, lambda: entry.shown_comment), read(EN, lambda: entry.shown_comment)
    assert f"督办（{people[0].name}、{people[1].name}）" in zh and zh == entry.comment
    assert en.startswith(f"Supervised ({people[0].name}, {people[1].name}): ")


def test_a_bulk_approvals_remark_reads_in_the_readers_language(staff, repair_ticket):
    ticket = repair_ticket()
    services.decide(
        actor=staff.head_a1,
        ticket=ticket,
        step_id=ticket.current_step_id,
        decision="approved",
        comment=Keyed(gettext_noop("批量同意")),
    )
    step = ticket.steps.get(index=1)
    assert (step.comment, read(ZH, lambda: step.shown_comment), read(EN, lambda: step.shown_comment)) == (
        "批量同意",
        "批量同意",
        "Approved in bulk",
    )


# --- A saved language, and the e-mails written in it ----------------------------------------------


def test_the_language_switch_saves_a_signed_in_persons_choice(client, staff):
    assert staff.clerk_a1.language == ""  # none chosen yet: e-mails in the platform's language
    client.force_login(staff.clerk_a1)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert User.objects.get(pk=staff.clerk_a1.pk).language == EN
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})  # not one of the platform's
    assert User.objects.get(pk=staff.clerk_a1.pk).language == EN
    client.post(reverse("set_language"), {"language": ZH, "next": "/"})
    assert User.objects.get(pk=staff.clerk_a1.pk).language == ZH


def test_signing_in_brings_back_the_saved_language(client, staff):
    staff.clerk_a1.set_password("Zj-2026-pass-word")
    staff.clerk_a1.language = EN
    staff.clerk_a1.save()
    response = client.post(reverse("login"), {"username": "clerk_a1", "password": "Zj-2026-pass-word"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == EN


def test_signing_in_keeps_the_browsers_language_until_one_is_chosen(client, staff):
    staff.clerk_a1.set_password("Zj-2026-pass-word")
    staff.clerk_a1.save()
    client.cookies["django_language"] = EN  # chosen on the sign-in page
    response = client.post(reverse("login"), {"username": "clerk_a1", "password": "Zj-2026-pass-word"})
    assert response.status_code == 302
    assert "django_language" not in response.cookies  # the browser's English stays
    assert client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN")["Content-Language"] == EN


def test_each_notification_email_is_written_in_its_recipients_language(staff, repair_ticket):
    User.objects.filter(pk=staff.head_a1.pk).update(language=EN)
    ticket = repair_ticket()
    services.decide(
        actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="returned", comment="请补充照片"
    )
    mail.outbox.clear()
    send_notification_emails()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    english, chinese = by_recipient[staff.head_a1.email], by_recipient[staff.clerk_a1.email]
    assert english.subject.startswith("[Yiwang Xietong] Awaiting your approval: Repair: 1号楼 502室 (Air conditioning)")
    assert english.body.startswith(f"Dear {staff.head_a1.name},") and "Sign in to Yiwang Xietong" in english.body
    assert chinese.subject.startswith("【一网协同】您的申请被退回修改：维修报修：1号楼 502室（空调）")
    assert chinese.body.startswith(f"{staff.clerk_a1.name}，您好：") and "请补充照片" in chinese.body


# --- Finding a request by its title ----------------------------------------------------------------


def test_a_reader_finds_a_request_by_the_words_of_its_title_they_see(staff, repair_ticket):
    ticket = repair_ticket()

    def found(language, search):
        with translation.override(language):
            return list(selectors.my_tickets(staff.clerk_a1, search=search).values_list("pk", flat=True))

    assert found(ZH, "维修报修") == [ticket.pk]
    assert found(EN, "repair") == [ticket.pk]  # the English title reads "Repair: 1号楼 502室 (Air conditioning)"
    assert found(EN, "维修报修") == [ticket.pk]  # the stored Chinese still matches
    assert found(EN, "502室") == [ticket.pk]  # what was typed into it, in any language
    assert found(ZH, "repair") == []  # a Chinese reader sees no English words
    assert found(EN, "meeting") == []
