"""The over-standard check gives the same results in SQL (PostgreSQL) as in Python (SQLite's path).

One world with every case the regulation distinguishes — shared and mixed-rank rooms, rounding half
up (ties and excesses that round to nothing), people with both a post level and a rank, the classes
by 行政区划代码 and by a declared ``UnitClass`` on the unit or an ancestor, a person outside the
directory, second offices, leavers and deactivated people, rooms closed or turned into meeting rooms —
checked by both paths, then changed and checked again, then checked with nothing changed; every result,
every count and the unit roll-up must be the same. The hand-computed cases of ``test_services`` run on
both databases (and so on both paths).
"""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection, transaction

from datahub.figures import figures_changed
from datahub.models import User
from datahub.rules import PostLevel, Rank
from officespace import check, check_sql
from officespace.models import Assessment, Building, Floor, Occupancy, RankMapping, Room, UnitClass, UnitRollup
from portal.models import Ticket
from tests.factories import OrgUnitFactory, UserFactory, department

TODAY = date(2026, 3, 1)
START = date(2025, 6, 1)

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path is PostgreSQL's")


def person(unit, post_level=PostLevel.CLERK, rank=Rank.STAFF_1, **kw):
    return UserFactory(org_unit=unit, post_level=post_level, rank=rank, **kw)


def build_world(tree):
    """Units of every class, one building, and the rooms and people of each case."""
    city = OrgUnitFactory(parent=tree.r, code="C", name="杭州市某局", region_code="330100")
    county = OrgUnitFactory(parent=city, code="K", name="西湖区某局", region_code="330106")
    county_dept = department(county, code="K1", name="西湖区某局办公室", region_code="330106")
    central = OrgUnitFactory(parent=tree.r, code="Z", name="驻浙某中央机关", region_code="330000")
    central_dept = department(central, code="Z1", name="驻浙中央机关处室", region_code="330000")
    township = department(central_dept, code="Z11", name="某乡镇站所", region_code="330106")
    UnitClass.objects.create(org_unit=central, admin_class="central")  # the whole subtree ...
    UnitClass.objects.create(org_unit=township, admin_class="township")  # ... but the nearer declaration wins
    # A post level that does not count (blank grade) falls back to the staff row.
    RankMapping.objects.filter(source="post_level", code="160").update(grade="")

    building = Building.objects.create(
        code="W-1", name="综合楼", address="某路1号", org_unit=tree.a, building_area=Decimal("9000"),
        use_area=Decimal("8000"),
    )  # fmt: skip
    floor = Floor.objects.create(building=building, number=1)
    rooms = {}

    def seat(key, area, unit, people, **occupancy):
        rooms[key] = room = Room.objects.create(
            building=building, floor=floor, number=key, use_area=Decimal(area), org_unit=unit
        )
        for p in people:
            Occupancy.objects.create(room=room, person=p, start_date=START, **occupancy)
        return room

    a1 = tree.a1
    ticket = Ticket.objects.create(
        kind="officespace.adjustment", title="第二办公室", requester=tree_person(a1), org_unit=a1
    )
    seat("chief-24", "24", a1, [person(a1, PostLevel.DIVISION_PRINCIPAL, Rank.RESEARCHER_2)])  # 18 → 6 over
    seat("three-clerks-20", "20", a1, [person(a1) for _ in range(3)])  # 6.67 each, within
    seat("mixed-36", "36", a1, [person(a1, PostLevel.DIVISION_PRINCIPAL), person(a1)])  # 27 → 9 over, 6 / 3
    # 18 + 9 + 12 = 39 against 40.01: 1.01 over, split 0.47 / 0.23 / 0.31; each share 13.34.
    seat("mixed-40.01", "40.01", a1, [person(a1, PostLevel.DIVISION_PRINCIPAL), person(a1),
                                      person(a1, PostLevel.DIVISION_DEPUTY)])  # fmt: skip
    seat("tie-18.05", "18.05", a1, [person(a1), person(a1)])  # shares 9.025 → 9.03, excess 0.025 → 0.03
    seat("tiny-27.01", "27.01", a1, [person(a1) for _ in range(3)])  # 0.0033 each rounds to 0: not over
    # Post level and rank: a 科员 with the rank 二级调研员, a 处长 with a lower rank, a 厅局级副职 with the
    # rank 一级巡视员 (higher), 未定职 without a rank, and 办事员 whose mapping counts for nothing.
    seat("rank-only-18", "18", a1, [person(a1, PostLevel.CLERK, Rank.RESEARCHER_2)])
    seat("chief-low-rank-20", "20", a1, [person(a1, PostLevel.DIVISION_PRINCIPAL, Rank.PRINCIPAL_STAFF_1)])
    seat("deputy-high-rank-30", "30", a1, [person(a1, PostLevel.BUREAU_DEPUTY, Rank.INSPECTOR_1)])
    seat("undetermined-12", "12", a1, [person(a1, PostLevel.UNDETERMINED, "")])
    seat("officer-11", "11", a1, [person(a1, PostLevel.OFFICER, Rank.STAFF_2)])
    # Classes: city, county, declared 中央 on an ancestor, declared 乡 on the unit under it.
    seat("city-26", "26", city, [person(city, PostLevel.DIVISION_PRINCIPAL)])  # 市级 正局（处）级 24
    seat("county-26", "26", county_dept, [person(county_dept, PostLevel.DIVISION_PRINCIPAL)])  # 县级 30
    seat("central-26", "26", central_dept, [person(central_dept, PostLevel.DIVISION_PRINCIPAL)])  # 中央 12
    seat("township-26", "26", township, [person(township, PostLevel.SECTION_PRINCIPAL)])  # 乡 18
    # Outside the directory: counted under the room's unit (a county unit here).
    seat("no-unit-12", "12", county_dept, [person(None)])
    # Second offices: approved and small, approved but not smaller than the standard, unapproved,
    # and one whose side post ended more than two months ago.
    main_of = {k: person(a1, PostLevel.DIVISION_PRINCIPAL) for k in ("small", "large", "unapproved", "ended")}
    for p in main_of.values():
        seat(f"main-{p.pk}", "18", a1, [p])
    seat("second-small-9", "9", a1, [main_of["small"]], is_main=False, approval_ticket=ticket)
    seat("second-large-18", "18", a1, [main_of["large"]], is_main=False, approval_ticket=ticket)
    seat("second-unapproved-9", "9", a1, [main_of["unapproved"]], is_main=False)
    seat("second-ended-9", "9", a1, [main_of["ended"]], is_main=False, approval_ticket=ticket,
         post_ended_on=date(2025, 12, 31))  # fmt: skip
    # Leavers: due back 28 Feb (31 Jan + 1 month) → flagged on 1 March; due back 10 March → not yet.
    seat("leaver-due-9", "9", a1, [person(a1)], post_ended_on=date(2026, 1, 31), post_end_reason="transfer")
    seat("leaver-not-due-9", "9", a1, [person(a1)], post_ended_on=date(2026, 2, 10), post_end_reason="retire")
    seat("deactivated-9", "9", a1, [person(a1, is_active=False)])
    newcomer = person(a1, PostLevel.SECTION_DEPUTY)  # seated between two runs (change_world)
    return SimpleNamespace(rooms=rooms, city=city, county_dept=county_dept, a1=a1, newcomer=newcomer)


