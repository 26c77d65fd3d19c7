"""Reads of 清查盘点, always scoped through ``datahub.scoping`` to the stocktake's unit."""

from dataclasses import dataclass, field

from django.db.models import Count as CountAgg
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from datahub import scoping
from datahub.models import User
from datahub.roles import Role
from datahub.selectors import with_unit_parent_name
from officespace.selectors import room_labels

from . import rules
from .models import BookLine, Count, Outcome, Stocktake

STOCKTAKE_READERS = (Role.ASSET_ADMIN, Role.BUREAU_ADMIN, Role.LEADER)
STOCKTAKE_EDITORS = (Role.ASSET_ADMIN, Role.BUREAU_ADMIN)


def may_change(user, stocktake: Stocktake) -> bool:
    """Whether ``user`` may count in or close ``stocktake`` (an asset administrator over its unit)."""
    return scoping.covers(user, stocktake.org_unit, roles=STOCKTAKE_EDITORS)


def stocktakes_for(user, *, search: str = "", status: str = "", unit=None) -> QuerySet:
    qs = scoping.scope(
        Stocktake.objects.select_related("org_unit", "building", "room", "room__building", "opened_by"),
        user,
        roles=STOCKTAKE_READERS,
    ).annotate(
        book_total=CountAgg("lines", distinct=True),
        counted_total=CountAgg("counts", distinct=True),
    )
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(note__icontains=search))
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    # The stocktaking unit named with its agency (财政厅 › 办公室), read in the same query.
    return with_unit_parent_name(qs).order_by("-opened_at", "-pk")


def stocktake_of(user, pk) -> Stocktake | None:
    """The stocktake ``pk`` if the user reads it, else None (absent and out of scope alike)."""
    return stocktakes_for(user).filter(pk=pk).first()


def counts_for(user, stocktake: Stocktake, *, limit: int | None = None) -> QuerySet:
    """The stocktake's counts (scans), newest first; the latest ``limit`` when given."""
    qs = (
        scoping.scope(Count.objects.all(), user, roles=STOCKTAKE_READERS, unit_field="stocktake__org_unit")
        .filter(stocktake=stocktake)
        .select_related("line", "asset", "observed_room", "observed_room__building", "observed_custodian", "counted_by")
        .order_by("-counted_at", "-pk")
    )
    return qs[:limit] if limit else qs


def line_total(stocktake: Stocktake) -> int:
    """How many cards were on the books when the stocktake opened."""
    return stocktake.lines.count()


def count_total(stocktake: Stocktake) -> int:
    """How many counts (scans) the stocktake has recorded so far."""
    return stocktake.counts.count()


def line_outcome(line: BookLine, count: Count | None) -> str:
    """Compare one book line with what the count saw. A location or custodian left blank by the
    counter was not observed and so cannot mismatch."""
    if count is None:
        return Outcome.MISSING
    room_off = count.observed_room_id is not None and count.observed_room_id != line.book_room_id
    person_off = count.observed_custodian_id is not None and count.observed_custodian_id != line.book_custodian_id
    if room_off and person_off:
        return Outcome.BOTH
    if room_off:
        return Outcome.LOCATION
    if person_off:
        return Outcome.CUSTODIAN
    return Outcome.MATCHED


@dataclass
class Seen:
    """What the count saw of one book line (plain values: a stocktake has tens of thousands)."""

    pk: int
    code: str
    observed_room_id: int | None
    observed_custodian_id: int | None
    note: str


@dataclass
class LineResult:
    """One book line and its outcome (plain values, see Seen)."""

    pk: int
    asset_id: int
    asset_number: str
    name: str
    book_room_id: int | None
    book_custodian_id: int | None
    outcome: str
    adjustment: str
    seen: Seen | None = None


