"""The administrator's top bar in English at a laptop's width (issue #19): the English labels are longer than
the Chinese ones, and with every section of a superuser the navigation wrapped into five rows. In a real
headless Chromium at 1366 px, the navigation of the administrators stays within two rows in English and in
Chinese; the rows are counted from where each link's box starts."""

import pytest

from datahub.management.commands.seed_demo import DEMO_PASSWORD
from tests import browser as b
from tests import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMINISTRATORS = ["sysadmin", "wangqiang"]
MAX_ROWS = 2

# (links, rows): how many section links the top bar shows, and on how many distinct rows they start.
_NAV = """() => {
  const tops = [...document.querySelectorAll('.mainnav a')].map(a => Math.round(a.getBoundingClientRect().top));
  return [tops.length, new Set(tops).size];
}"""


def test_the_administrators_navigation_stays_within_two_rows_at_1366_px(browser, live_server):
    demo.seed()
    rows = {}
    for language in ("en", "zh-hans"):
        context = browser.new_context(locale="zh-CN", viewport=b.DESKTOP)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for username in ADMINISTRATORS:
            page = context.new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            page.goto(f"{live_server.url}/")
            rows[(username, language)] = page.evaluate(_NAV)
            b.shot(page, "crawl", f"{username}-nav-{language}")
            context.clear_cookies()
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            page.close()
        context.close()
    # Every administrator sees many sections (more than fit on one row), within two rows.
    assert all(links > 8 and 1 <= n <= MAX_ROWS for links, n in rows.values()), rows