def tree_person(unit):
    return UserFactory(org_unit=unit)


def change_world(world):
    """What happens between two nightly runs."""
    rooms = world.rooms

    def people_in(key):
        return User.objects.filter(pk__in=Occupancy.objects.filter(room=rooms[key]).values("person"))

    # A rank change: one 科员 of the tie room becomes a 处长 (the room's standard and excesses move).
    User.objects.filter(pk=people_in("tie-18.05").order_by("pk")[0].pk).update(post_level=PostLevel.DIVISION_PRINCIPAL)
    # The over-standard chief's room is partitioned (fixed); the mixed room's clerk leaves (ended).
    Room.objects.filter(pk=rooms["chief-24"].pk).update(use_area=Decimal("18"))
    Occupancy.objects.filter(room=rooms["mixed-36"], person__post_level=PostLevel.CLERK).update(
        end_date=date(2026, 2, 20)
    )
    # A room closed, a room turned into a service room, a clerk moved to a city unit.
    Room.objects.filter(pk=rooms["officer-11"].pk).update(is_active=False)
    Room.objects.filter(pk=rooms["undetermined-12"].pk).update(category="service")
    User.objects.filter(pk=people_in("three-clerks-20").order_by("pk")[0].pk).update(org_unit=world.city)
    # An excess marked fixed by hand that is still there (reopened), a case in progress that goes away (fixed).
    Assessment.objects.filter(room=rooms["chief-low-rank-20"]).update(status=Assessment.Status.FIXED)
    Assessment.objects.filter(room=rooms["city-26"]).update(status=Assessment.Status.IN_PROGRESS)
    Room.objects.filter(pk=rooms["city-26"].pk).update(use_area=Decimal("20"))
    # A newcomer shares the township office.
    Occupancy.objects.create(room=rooms["township-26"], person=world.newcomer, start_date=date(2026, 2, 1))


