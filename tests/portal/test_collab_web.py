"""一网协同 by page and by API: each signer sees their part, another unit sees and decides nothing,
bad input answers with Chinese field errors and writes nothing, and the lists have fixed query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from datahub.roles import Role
from portal import services
from portal.models import AssistPart, Bundle, StepPart, Supervision, Ticket
from tests.factories import UserFactory, grant

from .collab import file_cs, sign

API = "/api/v1/portal/"


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_inbox_page_shows_each_signer_their_part_and_who_signed(login, staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1)
    sign(signers["space"], ticket)
    page = login(signers["asset"]).get(reverse("portal:inbox")).content.decode()
    assert "房产管理员：房管员 同意" in page and "资产管理员：<b>待您会签</b>" in page
    detail = login(signers["asset"]).get(reverse("portal:ticket", args=[ticket.pk])).content.decode()
    assert 'name="part_id"' in detail and "三方会签" in detail


def test_signing_by_page_records_the_part(login, staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1)
    part = StepPart.objects.get(step=ticket.current_step, role=Role.ASSET_ADMIN)
    response = login(signers["asset"]).post(
        reverse("portal:decide", args=[ticket.pk]),
        {"step_id": ticket.current_step_id, "part_id": part.pk, "decision": "approved"},
    )
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.decided_by == signers["asset"]


def test_another_units_signer_cannot_see_or_sign_a_part(login, api, staff, cs_kinds, signers, b_signers):
    ticket = file_cs(staff.clerk_a1)
    outsider = b_signers["asset"]
    assert login(outsider).get(reverse("portal:ticket", args=[ticket.pk])).status_code == 404
    response = login(outsider).post(
        reverse("portal:decide", args=[ticket.pk]), {"step_id": ticket.current_step_id, "decision": "approved"}
    )
    assert response.status_code == 404
    response = api(outsider).post(
        f"{API}tickets/{ticket.pk}/decide/",
        {"step_id": ticket.current_step_id, "decision": "approved"},
        format="json",
    )
    assert response.status_code == 404
    assert not StepPart.objects.filter(step__ticket=ticket).exclude(decision="pending").exists()


def test_countersign_by_api_shows_every_part(api, staff, cs_kinds, signers):
    ticket = file_cs(staff.clerk_a1)
    response = api(signers["bureau"]).post(
        f"{API}tickets/{ticket.pk}/decide/",
        {"step_id": ticket.current_step_id, "decision": "rejected", "comment": ""},
        format="json",
    )
    assert response.status_code == 400 and "请填写意见" in response.json()["fields"]["comment"][0]
    response = api(signers["bureau"]).post(
        f"{API}tickets/{ticket.pk}/decide/", {"step_id": ticket.current_step_id, "decision": "approved"}, format="json"
    )
    assert response.status_code == 200
    parts = response.json()["steps"][0]["parts"]
    assert [(p["name"], p["decision"]) for p in parts] == [
        ("房产管理员", "pending"),
        ("资产管理员", "pending"),
        ("机关事务管理局", "approved"),
    ]


@pytest.fixture
def in_progress(staff, repair_ticket):
    ticket = repair_ticket()
    services.decide(actor=staff.head_a1, ticket=ticket, step_id=ticket.current_step_id, decision="approved")
    return services.start_handling(actor=staff.space_a, ticket=ticket)


def test_co_handling_by_page_with_field_errors_then_by_the_helper_unit(login, staff, tree, in_progress):
    url = reverse("portal:assist-ask", args=[in_progress.pk])
    bad = login(staff.space_a).post(url, {"assist-unit": tree.b.pk, "assist-role": "asset_admin"})
    assert bad.status_code == 400 and "has-error" in bad.content.decode()
    assert not AssistPart.objects.exists()
    helper = grant(UserFactory(username="asset_b", name="乙资产员", org_unit=tree.b), Role.ASSET_ADMIN, tree.b)
    due = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    ok = login(staff.space_a).post(
        url,
        {"assist-unit": tree.b.pk, "assist-role": "asset_admin", "assist-description": "借空调", "assist-due_at": due},
    )
    assert ok.status_code == 302
    part = AssistPart.objects.get()
    queue = login(helper).get(reverse("portal:handling")).content.decode()
    assert "借空调" in queue and in_progress.title in queue
    # Another person of 乙厅 without the role sees neither the part nor the ticket, and cannot answer.
    assert login(staff.clerk_b1).get(reverse("portal:ticket", args=[in_progress.pk])).status_code == 404
    assert (
        login(staff.clerk_b1).post(reverse("portal:assist-complete", args=[part.pk]), {"text": "x"}).status_code == 404
    )
    login(helper).post(reverse("portal:assist-complete", args=[part.pk]), {"text": "已借出"})
    part.refresh_from_db()
    assert part.state == "done"


def test_co_handling_by_api(api, staff, tree, in_progress):
    helper = grant(UserFactory(username="asset_b", name="乙资产员", org_unit=tree.b), Role.ASSET_ADMIN, tree.b)
    bad = api(staff.space_a).post(
        f"{API}tickets/{in_progress.pk}/assist/",
        {"unit": tree.b.pk, "role": "asset_admin", "description": "借空调", "due_at": "2020-01-01T00:00:00+08:00"},
        format="json",
    )
    assert bad.status_code == 400 and "协办时限须晚于现在" in bad.json()["fields"]["due_at"][0]
    due = (timezone.now() + timedelta(days=1)).isoformat()
    made = api(staff.space_a).post(
        f"{API}tickets/{in_progress.pk}/assist/",
        {"unit": tree.b.pk, "role": "asset_admin", "description": "借空调", "due_at": due},
        format="json",
    )
    assert made.status_code == 201
    assert [a["id"] for a in api(helper).get(f"{API}assists/").json()["results"]] == [made.json()["id"]]
    assert api(staff.clerk_b1).get(f"{API}assists/").json()["results"] == []
    refused = api(staff.clerk_b1).post(f"{API}assists/{made.json()['id']}/decline/", {"text": "x"}, format="json")
    assert refused.status_code == 404
    empty = api(helper).post(f"{API}assists/{made.json()['id']}/decline/", {"text": ""}, format="json")
    assert empty.status_code == 400 and "text" in empty.json()["fields"]
    done = api(helper).post(f"{API}assists/{made.json()['id']}/decline/", {"text": "非本单位"}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "declined"


def test_supervision_by_page_and_api(login, api, staff, repair_ticket):
    ticket = repair_ticket()
    url = reverse("portal:supervise", args=[ticket.pk])
    deadline = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    bad = login(staff.leader).post(url, {"supervise-note": "", "supervise-deadline": deadline})
    assert bad.status_code == 400 and not Supervision.objects.exists()
    assert login(staff.admin_b).post(url, {"supervise-note": "快", "supervise-deadline": deadline}).status_code == 404
    assert (
        login(staff.leader).post(url, {"supervise-note": "请加快", "supervise-deadline": deadline}).status_code == 302
    )
    inbox = login(staff.head_a1).get(reverse("portal:inbox")).content.decode()
    assert 'class="tag supervised"' in inbox
    page = login(staff.leader).get(reverse("portal:supervision")).content.decode()
    assert "请加快" in page and "督办中" in page
    assert login(staff.clerk_a1).get(reverse("portal:supervision")).status_code == 403
    rows = api(staff.leader).get(f"{API}supervisions/").json()
    assert [(r["note"], r["standing"]) for r in rows] == [("请加快", "open")]
    assert api(staff.leader).get(f"{API}supervisions/", {"state": "x"}).status_code == 400


def test_onboarding_bundle_by_page_and_api(login, api, staff, tree):
    newcomer = UserFactory(username="newbie", name="新同事", org_unit=tree.a1)
    start = (timezone.localdate() + timedelta(days=7)).isoformat()
    url = reverse("portal:bundle-new", args=["onboarding"])
    bad = login(staff.clerk_a1).post(url, {"person": newcomer.pk, "start_on": "2020-01-01"})
    assert bad.status_code == 400 and "到岗日期不能早于今天" in bad.content.decode()
    assert not Bundle.objects.exists() and not Ticket.objects.exists()
    outsider = UserFactory(username="b_person", org_unit=tree.b1)
    foreign = login(staff.clerk_a1).post(url, {"person": outsider.pk, "start_on": start})
    assert foreign.status_code == 400 and not Bundle.objects.exists()
    response = login(staff.clerk_a1).post(url, {"person": newcomer.pk, "start_on": start})
    bundle = Bundle.objects.get()
    assert response.status_code == 302 and bundle.members.count() == 3
    page = login(staff.clerk_a1).get(reverse("portal:bundle", args=[bundle.pk])).content.decode()
    assert "新人入职：新同事" in page and "办理中" in page
    assert login(staff.clerk_b1).get(reverse("portal:bundle", args=[bundle.pk])).status_code == 404
    assert api(staff.clerk_b1).get(f"{API}bundles/{bundle.pk}/").status_code == 404
    got = api(staff.clerk_a1).get(f"{API}bundles/{bundle.pk}/").json()
    assert got["state"] == "in_progress" and len(got["members"]) == 3
    bad_api = api(staff.clerk_a1).post(
        f"{API}bundles/", {"kind": "onboarding", "data": {"person": newcomer.pk}}, format="json"
    )
    assert bad_api.status_code == 400 and "start_on" in bad_api.json()["fields"]
    assert Bundle.objects.count() == 1


def _queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_collaboration_lists_use_a_fixed_number_of_queries(api, staff, tree, in_progress):
    """The same number of queries for 2 rows as for 6: no query per row (and never more than the pin)."""
    from datahub.models import User

    helper = grant(UserFactory(username="asset_b", name="乙资产员", org_unit=tree.b), Role.ASSET_ADMIN, tree.b)

    def add(i):
        services.assist_ask(
            actor=staff.space_a,
            ticket=in_progress,
            unit=tree.b,
            role=Role.ASSET_ADMIN,
            description=f"事项{i}",
            due_at=timezone.now() + timedelta(days=1),
        )
        services.bundle_file(
            requester=staff.clerk_a1,
            bundle_code="onboarding",
            data={"person": staff.clerk_a1, "start_on": timezone.localdate() + timedelta(days=3 + i)},
        )

    def assists():
        assert api(User.objects.get(pk=helper.pk)).get(f"{API}assists/").status_code == 200

    def bundles():
        assert api(User.objects.get(pk=staff.clerk_a1.pk)).get(f"{API}bundles/").status_code == 200

    for i in range(2):
        add(i)
    few = (_queries(assists), _queries(bundles))
    for i in range(2, 6):
        add(i)
    many = (_queries(assists), _queries(bundles))
    assert few == many and many[0] <= 5 and many[1] <= 6, many


def test_countersign_inbox_query_count_is_fixed(api, staff, cs_kinds, signers):
    """Each row shows its countersign parts and their signers: prefetched, not one query per row."""
    from datahub.models import User

    def inbox():
        return api(User.objects.get(pk=signers["asset"].pk)).get(f"{API}tickets/", {"box": "inbox"}).json()

    for i in range(2):
        file_cs(staff.clerk_a1, location=f"{i}室")
    few = _queries(inbox)
    for i in range(2, 6):
        file_cs(staff.clerk_a1, location=f"{i}室")
    assert _queries(inbox) == few <= 6
    assert len(inbox()["results"]) == 6


def test_a_refused_supervision_shows_its_own_errors_after_the_form_was_drawn_blank(login, staff, repair_ticket):
    """The blank supervision form is drawn once per language; a refused one is the person's own, with its errors
    and what they typed."""
    ticket = repair_ticket()
    leader = login(staff.leader)
    blank = leader.get(reverse("portal:ticket", args=[ticket.pk])).content.decode()
    assert 'name="supervise-note"' in blank and "请加快" not in blank
    bad = leader.post(
        reverse("portal:supervise", args=[ticket.pk]), {"supervise-note": "请加快", "supervise-deadline": ""}
    )
    assert bad.status_code == 400 and not Supervision.objects.exists()
    page = bad.content.decode()
    assert 'value="请加快"' in page and 'class="field has-error"' in page
