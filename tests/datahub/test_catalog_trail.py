"""The access trail is append-only and hash-chained: an edit in SQL is found at exactly that row."""

import io

import pytest
from django.core.management import CommandError, call_command

from datahub.catalog import selectors, services
from datahub.models import AppendOnlyError, TrailRecord

from ..catalog_factories import tamper


@pytest.fixture
def five_calls(db):
    return [services.trail_append(dataset_code=f"3-01-001.000{i}", rows=i, status=200) for i in range(1, 6)]


def test_untouched_chain_verifies(five_calls):
    result = selectors.verify_trail()
    assert (result.ok, result.checked) == (True, 5)
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    assert "调用日志完整：5 条" in out.getvalue()


def test_row_edited_in_sql_breaks_the_chain_at_exactly_that_row(five_calls):
    tamper(f"UPDATE {TrailRecord._meta.db_table} SET rows = 999 WHERE seq = 3")
    result = selectors.verify_trail()
    assert (result.ok, result.broken_seq, result.checked) == (False, 3, 2)
    assert "内容已被改动" in result.reason
    with pytest.raises(CommandError, match="第 3 条"):
        call_command("verify_trail", stdout=io.StringIO())


def test_row_deleted_in_sql_is_reported_as_missing(five_calls):
    tamper(f"DELETE FROM {TrailRecord._meta.db_table} WHERE seq = 2")
    result = selectors.verify_trail()
    assert (result.broken_seq, result.reason) == (2, "缺少第 2 条记录（已被删除）。")


def test_last_row_deleted_in_sql_is_found_by_the_head(five_calls):
    tamper(f"DELETE FROM {TrailRecord._meta.db_table} WHERE seq = 5")
    result = selectors.verify_trail()
    assert not result.ok and result.broken_seq == 5


def test_rehashing_a_tampered_row_still_breaks_the_next_link(five_calls):
    tamper(f"UPDATE {TrailRecord._meta.db_table} SET hash = %s WHERE seq = 2", ["f" * 64])
    result = selectors.verify_trail()
    assert result.broken_seq == 2


def test_the_orm_refuses_to_change_or_delete_a_trail_row(five_calls):
    record = TrailRecord.objects.get(seq=1)
    record.rows = 0
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        TrailRecord.objects.filter(seq=1).update(rows=0)
    with pytest.raises(AppendOnlyError):
        TrailRecord.objects.all().delete()
    assert selectors.verify_trail().ok
