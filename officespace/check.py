"""The over-standard check: every current office occupancy against the area standard.

On PostgreSQL the whole run is one statement (``check_sql``): the class, grade, standard, per-room
sums, shares, excess and flags computed in SQL from the standard tables and ``rules``' data, only
the results whose numbers differ written, and the roll-up an ``INSERT … SELECT … GROUP BY``.

On SQLite (the embedded default) the same rule runs in Python: one streamed query over the current
office occupancies (room area, person's unit, post level and rank joined in SQL, ordered by room),
the standards and the rank mapping loaded once as dicts, the arithmetic in ``Decimal`` (``rules``),
and the results written with ``bulk_create`` of the rows that changed (a test runs both paths on
the same data on PostgreSQL and compares every result). Either way the query count does not depend
on the number of rooms. Run by the Celery tasks in ``tasks.py`` (nightly, and after an occupancy
change); it imports neither the services nor the tasks.

Every run announces the units whose results moved (``datahub.figures.changed``: the command center
refreshes their figures once the run commits).
"""

from datetime import date
from decimal import Decimal
from itertools import groupby

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from datahub import figures

from . import check_sql, rules, selectors
from .models import Assessment, Occupancy, RoomCategory, UnitRollup

CHECK_NUMBERS = check_sql.NUMBERS  # what a run computes: declared once, in the order the statement selects them
STILL_TO_FIX = (Assessment.Status.OPEN, Assessment.Status.IN_PROGRESS)
COMPARE = ("pk", "occupancy_id", "is_current", *CHECK_NUMBERS)
WRITE_BATCH = 2000
CHECK_LOCK = 0x6F666663  # pg_advisory_xact_lock key of the over-standard check ("offc")


def refresh_rollups(unit_ids: set[int] | None = None) -> int:
    """Recompute the per-unit roll-up of the current main-office results (all units, or ``unit_ids``).

    One grouped query over the results; the leaders' report reads the roll-up, not the results.
    """
    results = Assessment.objects.filter(is_current=True, is_main=True)
    rollups = UnitRollup.objects.all()
    if unit_ids is not None:
        unit_ids = {u for u in unit_ids if u is not None}
        results = results.filter(org_unit_id__in=unit_ids)
        rollups = rollups.filter(org_unit_id__in=unit_ids)
    now = timezone.now()
    rows = [
        UnitRollup(org_unit_id=r.pop("org_unit"), refreshed_at=now, **r)
        for r in results.values("org_unit").annotate(**selectors.ROLLUP).order_by()
    ]
    rollups.delete()
    UnitRollup.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    return len(rows)


def _flag(row: dict, share: Decimal, standard: Decimal, today: date) -> tuple[str, date | None]:
    ended = row["post_ended_on"]
    if not row["is_main"]:
        due = rules.add_months(ended, rules.SECOND_OFFICE_RETURN_MONTHS) if ended else None
        if due is not None and today > due:
            return Assessment.Flag.SECOND_RETURN_DUE, due
        if row["approval_ticket_id"] is None:
            return Assessment.Flag.SECOND_UNAPPROVED, due
        if share >= standard:
            return Assessment.Flag.SECOND_TOO_LARGE, due
        return "", due
    if ended is not None:
        due = rules.add_months(ended, rules.LEAVER_RETURN_MONTHS)
        return (Assessment.Flag.LEAVER_RETURN_DUE if today > due else ""), due
    if not row["person_active"]:
        return Assessment.Flag.LEAVER_RETURN_DUE, None
    return "", None


def _current_office_rows(room_ids):
    qs = Occupancy.objects.filter(end_date__isnull=True, room__category=RoomCategory.OFFICE, room__is_active=True)
    if room_ids is not None:
        qs = qs.filter(room_id__in=room_ids)
    fields = {
        "pk": "pk",
        "room_id": "room_id",
        "area": "room__use_area",
        "person_id": "person_id",
        "unit_id": "person__org_unit_id",
        "unit_path": "person__org_unit__path",
        "unit_region": "person__org_unit__region_code",
        "room_unit_id": "room__org_unit_id",
        "room_unit_path": "room__org_unit__path",
        "room_unit_region": "room__org_unit__region_code",
        "post_level": "person__post_level",
        "rank": "person__rank",
        "person_active": "person__is_active",
        "is_main": "is_main",
        "approval_ticket_id": "approval_ticket_id",
        "post_ended_on": "post_ended_on",
    }
    names = list(fields)
    for values in qs.order_by("room_id", "pk").values_list(*fields.values()).iterator(chunk_size=5000):
        yield dict(zip(names, values, strict=True))


def run_check(*, room_ids: list[int] | None = None, today: date | None = None) -> dict:
    """Assess every current office occupancy (or those of ``room_ids``) against the standard.

    Writes one ``Assessment`` per occupancy (numbers only where they changed), closes the
    assessments of occupancies that ended, and marks an excess that went away as 已整改
    (and one that came back as 未整改 again). Returns counts.
    """
    with transaction.atomic():
        _serialise_checks()
        return _run_check(room_ids, today or timezone.localdate())


