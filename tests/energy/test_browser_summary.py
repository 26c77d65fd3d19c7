"""The energy summary in a real headless Chromium at desktop width (1366×900), every energy type in use so
the table is as wide as it gets: the page itself never scrolls sideways, the table scrolls inside its
frame, and the unit column stays in view while it does. Screenshot: test-output/desktop/energy-summary.png."""

import re

import pytest

from energy.rules import EnergyType
from tests import browser as b
from tests.factories import PASSWORD

from .factories import full_year, profile, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


_FRAME = """() => {
  const table = document.querySelector("table.figures");
  const frame = table.closest(".table-wrap");
  const first = table.querySelector("tbody td");
  const before = first.getBoundingClientRect().left;
  frame.scrollLeft = frame.scrollWidth;
  return {table: table.scrollWidth, frame: frame.clientWidth, scrolled: frame.scrollLeft,
          frameLeft: Math.round(frame.getBoundingClientRect().left), firstBefore: Math.round(before),
          firstAfter: Math.round(first.getBoundingClientRect().left),
          cells: [...table.querySelectorAll("tbody td")].map(td => td.innerText.trim())};
}"""


def test_the_widest_summary_scrolls_inside_its_frame_with_the_unit_column_in_view(
    browser, live_server, energy_people, tree
):
    for unit in (tree.a, tree.b):
        profile(unit, 2025)
        full_year(unit, 2025, kwh=123456, price="0.8123")
        for code in EnergyType.values:
            if code not in ("electricity", "water"):
                record(unit, 2025, 3, code, "1234.5678", cost="98765.4321")
    page = browser.new_context(locale="zh-CN", viewport=b.DESKTOP).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", energy_people.leader.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # a leader lands on the command center
    page.goto(f"{live_server.url}/energy/summary/?year=2025&by=department")
    assert b.horizontal_overflow(page) <= 0, "the page itself scrolls sideways"
    frame = page.evaluate(_FRAME)
    assert frame["table"] > frame["frame"] and frame["scrolled"] > 0  # wide, and it scrolls in its frame
    assert frame["firstAfter"] == frame["firstBefore"]  # the unit column stays put (sticky)
    assert not [c for c in frame["cells"] if re.search(r"\d\.\d{3,}", c)]  # two decimals at most
    assert "1,234.57" in frame["cells"]  # a quantity as people read it
    b.shot(page, "desktop", "energy-summary")
