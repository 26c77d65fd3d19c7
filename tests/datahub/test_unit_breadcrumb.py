"""A unit page's breadcrumb links only the units the reader may open: no link shown to a 404 (issue #19)."""

import re

from django.urls import reverse


def test_breadcrumb_links_only_visible_ancestors(client, people, tree):
    client.force_login(people.clerk_a1)
    response = client.get(reverse("unit-detail", args=[tree.a1.pk]))
    assert response.status_code == 200
    crumb = response.content.decode().split('<div class="breadcrumb">')[1].split("</div>")[0]
    assert "浙江省" in crumb  # named, so the reader knows where the unit sits
    for href in re.findall(r'href="(/directory/units/\d+/)"', crumb):
        assert client.get(href).status_code == 200, href
