"""人员离岗一件事 started by the directory change itself: deactivating a person, or moving them to another
unit, in the directory (datahub.services.update_user) files the bundle with what they hold from the ledgers."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from datahub import services as directory
from datahub.roles import Role
from officespace import services as space
from portal.models import Bundle, Notification
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.usefixtures("eager_celery")  # eager Celery: the checks queued after seating run in-process


def _seat(staff, tree, person):
    building = space.create_building(
        actor=staff.space_a,
        code="A-1",
        name="甲厅1号楼",
        address="杭州市某路1号",
        org_unit=tree.a,
        building_area=Decimal("2000"),
        use_area=Decimal("1500"),
    )
    floor = space.create_floor(actor=staff.space_a, building=building, number=5, use_area=Decimal("400"))
    room = space.create_room(actor=staff.space_a, floor=floor, number="501", use_area=Decimal("12"))
    space.assign_occupancy(actor=staff.space_a, room=room, person=person, start_date=date(2020, 1, 5))


def test_deactivating_a_person_in_the_directory_files_the_leaving_bundle_from_the_ledgers(staff, tree):
    leaver = UserFactory(username="leaver", name="老同事", org_unit=tree.a1)
    _seat(staff, tree, leaver)
    directory.update_user(actor=staff.admin_a, user=leaver, is_active=False)

    bundle = Bundle.objects.get(kind="leaving")
    assert bundle.requester == staff.admin_a and bundle.data["person"] == str(leaver.pk)
    assert bundle.data["reason"] == "deactivated"
    # The office is derived from the occupancy ledger; no asset card, no driver duty: no member for those.
    assert set(bundle.members.values_list("bundle_member", flat=True)) == {"office", "account"}


def test_moving_a_person_to_another_agency_files_it_as_a_transfer_once(staff, tree):
    province_admin = grant(UserFactory(username="prov_admin", org_unit=tree.r), Role.BUREAU_ADMIN, tree.r)
    leaver = UserFactory(username="mover", name="调离者", org_unit=tree.a1)
    directory.update_user(actor=province_admin, user=leaver, org_unit=tree.b1)
    directory.update_user(actor=province_admin, user=leaver, is_active=False)

    bundle = Bundle.objects.get(kind="leaving")  # the second change finds it open and files no other
    assert bundle.data["reason"] == "transfer"
    assert list(bundle.members.values_list("bundle_member", flat=True)) == ["account"]


def test_a_move_between_departments_of_one_agency_is_not_leaving(staff, tree):
    person = UserFactory(username="inner_mover", org_unit=tree.a1)
    directory.update_user(actor=staff.admin_a, user=person, org_unit=tree.a)
    assert not Bundle.objects.filter(kind="leaving").exists()


def test_other_changes_to_a_person_file_nothing(staff, tree):
    person = UserFactory(username="stayer", org_unit=tree.a1)
    directory.update_user(actor=staff.admin_a, user=person, phone="13800000000", job_title="科员")
    assert not Bundle.objects.exists()


def test_a_refused_directory_change_files_nothing(staff, tree):
    person = UserFactory(username="bad", org_unit=tree.a1)
    with pytest.raises(ValidationError):
        directory.update_user(actor=staff.admin_a, user=person, is_active=False, email="不是邮箱")
    assert not Bundle.objects.exists()
    person.refresh_from_db()
    assert person.is_active


def test_a_bundle_that_cannot_be_filed_never_blocks_the_directory_and_tells_the_editor(staff, tree):
    # The editor's own unit (tree.a) does not cover a person of 乙厅: the form refuses the person.
    outsider = UserFactory(username="outsider", org_unit=tree.b1)
    # A superuser may edit 乙厅's directory, but files in the portal as a member of 甲厅.
    editor = UserFactory(username="root", org_unit=tree.a, is_superuser=True)
    directory.update_user(actor=editor, user=outsider, is_active=False)

    outsider.refresh_from_db()
    assert not outsider.is_active and not Bundle.objects.exists()
    note = Notification.objects.get(user=editor)
    assert "人员离岗一件事" in note.message and "未能自动发起" in note.message
