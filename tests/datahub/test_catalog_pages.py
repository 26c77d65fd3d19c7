"""The catalog's pages: browse with filters and export, register an external entry, grants, trail, zombies —
each page scoped, each bad input refused with a Chinese message and nothing written."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from datahub.catalog import services
from datahub.models import Dataset, Grant, TrailRecord
from tests.catalog_factories import build_hub, share, tamper
from tests.sharing import shared_fixture

shared_hub, hub = shared_fixture("hub", build_hub)

EXTERNAL = {
    "code": "3-05-001.0001",
    "name": "甲厅外部统计表",
    "summary": "外部文件",
    "format": "file",
    "share_type": "unconditional",
    "share_method": "文件下载",
    "open_attr": "closed",
    "update_cycle": "yearly",
    "items_text": "year|年度|数值型\nname|填报人|字符型|是",
}


def test_every_signed_in_person_browses_and_filters_the_catalog(client, hub):
    client.force_login(hub.clerk_a1)
    html = client.get(reverse("catalog-list"), {"share_type": "conditional"}).content.decode()
    assert "办公用房房间台账" in html and "公务用车车辆台账" not in html
    html = client.get(reverse("catalog-list"), {"q": "号牌"}).content.decode()
    assert "公务用车车辆台账" in html and "组织机构目录" not in html
    html = client.get(reverse("catalog-list"), {"category": "1"}).content.decode()
    assert "组织机构目录" in html and "公务用车车辆台账" not in html


def test_nonsense_filters_find_nothing_instead_of_failing(client, hub):
    client.force_login(hub.clerk_a1)
    response = client.get(reverse("catalog-list"), {"category": "x", "share_type": "?", "provider": "9" * 30})
    assert response.status_code == 200 and "没有符合条件的信息资源" in response.content.decode()


def test_catalog_list_runs_a_fixed_number_of_queries_whatever_it_holds(client, hub, tree):
    client.force_login(hub.clerk_a1)
    client.get(reverse("catalog-list"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("catalog-list")).status_code == 200
        return len(queries)

    few = count()
    for n in range(1, 21):
        dataset = Dataset.objects.create(
            code=f"3-07-001.{n:04d}",
            name=f"外部{n}",
            provider=tree.b,
            summary="x",
            share_type="unconditional",
            update_cycle="yearly",
            status="published",
        )
        dataset.items.create(name="x", label="x", data_type="字符型")
    assert count() == few <= 14


def test_the_catalog_names_a_department_provider_with_its_agency(client, hub, tree):
    Dataset.objects.create(
        code="3-07-001.0100",
        name="办公室名录",
        provider=tree.a1,
        summary="x",
        share_type="unconditional",
        update_cycle="yearly",
        status="published",
    )
    client.force_login(hub.clerk_a1)
    body = client.get(reverse("catalog-list")).content.decode()
    assert f"<td>{tree.a.name} › {tree.a1.name}</td>" in body  # the provider column
    assert f">{tree.a.name} › {tree.a1.name}</option>" in body  # the provider filter


def test_catalog_export_follows_the_guides_columns_and_is_trailed(client, hub):
    client.force_login(hub.clerk_a1)
    response = client.get(reverse("catalog-list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:8] == [
        "信息资源分类",
        "信息资源名称",
        "信息资源代码",
        "信息资源提供方",
        "提供方代码",
        "信息资源摘要",
        "信息资源格式",
        "信息项信息",
    ]
    assert sheet.max_row == Dataset.objects.count() + 1
    record = TrailRecord.objects.get()
    assert (record.kind, record.caller_user, record.rows) == ("export", hub.clerk_a1, Dataset.objects.count())


def test_detail_shows_items_and_only_the_consumers_in_ones_scope(client, hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, user=hub.clerk_a1)
    share(hub.units, actor=hub.hub, consumer_unit=tree.b, user=hub.clerk_b1)
    client.force_login(hub.steward_a)
    html = client.get(reverse("catalog-detail", args=[hub.units.pk])).content.decode()
    assert "staffing_quota" in html and "甲厅" in html and "乙厅" not in html
    client.force_login(hub.hub)  # the hub's steward stewards the provider: every consumer
    assert "乙厅" in client.get(reverse("catalog-detail", args=[hub.units.pk])).content.decode()


def test_steward_registers_an_external_entry(client, hub, tree):
    client.force_login(hub.steward_a)
    response = client.post(reverse("catalog-register"), {**EXTERNAL, "provider": tree.a.pk})
    dataset = Dataset.objects.get(code="3-05-001.0001")
    assert response.status_code == 302 and dataset.provider == tree.a and not dataset.is_declared
    assert [(i.name, i.personal) for i in dataset.items.all()] == [("year", False), ("name", True)]


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"code": "3-5-1.1"}, "代码格式"),
        ({"code": "1-01-001.0001"}, "已存在"),
        ({"share_type": "not_shared"}, "法律法规或政策依据"),
        ({"share_type": "conditional"}, "共享条件"),
        ({"items_text": "year|年度|整数"}, "数据类型“整数”无效"),
        ({"items_text": "year|年度|数值型\nyear|年度|数值型"}, "重复"),
        ({"items_text": "只有一栏"}, "第1行"),
        # What the platform already publishes is not registered again: the existing entry is named.
        ({"items_text": "plate|号牌号码|字符型\nmake|品牌|字符型"}, "已由目录中的“3-01-001.0001"),
        ({"items_text": "code|机构编码|字符型\nname|名称|字符型"}, "请直接申请共享该资源"),
    ],
)
def test_bad_external_entry_is_refused_with_the_reason_and_nothing_is_written(client, hub, tree, changes, says):
    client.force_login(hub.steward_a)
    before = Dataset.objects.count()
    response = client.post(reverse("catalog-register"), {**EXTERNAL, "provider": tree.a.pk, **changes})
    assert response.status_code == 200 and says in response.content.decode()
    assert Dataset.objects.count() == before


def test_an_entry_sharing_only_some_items_with_a_published_one_is_registered(client, hub, tree):
    client.force_login(hub.steward_a)
    items = "plate|号牌号码|字符型\nfine|罚款金额|数值型"  # the plate is on the platform, the fines are not
    response = client.post(reverse("catalog-register"), {**EXTERNAL, "provider": tree.a.pk, "items_text": items})
    assert response.status_code == 302 and Dataset.objects.filter(code="3-05-001.0001").exists()


def test_steward_of_a_cannot_register_for_b(client, hub, tree):
    client.force_login(hub.steward_a)
    response = client.post(reverse("catalog-register"), {**EXTERNAL, "provider": tree.b.pk})
    assert response.status_code == 200 and not Dataset.objects.filter(code="3-05-001.0001").exists()


def test_a_civil_servant_may_not_register_see_the_trail_or_the_zombies(client, hub):
    client.force_login(hub.clerk_a1)
    for name in ("catalog-register", "catalog-trail", "catalog-trail-verify", "catalog-zombies"):
        assert client.get(reverse(name)).status_code == 403, name


def test_grants_page_shows_ones_own_units_grants_only(client, hub, tree):
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, user=hub.clerk_a1, purpose="甲用途")
    mine_b = share(hub.units, actor=hub.hub, consumer_unit=tree.b, user=hub.clerk_b1)
    client.force_login(hub.steward_a)
    html = client.get(reverse("catalog-grants")).content.decode()
    assert hub.clerk_a1.name in html and hub.clerk_b1.name not in html
    response = client.post(reverse("catalog-grant-revoke", args=[mine_b.pk]), {"reason": "越权"})
    assert response.status_code == 404
    assert Grant.objects.get(pk=mine_b.pk).revoked_at is None


def test_revoking_needs_a_reason(client, hub, tree):
    grant = share(hub.units, actor=hub.hub, consumer_unit=tree.a, user=hub.clerk_a1)
    client.force_login(hub.steward_a)
    client.post(reverse("catalog-grant-revoke", args=[grant.pk]), {"reason": ""})
    assert Grant.objects.get(pk=grant.pk).revoked_at is None
    client.post(reverse("catalog-grant-revoke", args=[grant.pk]), {"reason": "项目结束"})
    assert Grant.objects.get(pk=grant.pk).revoke_reason == "项目结束"


def test_trail_page_lists_the_calls_of_ones_subtree(client, hub, tree):
    services.trail_append(caller_user=hub.clerk_a1, caller_unit=tree.a1, dataset_code="甲调用", status=200)
    services.trail_append(caller_user=hub.clerk_b1, caller_unit=tree.b1, dataset_code="乙调用", status=200)
    client.force_login(hub.steward_a)
    html = client.get(reverse("catalog-trail")).content.decode()
    assert "甲调用" in html and "乙调用" not in html


def test_trail_names_its_callers_in_the_readers_language_and_keeps_its_chain(client, hub, tree):
    services.trail_append(caller_user=hub.clerk_a1, caller_unit=tree.a1, dataset_code="甲调用", status=200)
    services.trail_append(caller_unit=tree.a1, dataset_code="匿名调用", status=401)
    assert list(TrailRecord.objects.order_by("seq").values_list("caller_label", flat=True)) == [
        f"人员：{hub.clerk_a1.username}",
        "匿名",
    ]  # stored as written: the labels are chained into the hashes
    client.force_login(hub.steward_a)
    chinese = client.get(reverse("catalog-trail")).content.decode()
    assert f"人员：{hub.clerk_a1.username}" in chinese and "<td>匿名</td>" in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("catalog-trail")).content.decode()
    assert f"Person: {hub.clerk_a1.username}" in english and "<td>Anonymous</td>" in english
    assert "人员：" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "校验通过：共 2 条" in client.post(reverse("catalog-trail-verify")).content.decode()


def test_verify_page_finds_a_row_altered_in_sql(client, hub, tree):
    for code in ("一", "二", "三"):
        services.trail_append(caller_unit=tree.a, dataset_code=code, status=200)
    client.force_login(hub.steward_a)
    assert "校验通过：共 3 条" in client.post(reverse("catalog-trail-verify")).content.decode()
    tamper(f"UPDATE {TrailRecord._meta.db_table} SET dataset_code = '改' WHERE seq = 2")
    assert "链条在第 2 条处断开" in client.post(reverse("catalog-trail-verify")).content.decode()


def test_zombie_list_names_entries_never_requested_nor_called_in_a_year(client, hub, tree):
    old = timezone.localdate() - timedelta(days=400)
    Dataset.objects.update(published_on=old)
    rooms = Dataset.objects.get(declaration_key="officespace.rooms")
    services.trail_append(dataset=rooms, status=200)  # called this year: alive
    share(hub.units, actor=hub.hub, consumer_unit=tree.a, user=hub.clerk_a1)  # requested: alive
    client.force_login(hub.hub)
    html = client.get(reverse("catalog-zombies")).content.decode()
    assert "公务用车车辆台账" in html
    assert "办公用房房间台账" not in html and "组织机构目录" not in html
    client.force_login(hub.steward_a)  # provides nothing
    assert "没有僵尸目录" in client.get(reverse("catalog-zombies")).content.decode()
