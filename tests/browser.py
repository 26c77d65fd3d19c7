"""Helpers of the browser tests at phone size (Debian's Chromium driven by Playwright, as in
tests/portal/test_browser.py): a phone-sized signed-in page, and the two checks every phone page
passes — no horizontal scroll, and every tap target at least 40 px in both directions."""

import os
import shutil
import time
from pathlib import Path

import pytest

from tests import csp
from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = Path(os.environ.get("TEST_OUTPUT_DIR", Path(__file__).resolve().parents[1] / "test-output"))
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
MIN_TAP = 40


def require_chromium():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail("chromium is required for the browser tests in CI (scripts/install-browser.sh)")
        pytest.skip("Debian's chromium is not installed (scripts/install-browser.sh installs it)")


def launch(playwright, extra_flags=()):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*FLAGS, *extra_flags])


def phone_page(browser, live_server, username, *, viewport=PHONE, locale="zh-CN"):
    """A signed-in page of ``username`` in a phone-sized (or ``viewport``) touch context."""
    context = browser.new_context(
        locale=locale, viewport=viewport, has_touch=viewport is PHONE, is_mobile=viewport is PHONE
    )
    page = context.new_page()
    track_requests(page)
    page.csp_violations = []
    csp.watch(page, page.csp_violations)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


# Links inside running text (a sentence, a small note) are exempt, as WCAG 2.5.8 exempts inline targets.
_TAP_TARGETS = """(min) => {
  const out = [];
  const seen = new Set();
  for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
    let target = el;
    if (el.matches("input[type=checkbox], input[type=radio]")) {
      target = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    }
    const style = getComputedStyle(el);
    if (style.opacity === "0" && target === el) continue;
    if (el.matches("a") && el.closest("p, small, .muted, .help, .timeline time")) continue;
    if (seen.has(target)) continue;
    seen.add(target);
    const r = target.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(target).visibility === "hidden") continue;
    if (r.width < min || r.height < min) {
      out.push(`${target.tagName.toLowerCase()} "${(target.innerText || target.value || target.name || "").trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return out;
}"""


def track_requests(page) -> None:
    """Count the page's requests in flight, for ``settle`` (call before the page navigates)."""
    page.in_flight = in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))


# Two frames and a task: long enough for a script that a finished response started to send its own request.
_NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done))))"


def settle(page, timeout: float = 30) -> None:
    """Wait until the page has loaded and no request of it is in flight (charts drawn from their data, maps, QR
    codes). Playwright's "networkidle" waits for the same, then for half a second of silence after it: ≈ 10 s of
    the suite's browser tests did nothing else."""
    page.wait_for_load_state("load")
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2:
        page.evaluate(_NEXT_FRAME)
        quiet = 0 if page.in_flight else quiet + 1
        if time.monotonic() > deadline:
            raise AssertionError(f"{page.url}: requests still in flight: {[r.url for r in page.in_flight]}")


def small_tap_targets(page) -> list[str]:
    return page.evaluate(_TAP_TARGETS, MIN_TAP)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the screen (0: no horizontal scroll)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def shot(page, folder: str, name: str):
    out = OUTPUT / folder
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