def _serialise_checks() -> None:
    """One check writes at a time (the nightly run and a per-room run on two workers would
    otherwise both insert the same new results). SQLite serialises writers by itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHECK_LOCK])


def _run_check(room_ids, today, *, in_sql: bool | None = None) -> dict:
    """One run: in SQL on PostgreSQL (``in_sql`` None), or as asked (the test comparing both paths)."""
    now = timezone.now()
    if in_sql is None:
        in_sql = connection.vendor == "postgresql"
    if in_sql:
        counts, touched = check_sql.run(room_ids, today, now)
        # The nightly run rebuilds the whole roll-up when anything moved; a per-room run the units it touched.
        if touched:
            check_sql.refresh_rollups(None if room_ids is None else touched, now)
    else:
        counts, touched = _run_in_python(room_ids, today, now)
        refresh_rollups(None if room_ids is None else touched)
    # The command center's space figures are this month's (as ``watch(Assessment)`` says for a saved row).
    figures.changed(touched, [timezone.localdate()])
    return counts


def _run_in_python(room_ids, today, now) -> tuple[dict, set[int]]:
    standards = selectors.current_standards()
    mapping = selectors.rank_mapping()
    rank_counts = selectors.rank_raises_standard()
    resolver = selectors.ClassResolver()
    computed: dict[int, dict] = {}
    rooms = 0
    for _room_id, group in groupby(_current_office_rows(room_ids), key=lambda r: r["room_id"]):
        members = list(group)
        rooms += 1
        for r in members:
            if r["unit_id"] is None:  # a person outside the directory counts under the room's unit
                r["unit_id"], r["unit_path"], r["unit_region"] = (
                    r["room_unit_id"],
                    r["room_unit_path"],
                    r["room_unit_region"],
                )
            r["admin_class"] = resolver.class_of(r["unit_path"], r["unit_region"])
            r["grade"], r["is_leader"], r["basis"] = rules.grade_for(
                r["post_level"], r["rank"], mapping, rank_counts=rank_counts
            )
            r["standard"] = standards[(r["admin_class"], r["grade"])]
        area = members[0]["area"]
        _, split = rules.shares(area, [r["standard"] for r in members])
        for r, part in zip(members, split, strict=True):
            flag, due = _flag(r, part.share, r["standard"], today)
            computed[r["pk"]] = {
                "person_id": r["person_id"],
                "room_id": r["room_id"],
                "org_unit_id": r["unit_id"],
                "admin_class": r["admin_class"],
                "grade": r["grade"],
                "basis": r["basis"],
                "is_leader": r["is_leader"],
                "is_main": r["is_main"],
                "occupants": len(members),
                "standard": r["standard"],
                "share": part.share,
                "excess": part.excess,
                "is_over": part.excess > 0,
                "flag": flag,
                "return_due": due,
            }

    if room_ids is not None:
        existing = Assessment.objects.filter(room_id__in=room_ids)
        candidates = Assessment.objects.filter(occupancy_id__in=list(computed))
    else:
        existing = Assessment.objects.all()
        candidates = existing.filter(Q(is_current=True) | Q(occupancy__end_date__isnull=True))
    # Compare as plain tuples (cheap for 10⁵ rows); load whole rows only for those that changed.
    changed: dict[int, dict] = {}
    seen: set[int] = set()
    touched_units: set[int] = set()
    for values in candidates.values_list(*COMPARE).iterator(chunk_size=10000):
        old = dict(zip(COMPARE, values, strict=True))
        new = computed.get(old["occupancy_id"])
        if new is None:
            continue
        seen.add(old["occupancy_id"])
        if old["is_current"] and all(old[k] == v for k, v in new.items()):
            continue
        changed[old["pk"]] = new
        touched_units.update((old["org_unit_id"], new["org_unit_id"]))
    fixed = reopened = 0
    pks = list(changed)
    for start in range(0, len(pks), WRITE_BATCH):
        rows = list(Assessment.objects.filter(pk__in=pks[start : start + WRITE_BATCH]))
        for a in rows:
            was_problem = a.is_current and (a.is_over or bool(a.flag))
            new = changed[a.pk]
            now_problem = new["is_over"] or bool(new["flag"])
            for k, v in new.items():
                setattr(a, k, v)
            a.is_current, a.checked_at = True, now
            if was_problem and not now_problem and a.status in STILL_TO_FIX:
                a.status, a.handled_at = Assessment.Status.FIXED, now
                fixed += 1
            elif now_problem and not was_problem and a.status == Assessment.Status.FIXED:
                a.status = Assessment.Status.OPEN
                reopened += 1
        # Delete and re-insert (same primary keys): linear, where a bulk UPDATE ... CASE is quadratic.
        Assessment.objects.filter(pk__in=[a.pk for a in rows]).delete()
        Assessment.objects.bulk_create(rows)
    created = [
        Assessment(occupancy_id=pk, checked_at=now, is_current=True, **values)
        for pk, values in computed.items()
        if pk not in seen
    ]
    Assessment.objects.bulk_create(created, batch_size=WRITE_BATCH)
    touched_units.update(a.org_unit_id for a in created)
    # Occupancies that ended (or whose room is no longer an office in use): close their rows.
    gone = existing.filter(is_current=True).filter(
        Q(occupancy__end_date__isnull=False) | ~Q(room__category=RoomCategory.OFFICE) | Q(room__is_active=False)
    )
    touched_units.update(gone.values_list("org_unit_id", flat=True).distinct())
    closed_fixed = gone.filter(Q(is_over=True) | ~Q(flag=""), status__in=STILL_TO_FIX).update(
        status=Assessment.Status.FIXED, handled_at=now, checked_at=now
    )
    closed = gone.update(is_current=False, checked_at=now)
    counts = {
        "rooms": rooms,
        "occupancies": len(computed),
        "created": len(created),
        "updated": len(changed),
        "closed": closed,
        "fixed": fixed + closed_fixed,
        "reopened": reopened,
        "over": sum(1 for v in computed.values() if v["is_over"]),
        "flagged": sum(1 for v in computed.values() if v["flag"]),
    }
    return counts, {u for u in touched_units if u is not None}
