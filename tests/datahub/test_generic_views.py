"""datahub's generic page views (datahub/generic_views.py), through a URLconf built only from them
(tests/datahub/generic_urls.py): a list never shows or exports another unit's rows, a bad filter value gives
the page and not a 500, the pager, a fixed number of queries, and the form and action views' handling of a
service's refusal."""

import copy
import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from datahub.models import ExportJob, OrgUnit
from tests.factories import UserFactory

pytestmark = pytest.mark.urls("tests.datahub.generic_urls")


@pytest.fixture(autouse=True)
def test_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates


def listed(response) -> list[str]:
    return [p.username for p in response.context["page"]]


def workbook_rows(response) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.values)


def test_a_list_never_shows_another_units_people(client, people, tree):
    client.force_login(people.admin_a)
    names = set()
    page = 1
    while True:
        response = client.get(reverse("people"), {"page": page})
        names |= set(listed(response))
        if page >= response.context["page"].paginator.num_pages:
            break
        page += 1
    assert {"admin_a", "clerk_a1"} <= names
    assert not names & {"admin_b", "clerk_b1"}


def test_the_export_lists_exactly_the_page_rows_and_no_other_unit(client, people, tree):
    client.force_login(people.admin_a)
    rows = workbook_rows(client.get(reverse("people"), {"export": "xlsx"}))
    assert rows[0] == ("用户名", "姓名", "单位")
    usernames = {r[0] for r in rows[1:]}
    assert {"admin_a", "clerk_a1"} <= usernames
    assert not usernames & {"admin_b", "clerk_b1"}


def test_a_large_export_runs_as_a_job_with_the_same_scope(
    client, people, tree, settings, tmp_path, eager_celery, django_capture_on_commit_callbacks
):
    """Eager mode on purpose: the job runs right after the request commits."""
    settings.EXPORT_INLINE_MAX_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("people"), {"export": "xlsx", "q": ""})
    job = ExportJob.objects.get()
    assert job.kind == "tests.PeopleList"
    assert response.url == reverse("export-job", args=[job.pk])
    assert job.status == "done"
    rows = workbook_rows(client.get(reverse("export-download", args=[job.pk])))
    assert not {r[0] for r in rows[1:]} & {"admin_b", "clerk_b1"}


def test_another_units_id_in_the_unit_filter_lists_nothing(client, people, tree):
    """Another agency's unit reads like a unit that does not exist (#19): an empty list that says so, and an
    export without a row of it — never a 404 page, never the other agency's people."""
    client.force_login(people.admin_a)
    response = client.get(reverse("people"), {"unit": tree.b.pk})
    assert response.status_code == 200
    assert any("不在您的管理范围内" in str(m) for m in get_messages(response.wsgi_request))
    assert not list(response.context["page"])
    export = client.get(reverse("people"), {"unit": tree.b.pk, "export": "xlsx"})
    if export.status_code == 302:
        export = client.get(export.url)
    rows = workbook_rows(export)
    assert not {r[0] for r in rows[1:]} & {"admin_b", "clerk_b1"}


def test_the_unit_filter_narrows_to_the_units_subtree(client, people, tree):
    client.force_login(people.admin_a)
    response = client.get(reverse("people"), {"unit": tree.a1.pk})
    assert listed(response) == ["clerk_a1"]
    assert response.context["unit"] == tree.a1
    assert tree.b not in response.context["units"]


@pytest.mark.parametrize(
    "params",
    [
        {"unit": "abc"},
        {"unit": "²"},
        {"since": "2026-02-30"},
        {"since": "0001-01-01"},
        {"year": "99999999999999999999999"},
        {"year": "-1"},
        {"manager": "1e9"},
        {"page": "abc"},
        {"page": "-3"},
        {"inactive": "yes"},
    ],
)
def test_a_bad_filter_value_is_read_as_absent_and_the_page_shows(client, people, tree, params):
    client.force_login(people.admin_a)
    response = client.get(reverse("people"), params)
    assert response.status_code == 200
    assert "admin_a" in listed(response) or response.context["page"].number > 1


def test_a_search_too_long_to_match_anything_shows_an_empty_page(client, people, tree):
    client.force_login(people.admin_a)
    response = client.get(reverse("people"), {"q": "x" * 10_000})
    assert response.status_code == 200
    assert listed(response) == []


