"""The summary by department and by region of a province with more institutions in the reader's scope than
SQLite takes bound parameters in one statement (32,766 by default): the scope goes into the statement as a
subquery, not as a list of ids, so its size does not matter (issue #17)."""

import sqlite3
from decimal import Decimal

import pytest
from django.db import connection

from datahub.models import OrgUnit
from energy import selectors

from .factories import profile, record

pytestmark = pytest.mark.django_db

PER_DEPARTMENT = 1000


# SQLite's own default cap on one statement's parameters (since 3.32). Some builds raise it: Debian's takes
# 250,000, where this test built 251,000 institutions and took minutes of a SQLite run (#17).
SQLITE_DEFAULT_LIMIT = 32_766


@pytest.fixture
def variable_limit():
    """The cap on the parameters of one statement on the test's connection: on SQLite held at SQLite's default
    for the test (a real cap — the connection refuses a statement with more), so the province built here is the
    same size whatever the build allows; elsewhere that default, as the size to exceed."""
    if connection.vendor != "sqlite":
        yield SQLITE_DEFAULT_LIMIT
        return
    connection.ensure_connection()
    raw = connection.connection
    previous = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, min(previous, SQLITE_DEFAULT_LIMIT))
    try:
        yield raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, previous)


def _departments_with_institutions(region: OrgUnit, count: int) -> list[OrgUnit]:
    """``count`` departments (institutions) under ``region``, each with PER_DEPARTMENT institutions of its own,
    written in bulk with their tree paths."""
    step = OrgUnit.steplen
    departments = OrgUnit.objects.bulk_create(
        OrgUnit(
            path=f"{region.path}Z{d:0{step - 1}d}",
            depth=region.depth + 1,
            numchild=PER_DEPARTMENT,
            code=f"DEPT{d:04d}",
            name=f"部门{d:04d}",
            level=OrgUnit.Level.INSTITUTION,
            kind=OrgUnit.Kind.PUBLIC_INSTITUTION,
            region_code=region.region_code,
        )
        for d in range(count)
    )
    OrgUnit.objects.bulk_create(
        (
            OrgUnit(
                path=f"{dept.path}{i:0{step}d}",
                depth=dept.depth + 1,
                numchild=0,
                code=f"D{d:04d}I{i:04d}",
                name=f"部门{d:04d}所属{i:04d}",
                level=OrgUnit.Level.INSTITUTION,
                kind=OrgUnit.Kind.PUBLIC_INSTITUTION,
                region_code=region.region_code,
            )
            for d, dept in enumerate(departments)
            for i in range(1, PER_DEPARTMENT + 1)
        ),
        batch_size=2000,
    )
    OrgUnit.objects.filter(pk=region.pk).update(numchild=region.numchild + count)
    return departments


def test_the_summary_by_department_and_region_takes_more_institutions_than_sqlite_takes_parameters(
    energy_people, tree, variable_limit
):
    limit = variable_limit
    departments = _departments_with_institutions(tree.r, limit // PER_DEPARTMENT + 1)
    assert selectors.institutions_for(energy_people.leader).count() > limit

    first, last = departments[0], departments[-1]
    under_first = OrgUnit.objects.get(path=f"{first.path}{1:0{OrgUnit.steplen}d}")
    under_last = [OrgUnit.objects.get(path=f"{last.path}{i:0{OrgUnit.steplen}d}") for i in (7, PER_DEPARTMENT)]
    record(under_first, 2025, 1, "electricity", 100000)  # 12 290 kgce
    for unit in under_last:
        record(unit, 2025, 3, "electricity", 100000)
    record(under_last[0], 2025, 5, "water", 200)
    profile(under_last[1], 2025, area="2000", users=40)

    by_department = selectors.summary(energy_people.leader, year=2025, by="department")
    # each institution counts under the outermost institution above it: its department
    assert [name for name, _ in by_department] == [first.name, last.name]
    f_first, f_last = by_department[0][1], by_department[1][1]
    assert (f_first.kgce, f_first.institutions) == (Decimal(12290), 0)
    assert (f_last.kgce, f_last.institutions, f_last.area) == (Decimal(24580), 1, Decimal(2000))
    assert f_last.by_type["electricity"]["quantity"] == Decimal(200000) and f_last.water == Decimal(200)
    assert f_last.energy_per_m2 == Decimal("12.29") and f_last.water_per_person == Decimal(5)

    by_region = selectors.summary(energy_people.leader, year=2025, by="region")
    assert [(name, f.kgce, f.institutions) for name, f in by_region] == [(tree.r.name, Decimal(36870), 1)]
