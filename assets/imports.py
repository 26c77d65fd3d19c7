"""Asset card import from Excel: every row validated first, every bad row reported by row number
and column, then all rows written or none. Idempotent by asset number: a row whose 资产编号
exists updates that card where the file differs (importing the same file twice changes nothing);
a row without a number is booked as a new card with a generated number.

Columns (first sheet, header in row 1): 资产编号 · 资产名称 · 分类代码 · 规格型号 · 数量 · 计量单位 ·
原值 · 取得日期 · 取得方式 · 经费来源 · 所属单位编码 · 入账日期 · 折旧年限（月） · 累计折旧 · 已提折旧月数 · 备注.
The last four are optional (opening balances of cards carried over from another system).

A .csv with the same header is read too. On PostgreSQL the rows are staged in a temporary table, checked
with one query and the new cards written with INSERT … SELECT (assets/imports_sql.py); elsewhere the row
path below checks every row and writes in bulk. Both word every problem with the same check_row
(assets/import_checks.py), so a file is refused with the same sentences on both databases.
"""

from dataclasses import asdict

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from datahub import figures, keyed, staging
from datahub.imports import Importer, importer
from datahub.keyed import Keyed, Names, label
from datahub.sheets import cell_text as _text

from . import imports_sql, rules, selectors, services
from .import_checks import MAX_ERRORS, UPDATABLE, Lookups, Result, check_row, in_chunks, place, too_many_errors
from .models import Asset, DepreciationEntry, Movement, MovementKind

COLUMNS = (
    "资产编号",
    "资产名称",
    "分类代码",
    "规格型号",
    "数量",
    "计量单位",
    "原值",
    "取得日期",
    "取得方式",
    "经费来源",
    "所属单位编码",
    "入账日期",
    "折旧年限（月）",
    "累计折旧",
    "已提折旧月数",
    "备注",
)
REQUIRED = ("资产名称", "分类代码", "原值", "取得日期", "所属单位编码")
MAX_ROWS = 200_000


@importer
class CardImporter(Importer):
    kind = "assets.cards"
    title = "资产卡片"
    columns = COLUMNS
    required = REQUIRED
    max_rows = MAX_ROWS
    accept = gettext_lazy(".xlsx 或 .csv")
    reads_csv = True
    stage_csv = (imports_sql.STAGE, imports_sql.CELLS, imports_sql.PLAIN)
    roles = selectors.ASSET_EDITORS
    refused = gettext_lazy("您没有导入资产卡片的权限。")
    template_filename = "资产卡片导入模板.xlsx"
    template_rows = (("", "台式计算机", "A02010105", "某型号", 1, "台", 4800, "2026-01-10", "购置", "财政拨款", "单位编码",
                      "2026-01-15", "", "", "", ""),)  # fmt: skip

    def back(self, params):
        return "assets:card-import", ()

    def summary(self, result):
        return gettext_lazy("导入完成：新增 %(created)s 张，更新 %(updated)s 张，未变 %(unchanged)s 张。") % result

    def validate(self, ctx, rows):
        lk = Lookups.of(ctx.actor, staging.distinct(rows, "所属单位编码"))
        if staging.available():
            parsed = imports_sql.validate(ctx, rows, lk)
            if parsed is not None:
                return parsed
        lk.load_existing({_text(r.get("资产编号")) for _, r in rows} - {""})
        errors = ctx.errors
        seen: dict[str, int] = {}
        new_cards: list[Asset] = []
        changed: list[tuple[Asset, list[str]]] = []
        result = Result()
        for number, raw in ctx.each(rows):
            if len(errors) >= MAX_ERRORS:
                break
            asset_number = _text(raw.get("资产编号"))
            previous = None
            if asset_number and len(asset_number) <= 40:
                previous = seen.get(asset_number)
                seen[asset_number] = number
            line = check_row(errors.add, lk, number, raw, previous)
            if line is not None:
                place(line, new_cards, changed, result)
        if len(errors) >= MAX_ERRORS:
            errors.add(None, "", too_many_errors())
        return new_cards, changed, result

    def write(self, ctx, parsed):
        new_cards, changed, result = parsed
        # The cards the file changes, locked until the commit (validation read them without a lock).
        list(Asset.objects.select_for_update().filter(pk__in=[c.pk for c, _ in changed]).values_list("pk"))
        if isinstance(new_cards, imports_sql.Staged):
            result.created, units, months = imports_sql.insert_new(new_cards, ctx.actor)
        else:
            missing_numbers = [c for c in new_cards if not c.asset_number]
            if missing_numbers:
                for card, generated in zip(
                    missing_numbers, services.next_asset_numbers(count=len(missing_numbers)), strict=True
                ):
                    card.asset_number = generated
            if new_cards:
                result.created = _insert_new(new_cards, ctx.actor)
            units, months = {c.org_unit_id for c in new_cards}, {c.acquired_on for c in new_cards}
        if changed:
            update_changed(changed, ctx.actor)
            result.updated = len(changed)
        # The bulk writes skip post_save: say which units' months moved (the command center's roll-up), as
        # the watch in AssetsConfig.ready() would for each card.
        cards = [c for c, _ in changed]
        figures.changed(
            units | {c.org_unit_id for c in cards}, months | {m for c in cards for m in (c.acquired_on, c.disposed_on)}
        )
        return asdict(result)


