"""The request kinds are listed by domain and name in the reader's language, and a new kind is listed at once."""

from django.utils import translation

from portal import registry


def _order(kinds):
    return [(str(k.domain), str(k.label)) for k in kinds]


def test_kinds_are_sorted_by_domain_and_name_in_each_language():
    chinese = registry.all_kinds()
    assert _order(chinese) == sorted(_order(chinese))
    with translation.override("en"):
        english = registry.all_kinds()
        assert _order(english) == sorted(_order(english))
    assert {k.code for k in english} == {k.code for k in chinese}


def test_a_kind_registered_later_is_listed(settings):
    from dataclasses import replace

    repair = registry.get("repair")
    late = replace(repair, code="test_late_kind")
    registry.all_kinds()  # the sorted list is kept …
    registry.register(late)
    try:
        assert "test_late_kind" in {k.code for k in registry.all_kinds()}  # … and redone for the new kind
    finally:
        registry._KINDS.pop("test_late_kind")
    assert "test_late_kind" not in {k.code for k in registry.all_kinds()}


def test_handler_roles_are_those_of_the_kinds():
    assert registry.handler_roles() == {k.handler_role for k in registry.all_kinds()}
