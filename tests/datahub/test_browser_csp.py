"""In a real headless Chromium (Debian's package): the pages, the admin and the Swagger UI run under the
Content-Security-Policy without a single violation, and the behaviours moved out of inline handlers
(language menu, confirmations) still work."""

import os
import shutil

import pytest

from datahub.models import ApiToken
from tests import browser as b
from tests import csp, demo
from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")  # one Chromium for the module's tests
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail("chromium is required for the browser tests in CI (scripts/install-browser.sh)")
        pytest.skip("Debian's chromium is not installed (scripts/install-browser.sh installs it)")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def sign_in(browser, live_server, username, violations):
    page = browser.new_context(locale="zh-CN").new_page()
    b.track_requests(page)
    csp.watch(page, violations)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    # Signed in: the home page, or the command center where a bureau administrator lands (#14).
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_pages_admin_and_api_docs_run_without_a_policy_violation(browser, live_server, people):
    violations: list[str] = []
    page = sign_in(browser, live_server, "admin_a", violations)
    for path in (
        "/",
        "/directory/units/",
        "/directory/people/",
        f"/directory/people/{people.clerk_a1.pk}/",
        "/accounts/security/",
        "/accounts/password/",
        "/portal/",
        "/admin/",
        "/admin/datahub/user/",
        f"/admin/datahub/user/{people.clerk_a1.pk}/change/",
        "/admin/datahub/apitoken/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status < 400, path
        b.settle(page)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)  # the UI built the operations list
    # Swagger UI draws only the operations near the viewport (a virtualized list), so count what it loaded.
    loaded = page.evaluate(
        "() => window.ui.specSelectors.taggedOperations().toList().map(t => t.get('operations').size)"
        ".reduce((a, b) => a + b, 0)"
    )
    assert loaded > 100
    assert page.evaluate("() => window.ui.errSelectors.allErrors().size") == 0
    assert violations == []


def test_the_language_menu_switches_without_an_inline_handler(browser, live_server, people):
    violations: list[str] = []
    page = sign_in(browser, live_server, "clerk_a1", violations)
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations == []


def test_a_confirmation_guards_revoking_tokens(browser, live_server, people):
    from datahub.auth.services import issue_api_token

    issue_api_token(user=people.clerk_a1)
    violations: list[str] = []
    page = sign_in(browser, live_server, "clerk_a1", violations)
    page.goto(f"{live_server.url}/accounts/security/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="吊销", exact=True).click()
    assert ApiToken.objects.get().revoked_at is None  # dismissed: nothing sent
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="吊销", exact=True).click()
    assert ApiToken.objects.get().revoked_at is not None
    assert violations == []


def test_the_watch_reports_an_inline_script_the_policy_refuses(browser, live_server, db):
    """The check above would pass vacuously if violations never reached the console; this one must fail it."""
    violations: list[str] = []
    page = browser.new_context().new_page()
    csp.watch(page, violations)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("""() => {
        const s = document.createElement("script");
        s.textContent = "document.body.dataset.ran = 'yes'";
        document.body.appendChild(s);
    }""")
    page.wait_for_timeout(200)
    assert page.locator("body").get_attribute("data-ran") is None
    assert violations and "script-src 'self'" in violations[0]


def test_a_crawl_of_the_demo_as_the_bureau_administrator_meets_no_policy_violation(browser, live_server):
    """Every page reachable in three clicks (up to 150) from the home page (the four domains, the portal, the directory),
    on the demo data, as the administrator who sees the most. Charts, maps, QR codes and labels included."""
    from datahub.management.commands.seed_demo import DEMO_PASSWORD

    demo.seed()
    violations: list[str] = []
    page = browser.new_context(locale="zh-CN").new_page()
    csp.watch(page, violations)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "wangqiang")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    # Signed in: the home page, or the command center where a bureau administrator lands (#14).
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def links():
        hrefs = page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
        # Files, not pages: exports, downloads and the command center's export.xlsx / figures.json.
        skip = ("/accounts/logout", "/media/", "/static/", "export=", "/download", ".xlsx", ".json", "/o/")
        return [h for h in hrefs if not any(s in h for s in skip)]

    seen, queue = set(), ["/"]
    for _depth in range(3):
        next_queue = []
        for path in queue:
            key = path.split("#")[0]
            if key in seen or len(seen) >= 150:
                continue
            seen.add(key)
            response = page.goto(f"{live_server.url}{key}")
            assert response.status < 500, key
            next_queue += links()
        queue = next_queue
    assert len(seen) > 60
    assert violations == []
