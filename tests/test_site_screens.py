"""Each demo role's home page in a real headless Chromium, at desktop and phone size (issue #19): no
request leaves the test server, no Content-Security-Policy violation, no horizontal scroll on the phone;
the screenshots are written to test-output/crawl/<role>-desktop.png and -phone.png for a reviewer."""

from urllib.parse import urlsplit

import pytest

from datahub.management.commands.seed_demo import DEMO_PASSWORD
from tests import browser as b
from tests import csp, demo
from tests.test_site_crawl import DEMO_ROLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_demo_roles_home_page_at_desktop_and_phone_size(browser, live_server):
    demo.seed()
    host = urlsplit(live_server.url).netloc
    elsewhere, violations, overflow = [], [], []
    for viewport_name, viewport in (("desktop", b.DESKTOP), ("phone", b.PHONE)):
        context = browser.new_context(locale="zh-CN", viewport=viewport, is_mobile=viewport is b.PHONE)
        for username in DEMO_ROLES:
            page = context.new_page()
            b.track_requests(page)
            csp.watch(page, violations)
            page.on(
                "request",
                lambda r: (
                    urlsplit(r.url).scheme in ("http", "https")
                    and urlsplit(r.url).netloc != host
                    and elsewhere.append(r.url)
                ),
            )
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)  # a leader lands on the command center
            b.settle(page)
            b.shot(page, "crawl", f"{username}-{viewport_name}")
            if viewport is b.PHONE and b.horizontal_overflow(page) > 0:
                overflow.append(username)
            context.clear_cookies()
            page.close()
        context.close()
    assert elsewhere == []
    assert violations == []
    assert overflow == []
    assert len(list((b.OUTPUT / "crawl").glob("*.png"))) >= 2 * len(DEMO_ROLES)