@dataclass
class Reconciliation:
    lines: list = field(default_factory=list)  # LineResult, outcome set
    surplus: list = field(default_factory=list)  # Count rows naming no card (盘盈)
    elsewhere: list = field(default_factory=list)  # Count rows of cards on another book (他处在册)
    rooms: dict = field(default_factory=dict)  # room id → label, for the rows
    people: dict = field(default_factory=dict)  # user id → name, for the rows

    def tally(self) -> dict:
        out = dict.fromkeys(Outcome.values, 0)
        for line in self.lines:
            out[line.outcome] += 1
        out[Outcome.SURPLUS] = len(self.surplus)
        out[Outcome.ELSEWHERE] = len(self.elsewhere)
        return out

    def rows(self):
        """(outcome label, asset number, name, book room, book custodian, seen room, seen custodian, note)."""
        rooms, people = self.rooms, self.people
        for line in self.lines:
            c = line.seen
            yield (
                Outcome(line.outcome).label,
                line.asset_number,
                line.name,
                rooms.get(line.book_room_id, ""),
                people.get(line.book_custodian_id, ""),
                rooms.get(c.observed_room_id, "") if c else "",
                people.get(c.observed_custodian_id, "") if c else "",
                _(line.adjustment) if line.adjustment else "",  # one of services.ADJUSTED's messages
            )
        for c in self.elsewhere:
            yield (
                Outcome.ELSEWHERE.label,
                c.code,
                c.asset.name if c.asset_id else "",
                "",
                "",
                str(c.observed_room) if c.observed_room_id else "",
                c.observed_custodian.name if c.observed_custodian_id else "",
                c.note,
            )
        for c in self.surplus:
            yield (
                Outcome.SURPLUS.label,
                c.code,
                c.surplus_name,
                "",
                "",
                str(c.observed_room) if c.observed_room_id else "",
                c.observed_custodian.name if c.observed_custodian_id else "",
                _("已入账：%(asset_number)s") % {"asset_number": c.registered_asset.asset_number}
                if c.registered_asset_id
                else c.note,
            )


def reconcile(stocktake: Stocktake) -> Reconciliation:
    """The stocktake's result: each book line's outcome and the counts that name no line.

    Read as plain values (a province-wide stocktake has tens of thousands of lines; model
    instances would cost seconds): the counts, the lines, the labels of the rooms and people
    involved, and the few counts naming no line with their cards — five queries whatever the size.
    """
    seen_by_line: dict[int, Seen] = {}
    loose: list[int] = []
    for pk, code, line_id, room_id, person_id, note in Count.objects.filter(stocktake=stocktake).values_list(
        "pk", "code", "line_id", "observed_room_id", "observed_custodian_id", "note"
    ):
        if line_id is None:
            loose.append(pk)
        else:
            seen_by_line[line_id] = Seen(pk, code, room_id, person_id, note)
    result = Reconciliation()
    room_ids: set = set()
    people_ids: set = set()
    for values in (
        BookLine.objects.filter(stocktake=stocktake)
        .order_by("asset_number")
        .values_list(
            "pk", "asset_id", "asset_number", "name", "book_room_id", "book_custodian_id", "outcome", "adjustment"
        )
    ):
        line = LineResult(*values, seen=seen_by_line.get(values[0]))
        if stocktake.is_open:
            line.outcome = line_outcome(line, line.seen)
        result.lines.append(line)
        room_ids.update((line.book_room_id, line.seen.observed_room_id if line.seen else None))
        people_ids.update((line.book_custodian_id, line.seen.observed_custodian_id if line.seen else None))
    room_ids.discard(None)
    people_ids.discard(None)
    result.rooms = room_labels(room_ids)
    result.people = dict(User.objects.filter(pk__in=people_ids).values_list("pk", "name"))
    if loose:
        for c in (
            Count.objects.filter(pk__in=loose)
            .select_related(
                "asset", "observed_room__building", "observed_custodian", "registered_asset", "surplus_category"
            )
            .order_by("pk")
        ):
            (result.elsewhere if c.asset_id else result.surplus).append(c)
    return result


def surplus_card_fields(stocktake: Stocktake, count: Count, actor) -> dict:
    """The keyword arguments of ``assets.services.register_card`` for a found item (盘盈入账)."""
    return {
        "actor": actor,
        "name": count.surplus_name,
        "category": count.surplus_category,
        "org_unit": stocktake.org_unit,
        "original_value": count.surplus_value,
        "acquisition_way": rules.SURPLUS_ACQUISITION_WAY,
        # Found today: the acquisition date of a 盘盈 item is the day it was found and booked.
        "acquired_on": timezone.localdate(),
        "location": count.observed_room,
        "custodian": count.observed_custodian,
    }


def open_stocktakes(user) -> QuerySet:
    """Stocktakes still counting in the user's scope (the home page card counts them: stocktake.home)."""
    return scoping.scope(Stocktake.objects.filter(status="open"), user, roles=STOCKTAKE_READERS)


def subtree_discrepancies(within) -> dict[str, int]:
    """The subtree's stocktakes still open (盘点中) and its 盘亏 not yet resolved: book lines a closed stocktake
    found missing whose card still waits for disposal (待处置 — a 损失核销 needs the disposal approval). Unscoped:
    the command center checked the unit. Two queries."""
    running = Stocktake.objects.filter(org_unit__path__startswith=within.path, status="open").count()
    missing = BookLine.objects.filter(
        book_unit__path__startswith=within.path,
        stocktake__status="closed",
        outcome=Outcome.MISSING,
        asset__status="pending_disposal",
    ).count()
    return {"open": running, "missing": missing}
