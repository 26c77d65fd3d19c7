"""清查盘点: the book snapshot, counting, the result (each outcome) and closing with its adjustments."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assets.models import Asset, Movement
from stocktake import selectors
from stocktake import services as st
from stocktake.models import BookLine, Count, Outcome, ScopeKind, StocktakeStatus

from .factories import category, stocktake

pytestmark = pytest.mark.django_db


def count_everything(actor, take, book, p1, p2):
    st.record_count(
        actor=actor, stocktake=take, code=book.matched.asset_number, observed_room=book.r1, observed_custodian=p1
    )
    st.record_count(actor=actor, stocktake=take, code=book.moved.asset_number, observed_room=book.r2)
    st.record_count(actor=actor, stocktake=take, code=book.handed.asset_number, observed_custodian=p2)
    st.record_count(
        actor=actor, stocktake=take, code=book.both.asset_number, observed_room=book.r2, observed_custodian=p2
    )
    st.record_count(
        actor=actor, stocktake=take, code="无标签-001", surplus=True, surplus_name="档案柜", observed_room=book.r1
    )
    st.record_count(actor=actor, stocktake=take, code=book.theirs.asset_number, observed_room=book.r1)


def test_opening_snapshots_the_book_of_the_unit(st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    lines = {line.asset_number: line for line in take.lines.all()}
    assert set(lines) == {c.asset_number for c in (book.matched, book.moved, book.handed, book.both, book.missing)}
    assert lines[book.moved.asset_number].book_room == book.r1
    assert lines[book.moved.asset_number].book_custodian == st_staff.p1


def test_room_stocktake_snapshots_only_that_room(st_staff, tree, book):
    from assets import services as asset_services

    asset_services.relocate(asset=book.moved, room=book.r2, actor=st_staff.asset_a, reason="搬迁")
    take = stocktake(st_staff.asset_a, tree.a, scope_kind=ScopeKind.ROOM, room=book.r2)
    assert list(take.lines.values_list("asset_number", flat=True)) == [book.moved.asset_number]


def test_reconciliation_names_each_outcome(st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    count_everything(st_staff.asset_a, take, book, st_staff.p1, st_staff.p2)
    result = selectors.reconcile(take)
    outcomes = {line.asset_number: line.outcome for line in result.lines}
    assert outcomes == {
        book.matched.asset_number: Outcome.MATCHED,
        book.moved.asset_number: Outcome.LOCATION,
        book.handed.asset_number: Outcome.CUSTODIAN,
        book.both.asset_number: Outcome.BOTH,
        book.missing.asset_number: Outcome.MISSING,
    }
    assert [c.code for c in result.surplus] == ["无标签-001"]
    assert [c.code for c in result.elsewhere] == [book.theirs.asset_number]
    tally = result.tally()
    assert (tally["matched"], tally["surplus"], tally["missing"], tally["elsewhere"]) == (1, 1, 1, 1)


def test_closing_writes_the_adjustments_through_the_asset_services(st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    count_everything(st_staff.asset_a, take, book, st_staff.p1, st_staff.p2)
    found = Count.objects.get(stocktake=take, code="无标签-001")
    st.describe_surplus(
        actor=st_staff.asset_a, count=found, name="铁皮档案柜", category=category("A02010105"), value=Decimal("1800")
    )
    tally = st.close_stocktake(actor=st_staff.asset_a, stocktake=take)
    assert (tally["location"], tally["custodian"], tally["both"], tally["missing"], tally["surplus"]) == (1, 1, 1, 1, 1)

    def fresh(c):
        return Asset.objects.get(pk=c.pk)

    assert fresh(book.moved).location == book.r2
    assert fresh(book.handed).custodian == st_staff.p2
    assert (fresh(book.both).location, fresh(book.both).custodian) == (book.r2, st_staff.p2)
    # 盘亏: no disposal without approval — the card waits as 待处置 for the 损失核销 request.
    assert fresh(book.missing).status == "pending_disposal"
    assert Movement.objects.filter(asset=book.missing, kind="relocate").count() == 0
    found.refresh_from_db()
    booked = found.registered_asset
    assert (booked.name, booked.acquisition_way, booked.org_unit, booked.location) == (
        "铁皮档案柜",
        "surplus",
        tree.a,
        book.r1,
    )
    # 他处在册: reported, not touched.
    assert fresh(book.theirs).org_unit == tree.b and fresh(book.theirs).location is None
    take.refresh_from_db()
    assert take.status == StocktakeStatus.CLOSED
    frozen = dict(BookLine.objects.filter(stocktake=take).values_list("asset_id", "outcome"))
    assert frozen[book.missing.pk] == "missing" and frozen[book.matched.pk] == "matched"
    # Locked: nothing more can be counted or closed.
    with pytest.raises(ValidationError, match="已结束"):
        st.record_count(actor=st_staff.asset_a, stocktake=take, code=book.missing.asset_number)
    with pytest.raises(ValidationError, match="已结束"):
        st.close_stocktake(actor=st_staff.asset_a, stocktake=take)


def test_closing_refused_until_surplus_is_described_and_nothing_is_adjusted(st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    count_everything(st_staff.asset_a, take, book, st_staff.p1, st_staff.p2)
    movements = Movement.objects.count()
    with pytest.raises(ValidationError, match="无标签-001"):
        st.close_stocktake(actor=st_staff.asset_a, stocktake=take)
    assert Movement.objects.count() == movements
    assert Asset.objects.get(pk=book.missing.pk).status == "in_use"
    take.refresh_from_db()
    assert take.status == StocktakeStatus.OPEN


def test_a_failing_adjustment_rolls_back_every_other_one(st_staff, tree, book):
    """All in one transaction: a 盘盈 below the capitalisation threshold is refused by register_card,
    and the relocations made before it in the same closing are undone."""
    take = stocktake(st_staff.asset_a, tree.a)
    count_everything(st_staff.asset_a, take, book, st_staff.p1, st_staff.p2)
    found = Count.objects.get(stocktake=take, code="无标签-001")
    st.describe_surplus(
        actor=st_staff.asset_a, count=found, name="订书机", category=category("A02010105"), value=Decimal("20")
    )
    movements = Movement.objects.count()
    with pytest.raises(ValidationError, match="资本化起点"):
        st.close_stocktake(actor=st_staff.asset_a, stocktake=take)
    assert Movement.objects.count() == movements
    assert Asset.objects.get(pk=book.moved.pk).location == book.r1
    assert set(BookLine.objects.filter(stocktake=take).values_list("outcome", flat=True)) == {""}


def test_bad_scans_are_refused_and_write_nothing(st_staff, tree, book):
    take = stocktake(st_staff.asset_a, tree.a)
    st.record_count(actor=st_staff.asset_a, stocktake=take, code=f"  {book.matched.asset_number.lower()} ")
    with pytest.raises(ValidationError) as exc:
        st.record_count(actor=st_staff.asset_a, stocktake=take, code="   ")
    assert exc.value.message_dict["code"] == ["请扫描资产标签或输入资产编号。"]
    with pytest.raises(ValidationError, match="已盘点过"):
        st.record_count(actor=st_staff.asset_a, stocktake=take, code=book.matched.asset_number)
    with pytest.raises(ValidationError, match="不在账上"):
        st.record_count(actor=st_staff.asset_a, stocktake=take, code="ZC-TYPO-42")
    with pytest.raises(PermissionDenied):
        st.record_count(actor=st_staff.asset_b, stocktake=take, code=book.moved.asset_number)
    assert list(Count.objects.filter(stocktake=take).values_list("code", flat=True)) == [book.matched.asset_number]


def test_unit_b_cannot_open_or_close_unit_a_stocktakes(st_staff, tree, book):
    with pytest.raises(PermissionDenied):
        stocktake(st_staff.asset_b, tree.a)
    take = stocktake(st_staff.asset_a, tree.a)
    with pytest.raises(PermissionDenied):
        st.close_stocktake(actor=st_staff.asset_b, stocktake=take)
    assert selectors.stocktakes_for(st_staff.asset_b).count() == 0
    take.refresh_from_db()
    assert take.status == StocktakeStatus.OPEN


def test_the_notes_closing_writes_read_in_the_readers_language(st_staff, tree, book):
    from django.utils import translation

    take = stocktake(st_staff.asset_a, tree.a)
    count_everything(st_staff.asset_a, take, book, st_staff.p1, st_staff.p2)
    st.describe_surplus(
        actor=st_staff.asset_a,
        count=Count.objects.get(stocktake=take, code="无标签-001"),
        name="铁皮档案柜",
        category=category("A02010105"),
        value=Decimal("1800"),
    )
    st.close_stocktake(actor=st_staff.asset_a, stocktake=take)
    moved = Movement.objects.get(asset=book.moved, kind="relocate")
    assert moved.note == f"清查盘点“{take.title}”（#{take.pk}）：存放地点/使用人按实物调整"
    with translation.override("en"):
        assert (
            moved.shown_note == f"Stocktake “{take.title}” (#{take.pk}): location/custodian adjusted to what was found"
        )
        notes = {row[1]: row[7] for row in selectors.reconcile(take).rows()}
    assert notes[book.both.asset_number] == "Location and custodian adjusted to what was found"
    assert notes[book.missing.asset_number].startswith("Missing: set to awaiting disposal")
    with translation.override("zh-hans"):
        notes = {row[1]: row[7] for row in selectors.reconcile(take).rows()}
    assert notes[book.both.asset_number] == "已按实物调整存放地点、使用人"
