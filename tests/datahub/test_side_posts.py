"""兼职岗位 live in the directory (#15, 一数一源): an editor of the person's unit records and ends them on the
person's page; office space picks them for a second office and follows their end (tests/officespace)."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from datahub.models import SidePost
from tests.factories import SidePostFactory

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_an_editor_records_and_ends_a_side_post_on_the_person_page(client, people, tree):
    client.force_login(people.admin_a)
    url = reverse("person-side-posts", args=[people.clerk_a1.pk])
    client.post(url, {"org_unit": tree.b.pk, "title": "乙厅下属中心主任", "started_on": "2026-03-01"})
    post = SidePost.objects.get(person=people.clerk_a1)
    assert (post.org_unit, post.title, post.started_on, post.ended_on) == (
        tree.b,
        "乙厅下属中心主任",
        date(2026, 3, 1),
        None,
    )
    page = client.get(reverse("person-detail", args=[people.clerk_a1.pk])).content.decode()
    assert "乙厅下属中心主任" in page and "结束兼职" in page
    client.post(url, {"action": "end", "post": post.pk, "ended_on": "2026-05-31"})
    post.refresh_from_db()
    assert post.ended_on == date(2026, 5, 31)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"org_unit": "", "title": "主任", "started_on": "2026-03-01"}, "兼职单位/部门：请选择"),
        ({"org_unit": "TREE_B", "title": "", "started_on": "2026-03-01"}, "兼职岗位：请填写岗位名称"),
        ({"org_unit": "TREE_B", "title": "主任", "started_on": "2026-02-30"}, "起始日期：日期格式不对"),
        ({"org_unit": "TREE_A1", "title": "主任", "started_on": "2026-03-01"}, "不能是本人所在的部门"),
    ],
)
def test_a_bad_side_post_is_refused_in_chinese_and_nothing_is_recorded(client, people, tree, data, says):
    units = {"TREE_B": tree.b.pk, "TREE_A1": tree.a1.pk}
    data = {k: units.get(v, v) for k, v in data.items()}
    client.force_login(people.admin_a)
    response = client.post(reverse("person-side-posts", args=[people.clerk_a1.pk]), data)
    assert says in _messages(response)
    assert not SidePost.objects.exists()


def test_another_agency_cannot_record_or_end_a_persons_side_post(client, people, tree):
    post = SidePostFactory(person=people.clerk_a1)
    client.force_login(people.admin_b)
    url = reverse("person-side-posts", args=[people.clerk_a1.pk])
    assert client.post(url, {"org_unit": tree.b.pk, "title": "主任", "started_on": "2026-03-01"}).status_code == 404
    assert client.post(url, {"action": "end", "post": post.pk, "ended_on": "2026-05-31"}).status_code == 404
    # Nor through their own person's page: the post named is not that person's.
    own = reverse("person-side-posts", args=[people.clerk_b1.pk])
    response = client.post(own, {"action": "end", "post": post.pk, "ended_on": "2026-05-31"})
    assert "该人员没有这个在任的兼职" in _messages(response)
    post.refresh_from_db()
    assert post.ended_on is None and SidePost.objects.count() == 1


def test_a_person_who_only_reads_the_directory_cannot_record_a_side_post(client, people, tree):
    client.force_login(people.clerk_a1)
    url = reverse("person-side-posts", args=[people.clerk_a1.pk])
    response = client.post(url, {"org_unit": tree.b.pk, "title": "主任", "started_on": "2026-03-01"})
    assert response.status_code in (302, 403, 404)
    assert not SidePost.objects.exists()
