"""A list narrowed to a unit that does not exist, or that the reader does not cover, is an empty list that
says so, not a 404 page (issue #19, bug 6: /officespace/rooms/?unit=99999)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("unit", ["99999", "other"])
def test_room_list_of_an_unknown_or_foreign_unit_is_empty(client, staff, tree, unit):
    client.force_login(staff.space_a)
    pk = tree.b.pk if unit == "other" else 99999
    response = client.get(reverse("officespace:room-list"), {"unit": pk})
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "所选单位不存在或不在您的管理范围内" in response.content.decode()
