"""End to end in a real headless Chromium (Debian's package, driven by Playwright): a department head
files the 新人入职一件事 for a newcomer of their department from one form, lands on the bundle's page and
sees its combined status — 办理中 with its three members, then 部分未批准 once one member is refused.
Screenshots go to test-output/e2e/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from datahub.rules import Rank
from portal import services
from portal.models import Bundle
from portal.workflow import Status
from tests.factories import UserFactory

from .test_browser import browser, shot, sign_in  # noqa: F401  (the browser fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_department_head_files_the_onboarding_bundle_and_sees_its_combined_status(browser, live_server, staff, tree):  # noqa: F811
    newcomer = UserFactory(username="newbie", name="新同事", org_unit=tree.a1, rank=Rank.STAFF_1, job_title="科员")
    head = sign_in(browser, live_server, "head_a1")
    head.goto(f"{live_server.url}/portal/bundles/")
    head.click("text=新人入职一件事")

    # A start date in the past first: the form says which field and why, and nothing is filed.
    head.select_option("#id_person", str(newcomer.pk))
    head.fill("#id_start_on", (timezone.localdate() - timedelta(days=1)).isoformat())
    head.get_by_role("button", name="一次提交").click()
    assert "到岗日期不能早于今天" in head.content()
    assert not Bundle.objects.exists()

    head.fill("#id_start_on", (timezone.localdate() + timedelta(days=7)).isoformat())
    head.fill("#id_roles", "处室负责人")
    head.get_by_role("button", name="一次提交").click()
    head.wait_for_selector("#bundle-state")
    assert head.inner_text("#bundle-state") == "办理中"
    members = head.inner_text("#bundle-members")
    for label in ("办公座位", "计算机及办公设备", "平台账号与角色"):
        assert label in members
    assert "新同事" in head.inner_text("h1")
    shot(head, "bundle-1-filed")

    # The account member is refused by its approver: the bundle says 部分未批准, the others go on.
    bundle = Bundle.objects.get()
    account = bundle.members.get(bundle_member="account")
    services.decide(
        actor=account.current_step.assignees.first(),
        ticket=account,
        step_id=account.current_step_id,
        decision="rejected",
        comment="请先办理调入手续",
    )
    head.reload()
    assert head.inner_text("#bundle-state") == "部分未批准"
    assert "未批准" in head.inner_text("#bundle-members")
    assert bundle.members.get(bundle_member="seat").status == Status.IN_REVIEW
    shot(head, "bundle-2-partly-refused")
    assert head.csp_violations == []
