"""What officespace publishes to other apps (building areas, occupant counts) and the roll-ups."""

from datetime import date
from decimal import Decimal

from datahub.rules import PostLevel
from officespace import check, selectors, services
from officespace.models import Assessment
from tests.factories import UserFactory


def test_building_areas_and_occupant_counts_for_the_energy_app(staff, tree, building, room, seat, b_room, space_b):
    r = room("501", 20)
    seat(r, staff.clerk_a1)
    seat(r, UserFactory(org_unit=tree.a1))
    services.assign_occupancy(actor=space_b, room=b_room, person=staff.clerk_b1, start_date=date(2026, 1, 1))
    rows = {row["code"]: row for row in selectors.building_areas()}
    assert rows["A-1"]["building_area"] == Decimal("2000.00") and rows["A-1"]["use_area"] == Decimal("1500.00")
    assert (rows["A-1"]["occupants"], rows["B-1"]["occupants"]) == (2, 1)
    assert [row["code"] for row in selectors.building_areas(within=tree.a)] == ["A-1"]
    by_unit = selectors.areas_by_unit(unit_ids=[tree.a.pk])
    assert by_unit == {tree.a.pk: {"building_area": Decimal("2000"), "use_area": Decimal("1500"), "occupants": 2}}
    assert selectors.occupant_count(within=tree.r) == 3


def test_unit_report_splits_leaders_and_staff(staff, tree, room, seat, people):
    seat(room("501", 24), UserFactory(org_unit=tree.a1, post_level=PostLevel.DIVISION_PRINCIPAL))  # 18 → 6 over
    seat(room("502", 12), UserFactory(org_unit=tree.a1, post_level=PostLevel.CLERK, rank="staff_1"))  # 9 → 3 over
    seat(room("503", 9), UserFactory(org_unit=tree.a1, post_level=PostLevel.CLERK, rank="staff_1"))
    rows, total = selectors.unit_report(staff.space_a)
    assert len(rows) == 1
    assert (total["people"], total["over_people"], total["leader_over"], total["staff_over"]) == (3, 2, 1, 1)
    assert (total["approved_area"], total["actual_area"], total["excess_area"]) == (36, 45, 9)
    assert (total["leader_excess"], total["staff_excess"]) == (6, 3)
    assert total["excess_ratio"] == Decimal("25.00")
    # B's space administrator sees nothing of A.
    _, other = selectors.unit_report(people.admin_b)
    assert other["people"] == 0


def test_nightly_task_runs_the_whole_check(staff, tree, room, eager_celery):
    from officespace.models import Assessment
    from officespace.tasks import run_over_standard_check

    services.assign_occupancy(
        actor=staff.space_a, room=room("501", 24), person=staff.clerk_a1, start_date=date(2026, 1, 1)
    )
    assert not Assessment.objects.exists()  # the per-room run waits for the commit
    result = run_over_standard_check.delay().get()
    assert result["occupancies"] == 1 and result["over"] == 1


def test_nightly_check_is_in_the_beat_schedule():
    from config.celery import app

    assert app.conf.beat_schedule["officespace-over-standard-nightly"]["task"] == (
        "officespace.tasks.run_over_standard_check"
    )


def test_rank_change_in_the_directory_is_picked_up_by_the_next_check(staff, tree, room, seat):
    from officespace.models import Assessment

    person = UserFactory(org_unit=tree.a1, post_level=PostLevel.CLERK, rank="staff_1")
    occ = seat(room("501", 18), person)
    assert Assessment.objects.get(occupancy=occ).is_over
    person.post_level = PostLevel.DIVISION_PRINCIPAL
    person.save()
    check.run_check()
    a = Assessment.objects.get(occupancy=occ)
    assert not a.is_over and a.status == Assessment.Status.FIXED


def test_unit_roll_up_follows_occupancy_changes(staff, tree, room, seat, django_capture_on_commit_callbacks):
    occ = seat(room("501", 24), UserFactory(org_unit=tree.a1, post_level=PostLevel.DIVISION_PRINCIPAL))
    assert selectors.unit_report(staff.space_a)[1]["excess_area"] == Decimal("6")
    with django_capture_on_commit_callbacks(execute=True):
        services.end_occupancy(actor=staff.space_a, occupancy=occ, end_date=date(2026, 5, 1))
    rows, total = selectors.unit_report(staff.space_a)
    assert rows == [] and total["people"] == 0 and total["excess_area"] == 0


def test_the_check_holds_a_rank_only_official_to_the_post_standard_by_default(staff, tree, room, seat):
    # 省级 unit: a 科员 with the rank 二级调研员 in 18 m² — 9 m² standard (科员), 9 over; the result says
    # the 职务级别 was used.
    person = UserFactory(org_unit=tree.a1, post_level=PostLevel.CLERK, rank="researcher_2")
    a = Assessment.objects.get(occupancy=seat(room("501", 18), person))
    assert (a.grade, a.standard, a.excess, a.basis) == ("150", Decimal("9"), Decimal("9"), "post_level")
    assert a.get_basis_display() == "职务级别"
    assert selectors.standard_for(person) == Decimal("9")


def test_where_the_province_lets_the_rank_count_the_check_uses_it_and_says_so(staff, tree, room, seat, settings):
    settings.OFFICESPACE_RANK_RAISES_STANDARD = True
    # The same person and room: 二级调研员 → 县处级正职 row, 省级 18 m²: within the standard, by the 职级.
    person = UserFactory(org_unit=tree.a1, post_level=PostLevel.CLERK, rank="researcher_2")
    a = Assessment.objects.get(occupancy=seat(room("501", 18), person))
    assert (a.grade, a.standard, a.is_over, a.basis) == ("131", Decimal("18"), False, "rank")
    assert selectors.standard_for(person) == Decimal("18")
