"""The whole single sign-on as it happens in the field, against the live test server: the example relying
party (examples/oidc_rp/rp.py, Authlib + joserfc) builds the authorization request with PKCE, a real
headless Chromium signs the person in on our login page and agrees on the Chinese consent page, and the
relying party exchanges the code, verifies the ID token against the JWKS and reads userinfo."""

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from tests import csp
from tests.factories import PASSWORD

from .relying_party import REDIRECT, register

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "oidc_rp" / "rp.py"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _example():
    spec = importlib.util.spec_from_file_location("oidc_rp_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
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


def test_a_civil_servant_signs_in_to_a_department_system_through_the_platform(browser, live_server, people, tree):
    rp = _example()
    canteen = register(people.admin_a, tree.a)
    provider = rp.Provider(
        issuer=f"{live_server.url}/o", client_id=canteen.client_id, client_secret=canteen.secret, redirect_uri=REDIRECT
    )
    url, pending = rp.begin(provider)
    assert "code_challenge=" in url and "code_challenge_method=S256" in url

    violations: list[str] = []
    page = browser.new_context(locale="zh-CN").new_page()
    csp.watch(page, violations)
    # The department system's own server is not running here: catch the browser's arrival at its callback.
    arrived = []
    page.route(f"{REDIRECT}**", lambda route: (arrived.append(route.request.url), route.fulfill(body="ok")))
    page.goto(url)
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    page.fill("#id_username", "clerk_a1")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#oidc-consent")
    consent = page.inner_text("#oidc-consent")
    assert "授权“食堂管理系统”使用您的身份登录" in consent and "不会获得您的身份证号" in consent
    assert "所在单位/部门" in consent and "在本平台的角色及授予的单位" in consent
    page.click("button[name=allow]")
    page.wait_for_url(f"{REDIRECT}**")
    assert arrived and "code=" in arrived[0]
    assert violations == []

    claims, userinfo, token = rp.finish(provider, arrived[0], pending)
    assert claims["preferred_username"] == "clerk_a1" and claims["unit"]["name"] == "甲厅办公室"
    assert userinfo["sub"] == claims["sub"] and token["refresh_token"]
