"""What every domain's pages check before reading (datahub.pages.PageScope) and the shared tab bar."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from datahub import pages
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


def test_the_unit_filter_offers_a_bounded_number_of_units_and_the_chosen_one_first(people, tree, monkeypatch):
    """A province-wide reader sees 2,000 units: the filter offers UNIT_CHOICES_MAX of them (tree order)
    and always the chosen one, first — never every unit on every list page."""
    monkeypatch.setattr(pages, "UNIT_CHOICES_MAX", 1)
    assert list(PAGES.units(_get(people.admin_a))) == [tree.a]
    assert list(PAGES.units(_get(people.admin_a, f"?unit={tree.a1.pk}"))) == [tree.a1]


def test_the_unit_filter_search_narrows_by_name_or_code_within_the_users_units(people, tree):
    assert list(PAGES.units(_get(people.admin_a, "?unit_q=办公室"))) == [tree.a1]
    assert list(PAGES.units(_get(people.admin_a, "?unit_q=a1"))) == [tree.a1]
    # 乙厅办公室 matches too, but lies outside admin_a's units (the province's leader sees both).
    assert list(PAGES.units(_get(people.admin_a, "?unit_q=乙厅"))) == []
    assert list(PAGES.units(_get(people.leader, "?unit_q=办公室"))) == [tree.a1, tree.b1]
    # The chosen unit stays offered while the search lists others.
    assert list(PAGES.units(_get(people.admin_a, f"?unit={tree.a.pk}&unit_q=办公室"))) == [tree.a, tree.a1]


def test_the_unit_filter_works_without_javascript(people, tree):
    """Without JavaScript the search box is submitted with the form and the drop-down lists the matches."""
    units = PAGES.units(_get(people.admin_a, f"?unit_q=办公室&unit={tree.a1.pk}"))
    html = render_to_string("datahub/_unit_filter.html", {"units": units})
    assert 'name="unit_q" value="办公室"' in html
    assert f'<option value="{tree.a1.pk}" selected>甲厅 › 甲厅办公室</option>' in html
    assert f'value="{tree.a.pk}"' not in html
    assert f'hx-get="{units.search_url}"' in html


def test_unit_options_suggest_only_the_units_the_token_roles_let_this_user_see(client, people, tree):
    units = PAGES.units(_get(people.admin_a))
    url, search = reverse("unit-options"), {"scope": units.token, "unit_q": "厅"}
    assert units.search_url == f"{url}?scope={units.token}"
    client.force_login(people.admin_a)
    html = client.get(url, search).content.decode()
    assert "甲厅" in html and "甲厅办公室" in html and "乙厅" not in html
    # The same token in another unit's hands lists that person's units, not admin_a's.
    client.force_login(people.admin_b)
    html = client.get(url, search).content.decode()
    assert "乙厅" in html and "甲厅" not in html
    # A clerk holds none of the token's roles: nothing to pick.
    client.force_login(people.clerk_a1)
    assert "厅" not in client.get(url, search).content.decode()


@pytest.mark.parametrize("scope", ["", "forged", "W1siYnVyZWF1X2FkbWluIl0sWyJkZXBhcnRtZW50Il1d"])
def test_unit_options_with_a_token_not_signed_here_list_nothing(client, people, scope):
    client.force_login(people.leader)
    response = client.get(reverse("unit-options"), {"scope": scope, "unit_q": "厅"})
    assert response.status_code == 200
    assert "厅" not in response.content.decode() and "全部单位" in response.content.decode()


def test_unit_options_need_a_signed_in_user(client):
    response = client.get(reverse("unit-options"), {"scope": "x"})
    assert response.status_code == 302 and reverse("login") in response["Location"]


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
