"""清查盘点 pages and API: the scanning page, imports, closing, scoping and query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from datahub.models import ExportJob
from stocktake.models import Count, Stocktake, StocktakeStatus
from tests import importing
from tests.unit_paths import shown

from .factories import card, sheet, stocktake

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
API = "/api/v1/stocktake/stocktakes/"


def test_open_page_snapshots_and_redirects(login, st_staff, tree, book):
    client = login(st_staff.asset_a)
    response = client.post(
        reverse("stocktake:open"), {"title": "年终盘点", "org_unit": tree.a.pk, "scope_kind": "unit"}
    )
    take = Stocktake.objects.get()
    assert response["Location"] == reverse("stocktake:detail", args=[take.pk])
    assert take.lines.count() == 5


def test_scan_page_is_big_autofocused_and_records_a_scan(login, st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    client = login(st_staff.asset_a)
    page = client.get(reverse("stocktake:scan", args=[take.pk])).content.decode()
    assert 'name="code"' in page and "autofocus" in page and "scan-input" in page
    assert "http://" not in page and "https://" not in page  # nothing fetched from the internet
    response = client.post(
        reverse("stocktake:scan", args=[take.pk]), {"code": book.matched.asset_number, "room": book.r1.pk}
    )
    assert response.status_code == 302
    assert Count.objects.get(stocktake=take).observed_room == book.r1
    # The room chosen is remembered for the next label.
    assert client.get(reverse("stocktake:scan", args=[take.pk])).context["form"].initial["room"] == book.r1.pk


@pytest.mark.parametrize(
    "prefix", ["http://testserver", "https://yw.gov.example:8443", ""], ids=["same-host", "other-host", "path-only"]
)
def test_scan_page_reads_the_asset_number_out_of_a_label_url(login, st_staff, tree, book, prefix):
    """The camera reads the label's URL (assets/labels.py); the count is of the number inside it."""
    take = stocktake(st_staff.asset_a, tree.a)
    url = prefix + reverse("assets:card-by-number", args=[book.matched.asset_number])
    response = login(st_staff.asset_a).post(reverse("stocktake:scan", args=[take.pk]), {"code": url})
    assert response.status_code == 302
    count = Count.objects.get(stocktake=take)
    assert (count.code, count.line.name) == (book.matched.asset_number, "相符电脑")


