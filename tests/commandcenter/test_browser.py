"""End to end in a real headless Chromium (Debian's package, driven by Playwright): the province leader signs
in, lands on the command center, sees the charts drawn (ECharts from static/vendor/, no console error, no CSP
violation, no request leaving 127.0.0.1), drills down two levels and comes back by the breadcrumb.
Screenshots go to test-output/e2e/."""

import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.utils import timezone

from commandcenter import services
from portal.models import Ticket
from tests import csp
from tests.factories import PASSWORD
from tests.portal.test_browser import OUTPUT, browser  # noqa: F401 - the shared Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def figures(people, tree):
    now = timezone.now()
    for unit, n in ((tree.a1, 3), (tree.b1, 1)):
        for i in range(n):
            Ticket.objects.create(
                kind="repair",
                title=f"报修{i}",
                requester=people.clerk_a1,
                org_unit=unit,
                status="submitted",
                submitted_at=now,
                due_at=now,
            )
    services.rollup_rebuild()


def test_leader_sees_charts_and_drills_down_two_levels_and_back(browser, live_server, people, tree, figures):  # noqa: F811
    vendor = Path(settings.BASE_DIR) / "static" / "vendor" / "echarts.min.js"
    assert vendor.exists(), "static/vendor/ is missing: run `make vendor` (npm ci) first"
    page = browser.new_context(locale="zh-CN").new_page()
    problems: list[str] = []
    csp.watch(page, problems)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    host = urlparse(live_server.url).hostname
    assert socket.gethostbyname(host) == "127.0.0.1", live_server.url  # the server itself is on the loopback
    requests: list[str] = []

    def outside(request):
        requests.append(request.url)
        url = urlparse(request.url)
        # Anything but the live server on 127.0.0.1 (data: and blob: URLs stay in the page) is a leak.
        if url.scheme not in ("data", "blob") and (url.hostname != host or url.scheme != "http"):
            problems.append(f"request outside 127.0.0.1: {request.url}")

    page.on("request", outside)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/command/units/{tree.r.pk}/")
    page.wait_for_selector("[data-chart='trajectory'] svg")
    assert page.locator("#trends [data-chart] svg").count() >= 4
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "commandcenter-province.png"), full_page=True)

    page.click("table.ranking >> text=甲厅")  # drill down: province → agency (HTMX swaps the page body)
    page.wait_for_selector("h1:has-text('领导驾驶舱 · 甲厅')")
    assert page.url.endswith(f"/command/units/{tree.a.pk}/?period={timezone.localdate().year}")
    page.wait_for_selector("[data-chart='trajectory'] svg")  # charts drawn again after the swap
    page.click("table.ranking >> text=甲厅办公室")  # agency → department
    page.wait_for_selector("h1:has-text('领导驾驶舱 · 甲厅办公室')")
    assert "甲厅办公室" in page.inner_text("nav.breadcrumb")
    page.click("nav.breadcrumb >> text=浙江省")  # and back up by the breadcrumb
    page.wait_for_selector("h1:has-text('领导驾驶舱 · 浙江省')")
    page.wait_for_selector("[data-chart='trajectory'] svg")
    page.go_back()  # the browser's back button follows the drill-down too
    page.wait_for_selector("h1:has-text('领导驾驶舱 · 甲厅办公室')")
    assert any("/static/vendor/echarts" in url for url in requests)  # the charts came from static/vendor/
    assert not problems, problems
