"""离岗 from the directory, not a typed form (issue #15): deactivating a person or moving them out of the
agency records the post end on their open offices, and the office-space administrator sees them on
待收回办公室 with the date each is due back; a move inside the agency does not."""

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from datahub import services as directory
from datahub.roles import Role
from officespace.models import Occupancy
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_admin(tree):
    return grant(UserFactory(username="bureau_r", org_unit=tree.r), Role.BUREAU_ADMIN, tree.r)


def test_deactivation_in_the_directory_puts_the_office_on_the_take_back_list(staff, room, seat, login):
    office = seat(room("501", 12), staff.clerk_a1)
    directory.update_user(actor=staff.admin_a, user=staff.clerk_a1, is_active=False)
    office.refresh_from_db()
    today = timezone.localdate()
    assert (office.post_ended_on, office.post_end_reason) == (today, Occupancy.PostEnd.OTHER)
    page = login(staff.space_a).get(reverse("officespace:take-back")).content.decode()
    assert staff.clerk_a1.name in page and "甲厅1号楼 501" in page
    assert (today + relativedelta(months=1)).isoformat() in page


def test_a_move_out_of_the_agency_is_a_transfer(staff, tree, room, seat, province_admin):
    office = seat(room("502", 12), staff.clerk_a1)
    directory.update_user(actor=province_admin, user=staff.clerk_a1, org_unit=tree.b1)
    office.refresh_from_db()
    assert office.post_end_reason == Occupancy.PostEnd.TRANSFER and office.end_date is None


def test_a_move_inside_the_agency_keeps_the_office(staff, tree, room, seat):
    office = seat(room("503", 12), staff.clerk_a1)
    directory.update_user(actor=staff.admin_a, user=staff.clerk_a1, org_unit=tree.a)
    office.refresh_from_db()
    assert office.post_ended_on is None
    assert not Occupancy.objects.filter(post_ended_on__isnull=False).exists()


def test_another_agencys_administrator_does_not_see_the_list_rows(staff, room, seat, login, space_b):
    seat(room("504", 12), staff.clerk_a1)
    directory.update_user(actor=staff.admin_a, user=staff.clerk_a1, is_active=False)
    page = login(space_b).get(reverse("officespace:take-back")).content.decode()
    assert staff.clerk_a1.name not in page and "没有待收回的办公室" in page


def test_take_back_list_query_count_does_not_grow_with_rows(
    staff, tree, room, seat, login, django_assert_max_num_queries
):
    def leave(n):
        for i in range(n):
            person = UserFactory(org_unit=tree.a1)
            seat(room(f"6{len(str(i))}{i}{n}", 12), person)
            directory.update_user(actor=staff.admin_a, user=person, is_active=False)

    leave(2)
    client = login(staff.space_a)
    client.get(reverse("officespace:take-back"))  # warm the session
    with django_assert_max_num_queries(16) as first:
        client.get(reverse("officespace:take-back"))
    leave(8)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(reverse("officespace:take-back")).content.decode()
    assert page.count("已停用") == 10
