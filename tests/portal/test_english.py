"""The English UI stays complete (issue #19): the header, the portal and the stocktake scanning page
read in English for a user who chose it, with the Chinese source strings gone."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _english(client, user):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_header_and_portal_read_in_english(client, staff):
    html = _english(client, staff.clerk_a1).get(reverse("portal:home")).content.decode()
    assert 'lang="en"' in html
    for english in ("Menu", "My imports", "Account security"):
        assert english in html
    for chinese in ("菜单", "我的导入", "主导航"):
        assert chinese not in html


def test_portal_lists_read_in_english(client, staff):
    html = _english(client, staff.head_a1).get(reverse("portal:handling")).content.decode()
    assert "Assists for me" in html and "待我协办" not in html


def test_stocktake_scan_page_reads_in_english(client, staff, tree):
    from stocktake import services

    take = services.open_stocktake(actor=staff.asset_a, title="2026", org_unit=tree.a, scope_kind="unit")
    html = _english(client, staff.asset_a).get(reverse("stocktake:scan", args=[take.pk])).content.decode()
    assert "Scan with the camera" in html and "Recently recorded" in html
    assert "用摄像头扫码" not in html