def test_the_pager_keeps_the_filters_and_a_page_past_the_end_shows_the_last(client, people, tree):
    for n in range(4):
        UserFactory(username=f"a_extra_{n}", org_unit=tree.a1)
    client.force_login(people.admin_a)
    first = client.get(reverse("people"), {"q": "a_extra"})
    assert listed(first) == ["a_extra_0", "a_extra_1"]
    assert first.context["query"] == "q=a_extra"
    last = client.get(reverse("people"), {"q": "a_extra", "page": 99})
    assert listed(last) == ["a_extra_2", "a_extra_3"]
    assert last.context["query"] == "q=a_extra"


def test_a_list_page_uses_the_same_number_of_queries_for_more_rows(client, people, tree, django_assert_max_num_queries):
    client.force_login(people.admin_a)
    client.get(reverse("people"))  # the session and the role cache, once
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("people"), {"unit": tree.a1.pk})
    for n in range(30):
        UserFactory(username=f"more_{n}", org_unit=tree.a1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("people"), {"unit": tree.a1.pk})


def test_a_reader_without_the_role_is_refused_with_the_reason(client, tree):
    outsider = UserFactory(username="nobody", org_unit=None)
    client.force_login(outsider)
    response = client.get(reverse("people"))
    assert response.status_code == 403
    assert "您没有查看人员名录的权限。" in response.content.decode()


def test_a_signed_out_visitor_is_sent_to_sign_in(client, tree):
    assert client.get(reverse("people"))["Location"].startswith(reverse("login"))
    assert client.post(reverse("unit-rename", args=[tree.a.pk]))["Location"].startswith(reverse("login"))


# --- Form and action views -------------------------------------------------------------------------


def unit_data(unit: OrgUnit, **changes) -> dict:
    data = {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "kind": unit.kind,
        "uscc": unit.uscc,
        "region_code": unit.region_code,
        "staffing_quota": unit.staffing_quota or "",
        "is_active": "on" if unit.is_active else "",
    }
    return {**data, **changes}


def test_the_form_saves_through_the_service_with_a_message(client, people, tree):
    client.force_login(people.admin_a)
    response = client.post(reverse("unit-edit", args=[tree.a.pk]), unit_data(tree.a, name="甲厅（新）"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("unit-edit", args=[tree.a.pk])
    assert "机构信息已保存。" in [str(m) for m in response.context["messages"]]
    tree.a.refresh_from_db()
    assert tree.a.name == "甲厅（新）"


def test_the_services_refusal_shows_on_the_field_and_nothing_is_written(client, people, tree):
    client.force_login(people.admin_a)
    response = client.post(reverse("unit-edit", args=[tree.a.pk]), unit_data(tree.a, code="B", name="改了"))
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert OrgUnit.objects.get(pk=tree.a.pk).name == "甲厅"


def test_the_form_of_another_units_row_is_not_found(client, people, tree):
    client.force_login(people.admin_a)
    assert client.get(reverse("unit-edit", args=[tree.b.pk])).status_code == 404
    assert client.post(reverse("unit-edit", args=[tree.b.pk]), unit_data(tree.b, name="x")).status_code == 404
    assert OrgUnit.objects.get(pk=tree.b.pk).name == "乙厅"


def test_the_form_refuses_someone_who_may_only_read(client, people, tree):
    client.force_login(people.leader)
    response = client.get(reverse("unit-edit", args=[tree.a.pk]))
    assert response.status_code == 403
    assert "您没有管理该机构的权限。" in response.content.decode()


def test_an_action_answers_only_post(client, people, tree):
    client.force_login(people.admin_a)
    assert client.get(reverse("unit-rename", args=[tree.a.pk])).status_code == 405


def test_an_actions_refusal_is_a_message_and_nothing_is_written(client, people, tree):
    client.force_login(people.leader)
    response = client.post(reverse("unit-rename", args=[tree.a.pk]), {"name": "改了"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert OrgUnit.objects.get(pk=tree.a.pk).name == "甲厅"


def test_an_action_on_another_units_row_is_not_found(client, people, tree):
    client.force_login(people.admin_a)
    assert client.post(reverse("unit-rename", args=[tree.b.pk]), {"name": "改了"}).status_code == 404
    assert OrgUnit.objects.get(pk=tree.b.pk).name == "乙厅"
