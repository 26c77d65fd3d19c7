"""用房调整申请 takes 涉及人数 from the directory (issue #15): the requester's unit's active people, one for a
second office; a person moving into the unit changes what the next form derives."""

from decimal import Decimal

import pytest

from datahub import services as directory
from portal import services as portal
from portal.registry import detail_form, get
from tests.factories import SidePostFactory, UserFactory

pytestmark = pytest.mark.django_db


def adjustment_form(requester, **data):
    fields = {"purpose": "more", "requested_area": "20", "reason": "新增人员", **data}
    return detail_form(get("space_adjustment"), requester, fields)


def test_headcount_is_the_directorys_not_typed(staff, tree):
    people = type(staff.clerk_a1).objects.filter(org_unit=tree.a1, is_active=True).count()
    form = adjustment_form(staff.clerk_a1, headcount="99")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["headcount"] == people
    assert "headcount" not in form.fields
    ticket = portal.file_request(
        requester=staff.clerk_a1, kind_code="space_adjustment", detail_fields=form.cleaned_data
    )
    assert get("space_adjustment").detail_model.objects.get(ticket=ticket).headcount == people


def test_headcount_follows_a_person_moving_into_the_unit(staff, tree):
    before = adjustment_form(staff.clerk_a1).unit_headcount
    newcomer = UserFactory(org_unit=tree.a)
    directory.update_user(actor=staff.admin_a, user=newcomer, org_unit=tree.a1)
    after = adjustment_form(staff.clerk_a1)
    assert after.unit_headcount == before + 1
    assert after.is_valid(), after.errors
    assert after.cleaned_data["headcount"] == before + 1


def test_a_second_office_involves_one_person(staff):
    post = SidePostFactory(person=staff.clerk_a1)
    form = adjustment_form(staff.clerk_a1, purpose="second_office", side_post=post.pk)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["headcount"] == 1
    assert form.cleaned_data["side_post"] == post


def test_the_side_post_is_picked_from_the_directory_not_typed(staff, tree):
    """Only the requester's own open 兼职 posts are offered; a typed title or another person's post is refused."""
    mine = SidePostFactory(person=staff.clerk_a1)
    ended = SidePostFactory(person=staff.clerk_a1, ended_on="2026-02-01")
    theirs = SidePostFactory(person=UserFactory(org_unit=tree.a1))
    form = adjustment_form(staff.clerk_a1, purpose="second_office")
    assert list(form.fields["side_post"].queryset) == [mine]
    for bad in ("省委某领导小组办公室副主任", ended.pk, theirs.pk):
        form = adjustment_form(staff.clerk_a1, purpose="second_office", side_post=bad)
        assert not form.is_valid()
        assert "兼职岗位" in form.errors["side_post"][0]


def test_bad_input_is_refused_in_chinese_and_nothing_filed(staff):
    form = adjustment_form(staff.clerk_a1, purpose="second_office", requested_area=str(Decimal("12")))
    assert not form.is_valid()
    assert "兼职岗位" in form.errors["side_post"][0]