def update_changed(changed, actor) -> None:
    """The existing cards the file changes, with their history rows and one import movement each."""
    cards = [c for c, _ in changed]
    _reanchor_depreciation(changed)
    bulk_update_with_history(cards, Asset, [*UPDATABLE, "next_depreciation_month"], batch_size=1000, default_user=actor)
    Movement.objects.bulk_create(
        (
            Movement(
                asset=c,
                kind=MovementKind.IMPORT,
                actor=actor,
                from_status=c.status,
                to_status=c.status,
                **keyed.columns(
                    "note",
                    Keyed(
                        gettext_noop("Excel导入更新：%(fields)s"),
                        {"fields": Names(label(Asset._meta.get_field(f).verbose_name) for f in diff)},
                    ),
                    500,
                ),
            )
            for c, diff in changed
        ),
        batch_size=5000,
    )


def _reanchor_depreciation(changed) -> None:
    """A corrected 取得日期 moves the first depreciation month with it (rules.DEPRECIATION_TIMING) while
    nothing has been posted for the card on this platform; once months are posted they stand."""
    moved = [c for c, diff in changed if "acquired_on" in diff and c.next_depreciation_month is not None]
    posted = set(DepreciationEntry.objects.filter(asset__in=moved).values_list("asset_id", flat=True))
    for card in moved:
        if card.pk not in posted:
            first = rules.first_depreciation_month(acquired_on=card.acquired_on, booked_on=card.booked_on)
            card.next_depreciation_month = rules.add_months(first, card.depreciated_months)


def read_xlsx(file) -> list[tuple[int, dict]]:
    return CardImporter().read(file, "cards.xlsx")


def require_importer(actor) -> None:
    CardImporter().require(actor)


def import_cards(*, actor, rows: list[tuple[int, dict]]) -> Result:
    """Synchronously (benchmarks, tests of the rules): every row checked, then all written or none."""
    return Result(**CardImporter().run(actor=actor, rows=rows))


def _copy(table: str, columns: list[str], rows) -> None:
    """PostgreSQL COPY … FROM STDIN: the fastest way in (the values are plain Python values)."""
    # Imported here: psycopg is installed only where the platform runs on PostgreSQL.
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _insert_new(cards: list[Asset], actor) -> int:
    """Insert the new cards, their history rows (type "+") and their booking movements.

    PostgreSQL: three COPYs (cards, then their ids read back by number, then history and
    movements) — the ORM's per-value preparation was most of the import's time. Other
    databases: bulk_create (with history).
    """
    now = timezone.now()
    for card in cards:
        card.created_at = now
    if connection.vendor != "postgresql":
        created = bulk_create_with_history(cards, Asset, batch_size=2000, default_user=actor)
        ids = {c.asset_number: c.pk for c in created if c.pk}
        if len(ids) < len(cards):  # a backend that does not return ids from bulk inserts
            for chunk in in_chunks([c.asset_number for c in cards]):
                ids.update(dict(Asset.objects.filter(asset_number__in=chunk).values_list("asset_number", "pk")))
        Movement.objects.bulk_create((_booking(c, ids[c.asset_number], actor, now) for c in cards), batch_size=5000)
        return len(created)
    fields = [f for f in Asset._meta.concrete_fields if not f.primary_key]
    _copy(
        Asset._meta.db_table, [f.column for f in fields], (tuple(getattr(c, f.attname) for f in fields) for c in cards)
    )
    ids: dict[str, int] = {}
    for chunk in in_chunks([c.asset_number for c in cards], 20000):
        ids.update(dict(Asset.objects.filter(asset_number__in=chunk).values_list("asset_number", "pk")))
    history = Asset.history.model
    tracked = [f for f in history._meta.concrete_fields if not f.name.startswith("history_") and f.name != "id"]
    extra = ["id", "history_date", "history_change_reason", "history_type", "history_user_id"]
    _copy(
        history._meta.db_table,
        [f.column for f in tracked] + extra,
        (
            (*(getattr(c, f.attname) for f in tracked), ids[c.asset_number], now, "Excel导入", "+", actor.pk)
            for c in cards
        ),
    )
    columns = ["asset_id", "kind", "actor_id", "at", "to_unit_id", "to_status", "amount", "note",
               "note_key", "note_values", "from_status", "party"]  # fmt: skip
    _copy(
        Movement._meta.db_table,
        columns,
        (
            (
                ids[c.asset_number],
                MovementKind.BOOK,
                actor.pk,
                now,
                c.org_unit_id,
                c.status,
                c.original_value,
                _IMPORT_BOOKED["note"],
                _IMPORT_BOOKED["note_key"],
                "{}",
                "",
                "",
            )
            for c in cards
        ),
    )
    return len(cards)


_IMPORT_BOOKED = {"note": "Excel导入入账", "note_key": gettext_noop("Excel导入入账"), "note_values": {}}


def _booking(card: Asset, pk: int, actor, now) -> Movement:
    return Movement(
        asset_id=pk,
        kind=MovementKind.BOOK,
        actor=actor,
        at=now,
        to_unit_id=card.org_unit_id,
        to_status=card.status,
        amount=card.original_value,
        **_IMPORT_BOOKED,
    )
