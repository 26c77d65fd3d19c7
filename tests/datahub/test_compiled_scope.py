"""A scoped list's statement (datahub.compiled): the scope's subtrees bound as prefixes, escaped as the ORM escapes
them, a marker inside another value refused, and the stand-in reader's id refused (#17)."""

import pytest
from django.db import connection

from datahub.compiled import SCOPE_MARKERS, PageStatement, ScopeReader, _bindings, _bound, scope_values
from datahub.models import OrgUnit
from datahub.roles import Role
from datahub.scoping import visible_units

pytestmark = pytest.mark.django_db


def test_a_prefix_is_bound_with_its_like_characters_escaped():
    bindings = _bindings(["\x00path0\x00%", 7], {"p0": "\x00path0\x00"}, OrgUnit)
    assert _bound(bindings, {"p0": "00_1%"}, connection) == [f"{connection.ops.prep_for_like_query('00_1%')}%", 7]


def test_a_marker_bound_inside_another_value_is_refused():
    with pytest.raises(RuntimeError):
        _bindings(["%\x00path0\x00%", "\x00path0\x00%"], {"p0": "\x00path0\x00"}, OrgUnit)


def test_the_stand_in_reader_has_no_id():
    with pytest.raises(RuntimeError):
        ScopeReader((Role.BUREAU_ADMIN,), {}).pk  # noqa: B018


def _units(**paths):
    units = visible_units(ScopeReader((Role.BUREAU_ADMIN,), paths), roles=(Role.BUREAU_ADMIN,)).order_by("path")
    return units, units.values("name")


UNITS = PageStatement(OrgUnit, _units, SCOPE_MARKERS)


def test_the_units_a_reader_sees_through_the_statement_are_those_scope_gives(people, tree):
    for user in (people.admin_a, people.admin_b, people.leader):
        values = scope_values(user, (Role.BUREAU_ADMIN,))
        if values is None:
            assert not visible_units(user, roles=(Role.BUREAU_ADMIN,)).exists()
            continue
        total, rows = UNITS.page(values, limit=100, offset=0)
        expected = list(visible_units(user, roles=(Role.BUREAU_ADMIN,)).order_by("path").values("name"))
        assert rows == expected and total == len(expected) > 0
