"""The top bar links the sections a person's roles open, in their language; the home page asks each count once."""

import pytest
from django.urls import reverse
from django.utils import translation

from datahub.navigation import count_once, counting, sections_for, topbar_html
from datahub.roles import Role
from tests.factories import UserFactory, grant


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def _links(html: str) -> int:
    return html.count("<a href=")


def test_top_bar_links_every_section_of_the_administrator_and_none_of_the_clerk_s(people):
    admin_sections = [s for s in sections_for(people.admin_a) if s.in_topbar]
    html = topbar_html(people.admin_a)
    assert _links(html) == len(admin_sections)
    assert f'<a href="{reverse("admin:index")}">管理后台</a>' in html
    assert reverse("admin:index") not in topbar_html(people.clerk_a1)


def test_top_bar_is_drawn_in_the_person_s_language(people):
    with translation.override("en"):
        english = topbar_html(people.admin_a)
    assert "管理后台" in topbar_html(people.admin_a)
    assert "管理后台" not in english and 'aria-label="Main navigation"' in english


def test_people_with_the_same_roles_share_one_drawing_of_the_top_bar(people, tree, django_assert_num_queries):
    colleague = grant(UserFactory(org_unit=tree.b), Role.BUREAU_ADMIN, tree.b)
    first = topbar_html(people.admin_b)
    # The colleague's roles are read (one query); the links are not drawn again.
    with django_assert_num_queries(1):
        assert topbar_html(colleague) is first


def test_the_page_s_top_bar_is_the_drawn_one(login, people):
    html = login(people.admin_a).get(reverse("home")).content.decode()
    assert topbar_html(people.admin_a) in html


def test_a_count_inside_counting_is_asked_of_the_database_once(people, django_assert_num_queries):
    from portal.models import Notification

    unread = count_once("test.unread", lambda user: Notification.objects.filter(user=user).count())
    with counting(), django_assert_num_queries(1):
        assert unread(people.admin_a) == unread(people.admin_a) == 0
    with django_assert_num_queries(2):  # outside the home page every call counts afresh
        unread(people.admin_a)
        unread(people.admin_a)


def test_the_home_page_counts_the_handling_queue_once_for_its_card_and_its_work_line(login, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(people.admin_a)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("home")).content.decode()
    assistparts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "portal_assistpart" in q["sql"]]
    assert len(assistparts) == 1
    assert html.count(f'href="{reverse("portal:handling")}"') >= 2  # the section card and the work line
