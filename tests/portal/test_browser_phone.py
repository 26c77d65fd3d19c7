"""The portal at phone size (390×844) in a real headless Chromium: the portal home, my requests, the
inbox and a ticket have no horizontal scroll, tap targets of at least 40 px, the header folded into a
menu, and lists shown as cards. Screenshots go to test-output/phone/."""

import pytest

from portal import services as portal
from tests import browser as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _repair(staff):
    return portal.file_request(
        requester=staff.clerk_a1,
        kind_code="repair",
        detail_fields={
            "location": "1号楼 502室（东侧靠窗的办公室，空调外机在阳台）",
            "category": "air_conditioning",
            "description": "空调不制冷，开机十分钟后出风仍是热风，影响正常办公，请尽快安排维修。",
            "urgent": False,
            "contact_phone": "13800000001",
        },
    )


def _usable_at_phone_size(page, name):
    assert b.horizontal_overflow(page) <= 0, f"{name}: the page scrolls sideways"
    assert b.small_tap_targets(page) == [], f"{name}: tap targets under {b.MIN_TAP} px"
    b.shot(page, "phone", name)


def test_portal_pages_are_usable_on_a_phone(browser, live_server, staff, tree):
    ticket = _repair(staff)
    clerk = b.phone_page(browser, live_server, "clerk_a1")
    pages = {
        "portal": "/portal/",
        "mine": "/portal/mine/",
        "ticket-requester": f"/portal/tickets/{ticket.pk}/",
    }
    for name, path in pages.items():
        clerk.goto(live_server.url + path)
        _usable_at_phone_size(clerk, name)

    # The header is one row: the menu's links show only after tapping 菜单.
    header = clerk.locator("header.topbar").bounding_box()
    assert header["height"] <= 60
    nav_link = clerk.locator(".mainnav a").first
    assert not nav_link.is_visible()
    clerk.click(".menu-button")
    assert nav_link.is_visible()
    assert b.small_tap_targets(clerk) == []
    b.shot(clerk, "phone", "menu-open")

    # My requests: each request is a card with labelled fields, not a row of narrow columns.
    clerk.goto(f"{live_server.url}/portal/mine/")
    row = clerk.locator("table.stack tbody tr").first
    assert row.bounding_box()["width"] >= 300
    assert clerk.locator("table.stack tbody tr td[data-label='状态']").first.inner_text() == "审批中"

    head = b.phone_page(browser, live_server, "head_a1")
    head.goto(f"{live_server.url}/portal/inbox/")
    assert ticket.title in head.content()
    _usable_at_phone_size(head, "inbox")
    head.goto(f"{live_server.url}/portal/tickets/{ticket.pk}/")
    _usable_at_phone_size(head, "ticket-approver")

    # Approving from the phone's inbox works with a tap.
    head.goto(f"{live_server.url}/portal/inbox/")
    with head.expect_navigation():
        head.tap(f"form[action='/portal/tickets/{ticket.pk}/decide/'] button[value=approved]")
    assert "已同意" in head.content()
    assert [v for p in (clerk, head) for v in p.csp_violations] == []


def test_desktop_header_stays_one_row_without_a_menu_button(browser, live_server, staff):
    page = b.phone_page(browser, live_server, "clerk_a1", viewport=b.DESKTOP)
    page.goto(f"{live_server.url}/portal/mine/")
    assert not page.locator(".menu-button").is_visible()
    assert page.locator(".mainnav a").first.is_visible()
    assert page.locator("header.topbar").bounding_box()["height"] <= 80
    assert page.csp_violations == []
