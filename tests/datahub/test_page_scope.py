"""What every domain's pages check before reading (datahub.pages.PageScope) and the shared tab bar."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import engines
from django.test import RequestFactory

from datahub.models import OrgUnit
from datahub.pages import PageScope
from datahub.roles import Role

PAGES = PageScope(readers=(Role.BUREAU_ADMIN, Role.LEADER), subject="测试台账")


def _get(user, query=""):
    request = RequestFactory().get("/" + query)
    request.user = user
    return request


def test_a_user_without_a_reader_role_is_refused_with_the_subject_named(people):
    with pytest.raises(PermissionDenied, match="您没有查看测试台账的权限。"):
        PAGES.require_reader(_get(people.clerk_a1))
    PAGES.require_reader(_get(people.admin_a))  # holds a reader role: no exception


def test_a_page_may_ask_for_other_roles_than_the_readers(people):
    with pytest.raises(PermissionDenied, match="测试台账"):
        PAGES.require_reader(_get(people.leader), roles=(Role.BUREAU_ADMIN,))


@pytest.mark.parametrize("query", ["", "?unit=", "?unit=abc", "?unit=0", "?unit=-1", "?unit=99999999999999999999"])
def test_no_unit_or_a_garbage_unit_narrows_nothing(people, query):
    assert PAGES.within(_get(people.admin_a, query)) is None


def test_a_unit_in_scope_narrows_the_list_and_another_units_is_not_found(people, tree):
    assert PAGES.within(_get(people.admin_a, f"?unit={tree.a1.pk}")) == tree.a1
    with pytest.raises(Http404):
        PAGES.within(_get(people.admin_a, f"?unit={tree.b.pk}"))


def test_the_unit_filter_offers_only_visible_units_at_the_sections_levels(people, tree):
    assert set(PAGES.units(_get(people.admin_a))) == {tree.a, tree.a1}
    regions_and_institutions = PageScope(
        readers=(Role.LEADER,), subject="测试台账", unit_levels=(OrgUnit.Level.REGION, OrgUnit.Level.INSTITUTION)
    )
    assert set(regions_and_institutions.units(_get(people.leader))) == {tree.r, tree.a, tree.b}


def _tabs(user, tab):
    template = engines["django"].from_string('{% load section_tabs %}{% section_tabs "assetpool" tab %}')
    return template.render({"request": _get(user), "tab": tab})


def test_section_tabs_leave_out_the_pages_a_user_may_not_open(people):
    html = _tabs(people.clerk_a1, "pool")
    assert "公物仓" in html and "先仓后购" in html
    assert "调剂台账" not in html and "应交公物仓" not in html


def test_section_tabs_mark_the_current_page(people):
    html = _tabs(people.admin_a, "reuses")
    assert 'class="active">调剂台账</a>' in html
    assert html.count('class="active"') == 1
