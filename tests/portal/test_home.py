"""The home page answers "what do I need to do", per role (issue #19): a civil servant's own requests and
where each stands, an approver's inbox first with time limits marked and a select-all for bulk approval, a
domain administrator's queue and ledger health, the leader's way to the command center."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portal import rules
from portal.models import Ticket
from tests.factories import UserFactory, grant
from tests.portal.test_pages import requisition


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_civil_servants_home_lists_their_requests_with_step_holder_and_due(client, staff, repair_ticket):
    ticket = repair_ticket()
    html = _home(client, staff.clerk_a1)
    panel = html[html.index('id="home-mine"') :]
    assert f"#{ticket.pk} {ticket.title}" in panel
    assert ticket.current_step.name in panel and "甲处长" in panel  # the step and who holds it
    assert timezone.localtime(ticket.due_at).strftime("%m-%d %H:%M") in panel
    assert reverse("portal:home") in panel and "发起新申请" in panel
    # No directory totals and no inbox the civil servant will never use.
    assert "可见在岗人员" not in html and 'id="home-inbox"' not in html


def test_another_persons_request_is_not_on_my_home(client, staff, repair_ticket):
    theirs = repair_ticket(requester=staff.clerk_b1)
    assert theirs.title not in _home(client, staff.clerk_a1).split('id="home-mine"')[1].split("</section>")[0]


def test_approvers_home_leads_with_the_inbox_marking_near_and_past_limits(client, staff, repair_ticket):
    near, late, later = repair_ticket(), repair_ticket(), repair_ticket()
    now = timezone.now()
    Ticket.objects.filter(pk=near.pk).update(due_at=now + timedelta(hours=3))
    Ticket.objects.filter(pk=late.pk).update(due_at=now - timedelta(hours=1))
    Ticket.objects.filter(pk=later.pk).update(due_at=now + timedelta(days=5))
    html = _home(client, staff.head_a1)
    assert html.index('id="home-inbox"') < html.index('id="home-mine"')
    inbox = html[html.index('id="home-inbox"') : html.index('id="home-mine"')]
    rows = {
        pk: inbox.split(f'href="/portal/tickets/{pk}/"')[0].rsplit("<tr", 1)[1] for pk in (near.pk, late.pk, later.pk)
    }
    assert 'class="limit-near"' in rows[near.pk]
    assert 'class="limit-overdue"' in rows[late.pk]
    assert "limit-" not in rows[later.pk]
    assert "2 件临近或超过时限" in inbox


def test_limit_state_rule():
    now = timezone.now()
    assert rules.limit_state(None, now) == ""
    assert rules.limit_state(now - timedelta(minutes=1), now) == "overdue"
    assert rules.limit_state(now + rules.NEAR_LIMIT, now) == "near"
    assert rules.limit_state(now + rules.NEAR_LIMIT + timedelta(minutes=1), now) == ""


def test_approvers_inbox_offers_select_all_for_bulk_approvable_kinds(client, staff):
    ticket = requisition(staff)
    html = _home(client, staff.head_a1)
    inbox = html[html.index('id="home-inbox"') :]
    assert 'data-select-all="home-bulk"' in inbox
    assert f'name="ticket" value="{ticket.pk}" form="home-bulk"' in inbox
    assert reverse("portal:bulk-approve") in inbox
    list_html = client.get(reverse("portal:inbox")).content.decode()
    assert 'data-select-all="bulk"' in list_html


def test_domain_administrators_home_leads_with_queue_and_ledger_health(client, staff, tree):
    html = _home(client, staff.space_a)
    assert 'id="home-queue"' in html and 'id="home-health"' in html
    assert "待我办理的申请" in html and "超标准用房待处理" in html
    assert html.index('id="home-queue"') < html.index('id="home-mine"')
    dispatcher = grant(UserFactory(org_unit=tree.a), "vehicle_dispatcher", tree.a)
    html = _home(client, dispatcher)
    assert "待派车的用车申请" in html and "保险 30 日内到期或已过期的车辆" in html
    assert reverse("vehicles:vehicle-list") + "?insurance_expiring=1" in html
    # A civil servant has no such block.
    assert 'id="home-queue"' not in _home(client, staff.clerk_a1)


def test_leaders_home_points_to_the_command_center(client, people):
    html = _home(client, people.leader)
    assert html.index('id="home-leader"') < html.index("我的功能")
    assert reverse("commandcenter:index") in html