def test_scan_page_refuses_a_url_that_is_not_a_label_and_writes_nothing(login, st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    url = f"http://testserver/assets/cards/{book.matched.pk}/"
    response = login(st_staff.asset_a).post(reverse("stocktake:scan", args=[take.pk]), {"code": url})
    assert response.status_code == 200 and "资产编号" in response.content.decode()
    assert not Count.objects.filter(stocktake=take).exists()


def test_scan_page_refuses_an_unknown_code_and_writes_nothing(login, st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    response = login(st_staff.asset_a).post(reverse("stocktake:scan", args=[take.pk]), {"code": "ZC-UNKNOWN"})
    assert response.status_code == 200
    assert "不在账上" in response.context["form"].errors["code"][0]
    assert not Count.objects.exists()


def test_import_page_reports_rows_and_writes_nothing(login, st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    client = login(st_staff.asset_a)
    upload = sheet([(book.matched.asset_number, "", "", "", "", "", ""), ("ZC-NOPE", "", "", "", "", "", "")])
    done = importing.upload(client, reverse("stocktake:import", args=[take.pk]), {"file": upload})
    assert any(e.startswith("第3行“资产编号”") for e in done.job.messages)
    assert not Count.objects.exists()
    assert client.get(reverse("stocktake:import", args=[take.pk]), {"template": "xlsx"})["Content-Type"] == XLSX


def test_unit_b_cannot_see_scan_or_close_unit_a_stocktake_by_page(login, st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    client = login(st_staff.asset_b)
    assert client.get(reverse("stocktake:detail", args=[take.pk])).status_code == 404
    assert (
        client.post(reverse("stocktake:scan", args=[take.pk]), {"code": book.matched.asset_number}).status_code == 404
    )
    assert client.post(reverse("stocktake:close", args=[take.pk])).status_code == 404
    assert list(client.get(reverse("stocktake:home")).context["page"]) == []
    assert login(st_staff.clerk_a1).get(reverse("stocktake:home")).status_code == 403
    take.refresh_from_db()
    assert take.status == StocktakeStatus.OPEN and not Count.objects.exists()


def test_close_page_adjusts_and_result_exports(login, st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    client = login(st_staff.asset_a)
    for c in (book.matched, book.moved, book.handed, book.both):
        client.post(reverse("stocktake:scan", args=[take.pk]), {"code": c.asset_number})
    response = client.post(reverse("stocktake:close", args=[take.pk]), follow=True)
    assert any("盘点已结束并调账" in str(m) for m in response.context["messages"])
    take.refresh_from_db()
    assert take.status == StocktakeStatus.CLOSED
    assert client.get(reverse("stocktake:detail", args=[take.pk]), {"export": "xlsx"})["Content-Type"] == XLSX


def test_a_large_result_export_runs_as_a_job_that_only_its_owner_downloads(
    login, st_staff, tree, book, settings, tmp_path, eager_celery, django_capture_on_commit_callbacks
):
    """Above the inline limit the result (every book line with its outcome) is written in the background."""
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_INLINE_MAX_ROWS = 1
    take = stocktake(st_staff.asset_a, tree.a)
    client = login(st_staff.asset_a)
    client.post(reverse("stocktake:scan", args=[take.pk]), {"code": book.matched.asset_number})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("stocktake:detail", args=[take.pk]), {"export": "xlsx"})
    job = ExportJob.objects.get(user=st_staff.asset_a, kind="stocktake.result")
    assert response.status_code == 302 and response["Location"] == reverse("export-job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.filename) == ("done", take.lines.count(), f"盘点结果-{take.pk}.xlsx")
    download = client.get(reverse("export-download", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0].values)
    assert sorted(r[1] for r in rows[1:]) == sorted(take.lines.values_list("asset_number", flat=True))
    other = login(st_staff.asset_b)
    assert other.get(reverse("export-job", args=[job.pk])).status_code == 404
    assert other.get(reverse("export-download", args=[job.pk])).status_code == 404


def test_list_and_detail_pages_use_a_fixed_number_of_queries(login, st_staff, tree, book, django_assert_num_queries):
    for i in range(3):
        take = stocktake(st_staff.asset_a, tree.a, title=f"盘点{i}")
    for c in (book.matched, book.moved, book.handed):
        from stocktake import services

        services.record_count(actor=st_staff.asset_a, stocktake=take, code=c.asset_number, observed_room=book.r2)
    client = login(st_staff.asset_a)
    client.get(reverse("stocktake:home"))
    # 9 before the unit filter (+1: the units it offers), −2 since the grants are read once per request.
    with django_assert_num_queries(8):
        response = client.get(reverse("stocktake:home"))
    assert len(response.context["page"]) == 3
    assert f"<td>{shown(tree.a)}</td>" in response.content.decode()
    with django_assert_num_queries(11):
        client.get(reverse("stocktake:detail", args=[take.pk]))
    with django_assert_num_queries(8):
        client.get(reverse("stocktake:counts", args=[take.pk]))


def test_api_scan_result_close_and_scoping(api, st_staff, tree, book):
    client = api(st_staff.asset_a)
    response = client.post(API, {"title": "接口盘点", "org_unit": tree.a.pk, "scope_kind": "unit"}, format="json")
    assert response.status_code == 201 and response.json()["book_total"] == 5
    pk = response.json()["id"]
    response = client.post(f"{API}{pk}/scan/", {"code": ""}, format="json")
    assert response.status_code == 400 and "code" in response.json()["fields"]
    response = client.post(f"{API}{pk}/scan/", {"code": "ZC-NOPE"}, format="json")
    assert response.status_code == 400 and "不在账上" in response.json()["fields"]["code"][0]
    assert client.post(f"{API}{pk}/scan/", {"code": book.matched.asset_number}, format="json").status_code == 201
    # 乙厅's administrator neither sees nor counts in 甲厅's stocktake.
    other = api(st_staff.asset_b)
    assert other.get(f"{API}{pk}/").status_code == 404
    assert other.post(f"{API}{pk}/scan/", {"code": book.moved.asset_number}, format="json").status_code == 404
    assert other.post(f"{API}{pk}/close/").status_code == 404
    assert other.post(API, {"title": "越权", "org_unit": tree.a.pk}, format="json").status_code == 400
    assert Count.objects.count() == 1
    result = client.get(f"{API}{pk}/result/").json()
    assert (result["tally"]["matched"], result["tally"]["missing"]) == (1, 4)
    response = client.post(f"{API}{pk}/close/")
    assert response.status_code == 200 and response.json()["adjusted"]["missing"] == 4


def test_api_list_uses_a_fixed_number_of_queries(api, st_staff, tree, book, django_assert_num_queries):
    for i in range(4):
        stocktake(st_staff.asset_a, tree.a, title=f"盘点{i}")
    client = api(st_staff.asset_a)
    with django_assert_num_queries(2):
        response = client.get(API)
    assert response.json()["count"] == 4


def test_card_of_another_unit_found_here_is_reported_not_adjusted(api, st_staff, tree, book):
    extra = card(st_staff.asset_b, tree.b, name="乙厅投影仪")
    client = api(st_staff.asset_a)
    pk = client.post(API, {"title": "盘点", "org_unit": tree.a.pk}, format="json").json()["id"]
    assert client.post(f"{API}{pk}/scan/", {"code": extra.asset_number}, format="json").json()["outcome_hint"] == (
        "elsewhere"
    )
