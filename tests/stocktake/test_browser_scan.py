"""Stocktake scanning on a phone (390×844) in a real headless Chromium with a fake camera: the page fits
the screen with tap targets of at least 40 px, the camera opens through html5-qrcode (static/vendor, no
CDN) without a Content-Security-Policy violation, and typing the label's URL or number still counts."""

import os

import pytest

from stocktake.models import Count
from tests import browser as b

from .factories import card, stocktake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FAKE_CAMERA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


@pytest.fixture
def browser():
    b.require_chromium()
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        chromium = b.launch(p, FAKE_CAMERA)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_scan_with_the_phone_camera_or_by_typing(browser, live_server, staff, tree):
    pc = card(staff.asset_a, tree.a, name="扫码电脑")
    take = stocktake(staff.asset_a, tree.a)
    page = b.phone_page(browser, live_server, "asset_a")
    page.context.grant_permissions(["camera"])
    page.goto(f"{live_server.url}/stocktake/{take.pk}/scan/")
    assert b.horizontal_overflow(page) <= 0
    assert b.small_tap_targets(page) == []

    camera = page.locator(".camera-toggle")
    assert camera.is_visible() and camera.inner_text() == "用摄像头扫码"
    camera.tap()
    page.wait_for_selector("#camera-view video", timeout=30_000)
    assert camera.inner_text() == "关闭摄像头"
    b.shot(page, "phone", "stocktake-camera")
    camera.tap()
    page.wait_for_function("() => !document.querySelector('#camera-view video')", timeout=30_000)

    # Typing works too, and what a phone camera reads from the label is the card's URL.
    page.fill("#id_code", f"{live_server.url}/assets/a/{pc.asset_number}/")
    with page.expect_navigation():
        page.tap(".scan-form button[type=submit]")
    assert "已盘点" in page.content()
    assert Count.objects.get(stocktake=take).code == pc.asset_number
    assert page.csp_violations == []
