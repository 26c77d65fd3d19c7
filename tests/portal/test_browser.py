"""End to end in a real headless Chromium (Debian's package, driven by Playwright):
a civil servant files a repair, the department head approves it from the inbox, the space
administrator records the outcome, and the requester sees it done and rates it.
Screenshots go to test-output/e2e/."""

import os
import shutil
from pathlib import Path

import pytest

from officespace.models import RepairRecord
from portal.models import Ticket
from portal.workflow import Status
from tests import csp
from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = Path(os.environ.get("TEST_OUTPUT_DIR", Path(__file__).resolve().parents[2] / "test-output")) / "e2e"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail("chromium is required for the browser tests in CI (scripts/install-browser.sh)")
        pytest.skip("Debian's chromium is not installed (scripts/install-browser.sh installs it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def sign_in(browser, live_server, username):
    page = browser.new_context(locale="zh-CN").new_page()
    page.csp_violations = []  # the test fails on any Content-Security-Policy violation (tests/csp.py)
    csp.watch(page, page.csp_violations)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def shot(page, name):
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)


def test_file_approve_handle_and_rate_a_repair_in_the_browser(browser, live_server, staff):
    # 1. The civil servant files a repair request from the portal.
    clerk = sign_in(browser, live_server, "clerk_a1")
    clerk.click("text=服务门户")
    clerk.click("text=维修报修")
    clerk.fill("#id_location", "1号楼 502室")
    clerk.select_option("#id_category", "air_conditioning")
    clerk.fill("#id_description", "空调不制冷")
    clerk.fill("#id_contact_phone", "1380000")  # a wrong number first: the form says why
    clerk.click("button[name=submit]")
    assert "电话号码格式不正确" in clerk.content()
    clerk.fill("#id_contact_phone", "13800000001")
    clerk.click("button[name=submit]")
    assert clerk.inner_text("#ticket-status") == "审批中"
    shot(clerk, "1-filed")
    ticket = Ticket.objects.get()

    # 2. The department head approves it with one click from the inbox.
    head = sign_in(browser, live_server, "head_a1")
    head.goto(f"{live_server.url}/portal/inbox/")
    assert "空调" in head.content()
    shot(head, "2-inbox")
    head.click(f"form[action='/portal/tickets/{ticket.pk}/decide/'] button[value=approved]")
    assert "已同意" in head.content()

    # 3. The space administrator takes it and records the outcome on the same ticket.
    handler = sign_in(browser, live_server, "space_a")
    handler.goto(f"{live_server.url}/portal/handling/")
    handler.click(f"text={ticket.title}")
    handler.get_by_role("button", name="开始办理").click()
    handler.fill("#id_cost", "260.00")
    handler.fill("#id_parts", "压缩机电容")
    handler.fill("#id_result", "已修复，制冷正常")
    handler.get_by_role("button", name="办结", exact=True).click()
    assert handler.inner_text("#ticket-status") == "已办结"
    shot(handler, "3-done")

    # 4. The requester sees it done and rates it.
    clerk.goto(f"{live_server.url}/portal/tickets/{ticket.pk}/")
    assert clerk.inner_text("#ticket-status") == "已办结"
    clerk.check("input[name='rating-rating'][value='5']")
    clerk.fill("#id_rating-comment", "维修及时")
    clerk.get_by_role("button", name="提交评价").click()
    assert "感谢您的评价" in clerk.content()
    shot(clerk, "4-rated")

    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating) == (Status.DONE, 5)
    assert RepairRecord.objects.get(ticket=ticket).cost == 260
    assert [v for p in (clerk, head, handler) for v in p.csp_violations] == []
