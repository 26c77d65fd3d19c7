"""The command center as the demo leader (陈明) sees it in headless Chromium, at desktop (1366 px) and phone
(390 px) width, in Chinese and in English: the charts drawn, nothing loaded from elsewhere, no CSP violation
or console error, no horizontal scroll on the phone, and in English no Chinese in the charts (their legends,
titles and axis names come translated from the server). Screenshots in test-output/commandcenter/."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from datahub.management.commands.seed_demo import DEMO_PASSWORD
from tests import browser as b
from tests import csp, demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_the_demo_leaders_page_at_desktop_and_phone_size_in_both_languages(browser, live_server):
    demo.seed()
    host = urlsplit(live_server.url).netloc
    problems = []
    for language in ("zh-hans", "en"):
        for size, viewport in (("desktop", b.DESKTOP), ("phone", b.PHONE)):
            context = browser.new_context(locale="zh-CN", viewport=viewport, is_mobile=viewport is b.PHONE)
            context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
            page = context.new_page()
            b.track_requests(page)
            csp.watch(page, problems)
            page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on(
                "request",
                lambda r: (
                    urlsplit(r.url).scheme in ("http", "https")
                    and urlsplit(r.url).netloc != host
                    and problems.append(f"request elsewhere: {r.url}")
                ),
            )
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", "chenming")
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/command/units/**")
            page.wait_for_selector("[data-chart='trajectory'] svg")
            b.settle(page)
            b.shot(page, "commandcenter", f"leader-{language}-{size}")
            if viewport is b.PHONE and b.horizontal_overflow(page) > 0:
                problems.append(f"{language} phone: {b.horizontal_overflow(page)} px of horizontal scroll")
            if language == "en":
                for chart in page.locator("[data-chart] svg").all():
                    text = chart.text_content() or ""
                    if CJK.search(text):
                        problems.append(f"Chinese in an English chart: {text[:120]}")
                legend = page.locator("#trends [data-chart] svg").first.text_content()
                if "This period" not in legend:
                    problems.append(f"trend legend not in English: {legend[:120]}")
            context.close()
    assert problems == [], "\n".join(problems)