def snapshot() -> dict:
    results = {
        (a["person_id"], a["room_id"]): a
        for a in Assessment.objects.values(
            *check.CHECK_NUMBERS, "is_current", "status", "remedy", "handled_at", "checked_at"
        )
    }
    for a in results.values():
        a["handled"] = a.pop("handled_at") is not None
        assert a.pop("checked_at") is not None
    rollups = {r.pop("org_unit"): r for r in UnitRollup.objects.values("org_unit", *check_sql.selectors.ROLLUP_FIELDS)}
    return {"results": results, "rollups": rollups}


class _Undo(Exception):
    pass


@contextmanager
def undone():
    """Run the block and roll everything it wrote back, so that the other path starts from the same rows."""
    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass


def history(world, *, in_sql: bool) -> list:
    """The runs of one path: first run, after changes, unchanged rerun, one room — counts and results."""
    seen = []
    first = check._run_check(None, TODAY, in_sql=in_sql)
    seen.append(("first", first, snapshot()))
    change_world(world)
    seen.append(("after changes", check._run_check(None, TODAY, in_sql=in_sql), snapshot()))
    seen.append(("unchanged", check._run_check(None, TODAY, in_sql=in_sql), snapshot()))
    Room.objects.filter(pk=world.rooms["mixed-40.01"].pk).update(use_area=Decimal("41.00"))
    room_run = check._run_check([world.rooms["mixed-40.01"].pk], date(2026, 3, 20), in_sql=in_sql)
    seen.append(("one room", room_run, snapshot()))
    return seen


@postgres_only
@pytest.mark.parametrize("rank_counts", [False, True], ids=["post-level-decides", "rank-may-raise"])
def test_sql_and_python_paths_give_the_same_results(tree, settings, rank_counts):
    settings.OFFICESPACE_RANK_RAISES_STANDARD = rank_counts
    world = build_world(tree)
    runs = {}
    for in_sql in (False, True):
        with undone():
            runs[in_sql] = history(world, in_sql=in_sql)
    for (step, py_counts, py_rows), (_, sql_counts, sql_rows) in zip(runs[False], runs[True], strict=True):
        assert sql_counts == py_counts, step
        assert sql_rows["results"].keys() == py_rows["results"].keys(), step
        for key, expected in py_rows["results"].items():
            assert sql_rows["results"][key] == expected, (step, key)
        assert sql_rows["rollups"] == py_rows["rollups"], step
    # The world covers what it says it covers.
    first = runs[True][0][2]["results"]
    assert {a["admin_class"] for a in first.values()} == {"central", "provincial", "municipal", "county", "township"}
    assert {a["flag"] for a in first.values()} == set(Assessment.Flag.values)
    assert {a["basis"] for a in first.values()} == ({"post_level", "rank"} if rank_counts else {"post_level"})
    unchanged = runs[True][2][1]
    assert unchanged["created"] == unchanged["updated"] == unchanged["closed"] == 0


@postgres_only
def test_hand_computed_shares_and_excesses_in_sql(tree):
    world = build_world(tree)
    check._run_check(None, TODAY, in_sql=True)

    def of(key):
        return sorted(
            Assessment.objects.filter(room=world.rooms[key]).values_list("standard", "share", "excess", "is_over")
        )

    assert of("mixed-40.01") == sorted(
        [
            (Decimal("18.00"), Decimal("13.34"), Decimal("0.47"), True),
            (Decimal("9.00"), Decimal("13.34"), Decimal("0.23"), True),
            (Decimal("12.00"), Decimal("13.34"), Decimal("0.31"), True),
        ]
    )
    assert of("tie-18.05") == [(Decimal("9.00"), Decimal("9.03"), Decimal("0.03"), True)] * 2  # half up
    assert of("tiny-27.01") == [(Decimal("9.00"), Decimal("9.00"), Decimal("0.00"), False)] * 3
    leaver = Assessment.objects.get(room=world.rooms["leaver-due-9"])
    assert (leaver.flag, leaver.return_due) == (Assessment.Flag.LEAVER_RETURN_DUE, date(2026, 2, 28))
    township = Assessment.objects.get(room=world.rooms["township-26"])
    assert (township.admin_class, township.standard) == ("township", Decimal("18.00"))


def test_a_run_announces_the_units_whose_results_moved(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the world's own announcements sent first
        world = build_world(tree)
    heard = []

    def listener(sender, unit_ids, months, **kwargs):
        heard.append(set(unit_ids))

    figures_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            check.run_check(today=TODAY)
        assert heard and {world.city.pk, world.county_dept.pk, world.a1.pk} <= heard[-1]
        heard.clear()
        with django_capture_on_commit_callbacks(execute=True):
            check.run_check(today=TODAY)  # nothing changed: nothing to announce
        assert heard == []
    finally:
        figures_changed.disconnect(listener)
