"""A unit page's breadcrumb links only the units the user may open (found by tests/test_site_crawl.py:
a bureau administrator of one agency was shown a link to the region's page, which is a 404 to them)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_breadcrumb_links_only_the_units_the_user_may_open(client, people, tree):
    client.force_login(people.admin_a)
    html = client.get(reverse("unit-detail", args=[tree.a1.pk])).content.decode()
    assert f'href="{reverse("unit-detail", args=[tree.a.pk])}"' in html
    assert f'href="{reverse("unit-detail", args=[tree.r.pk])}"' not in html
    assert tree.r.name in html  # still named, as text
    assert client.get(reverse("unit-detail", args=[tree.r.pk])).status_code == 404


def test_breadcrumb_links_only_visible_ancestors(client, people, tree):
    client.force_login(people.clerk_a1)
    response = client.get(reverse("unit-detail", args=[tree.a1.pk]))
    assert response.status_code == 200
    crumb = response.content.decode().split('<div class="breadcrumb">')[1].split("</div>")[0]
    assert "浙江省" in crumb  # named, so the reader knows where the unit sits
    for href in re.findall(r'href="(/directory/units/\d+/)"', crumb):
        assert client.get(href).status_code == 200, href
