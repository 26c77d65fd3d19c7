"""Asset card import from Excel: every row validated first, every bad row reported by row number
and column, then all rows written or none. Idempotent by asset number: a row whose 资产编号
exists updates that card where the file differs (importing the same file twice changes nothing);
a row without a number is booked as a new card with a generated number.

Columns (first sheet, header in row 1): 资产编号 · 资产名称 · 分类代码 · 规格型号 · 数量 · 计量单位 ·
原值 · 取得日期 · 取得方式 · 经费来源 · 所属单位编码 · 入账日期 · 折旧年限（月） · 累计折旧 · 已提折旧月数 · 备注.
The last four are optional (opening balances of cards carried over from another system).

A .csv with the same header is read too. Written in bulk (bulk_create of the cards, their history rows and their booking movements), so
100,000 rows take seconds, not minutes (bench/bench_assets.py).
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from datahub import figures, keyed, scoping
from datahub.imports import Importer, importer
from datahub.keyed import Keyed
from datahub.labels import stored
from datahub.models import OrgUnit
from datahub.sheets import cell_text as _text
from datahub.sheets import source_choices

from . import rules, selectors, services
from .models import Asset, CapitalisationThreshold, Category, DepreciationEntry, Movement, MovementKind

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
MAX_ERRORS = 200
CHUNK = 5000
# Fields an import may change on an existing card (status, custodian, location move through the lifecycle).
UPDATABLE = ("name", "category", "spec", "quantity", "unit_of_measure", "original_value", "acquired_on",
             "acquisition_way", "funding_source", "note")  # fmt: skip


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    if not text:
        return None
    return date.fromisoformat(text)


def _money(value) -> Decimal:
    amount = Decimal(_text(value).replace(",", "")).quantize(Decimal("0.01"))
    if not amount.is_finite():
        raise InvalidOperation
    return amount


def _in_chunks(values: list, size: int = CHUNK):
    for i in range(0, len(values), size):
        yield values[i : i + size]


@importer
class CardImporter(Importer):
    kind = "assets.cards"
    title = "资产卡片"
    columns = COLUMNS
    required = REQUIRED
    max_rows = MAX_ROWS
    accept = ".xlsx 或 .csv"
    reads_csv = True
    roles = selectors.ASSET_EDITORS
    refused = "您没有导入资产卡片的权限。"
    template_filename = "资产卡片导入模板.xlsx"
    template_rows = (("", "台式计算机", "A02010105", "某型号", 1, "台", 4800, "2026-01-10", "购置", "财政拨款", "单位编码",
                      "2026-01-15", "", "", "", ""),)  # fmt: skip

    def back(self, params):
        return "assets:card-import", ()

    def summary(self, result):
        return f"导入完成：新增 {result['created']} 张，更新 {result['updated']} 张，未变 {result['unchanged']} 张。"

    def validate(self, ctx, rows):
        ways = {label: code for code, label in source_choices(rules.AcquisitionWay.choices)}
        sources = {label: code for code, label in source_choices(rules.FundingSource.choices)}
        categories = {c.code: c for c in Category.objects.all()}
        units = {}
        for chunk in _in_chunks(list({_text(r.get("所属单位编码")) for _, r in rows})):
            units.update({u.code: u for u in OrgUnit.objects.filter(code__in=chunk)})
        covered = {code: scoping.covers(ctx.actor, u, roles=selectors.ASSET_EDITORS) for code, u in units.items()}
        thresholds = list(CapitalisationThreshold.objects.order_by("-effective_from"))
        numbers = [_text(r.get("资产编号")) for _, r in rows if _text(r.get("资产编号"))]
        existing: dict[str, Asset] = {}
        for chunk in _in_chunks(numbers):
            existing.update({a.asset_number: a for a in Asset.objects.filter(asset_number__in=chunk)})
        today = timezone.localdate()

        errors = ctx.errors
        bad = errors.add

        def threshold_for(category, on):
            row = next((t for t in thresholds if t.effective_from <= on), None)
            return rules.capitalisation_threshold(
                special_equipment=category.special_equipment,
                general=row.general if row else None,
                special=row.special_equipment if row else None,
            )

        seen: dict[str, int] = {}
        new_cards: list[Asset] = []
        changed: list[tuple[Asset, list[str]]] = []
        result = Result()
        for number, raw in ctx.each(rows):
            if len(errors) >= MAX_ERRORS:
                break
            ok = True
            asset_number = _text(raw.get("资产编号"))
            if len(asset_number) > 40:
                bad(number, "资产编号", "不超过40个字符。")
                ok = False
            elif asset_number:
                if asset_number in seen:
                    bad(number, "资产编号", f"与第{seen[asset_number]}行重复。")
                    ok = False
                seen[asset_number] = number
            name = _text(raw.get("资产名称"))
            if not name or len(name) > 100:
                bad(number, "资产名称", "请填写资产名称（不超过100个字符）。")
                ok = False
            category = categories.get(_text(raw.get("分类代码")))
            if category is None:
                bad(number, "分类代码", f"没有代码为“{_text(raw.get('分类代码'))}”的资产分类（GB/T 14885-2022）。")
                ok = False
            try:
                quantity = int(_text(raw.get("数量")) or 1)
                if quantity < 1:
                    raise ValueError
            except ValueError:
                bad(number, "数量", "请填写大于0的整数。")
                ok = False
            try:
                value = _money(raw.get("原值"))
                if value <= 0:
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                bad(number, "原值", "原值必须是大于0的金额。")
                ok = False
            try:
                acquired_on = _date(raw.get("取得日期"))
                if acquired_on is None:
                    raise ValueError
            except ValueError:
                bad(number, "取得日期", "请填写日期，如 2026-01-15。")
                ok = False
            try:
                booked_on = _date(raw.get("入账日期")) or today
            except ValueError:
                bad(number, "入账日期", "请填写日期，如 2026-01-15，或留空表示今天。")
                ok = False
            way_label = _text(raw.get("取得方式")) or {v: k for k, v in ways.items()}[rules.AcquisitionWay.PURCHASE]
            way = ways.get(way_label)
            if way is None:
                bad(number, "取得方式", f"请填写{'、'.join(ways)}之一。")
                ok = False
            source_label = _text(raw.get("经费来源")) or {v: k for k, v in sources.items()}[rules.FundingSource.FISCAL]
            source = sources.get(source_label)
            if source is None:
                bad(number, "经费来源", f"请填写{'、'.join(sources)}之一。")
                ok = False
            unit_code = _text(raw.get("所属单位编码"))
            unit = units.get(unit_code)
            if unit is None:
                bad(number, "所属单位编码", f"没有编码为“{unit_code}”的机构。")
                ok = False
            elif not covered[unit_code]:
                bad(number, "所属单位编码", f"您没有管理“{unit.name}”资产的权限。")
                ok = False
            life = accumulated = months = None
            try:
                life = int(_text(raw.get("折旧年限（月）"))) if _text(raw.get("折旧年限（月）")) else None
                months = int(_text(raw.get("已提折旧月数")) or 0)
            except ValueError:
                bad(number, "折旧年限（月）", "折旧年限和已提折旧月数须为整数。")
                ok = False
            try:
                accumulated = _money(raw.get("累计折旧")) if _text(raw.get("累计折旧")) else Decimal("0")
            except (InvalidOperation, ValueError):
                bad(number, "累计折旧", "请填写金额。")
                ok = False
            if not ok:
                continue
            if accumulated < 0 or accumulated > value:
                bad(number, "累计折旧", "累计折旧须在0与原值之间。")
                continue
            old = existing.get(asset_number)
            if old is not None and not scoping.covers(ctx.actor, old.org_unit, roles=selectors.ASSET_EDITORS):
                bad(number, "资产编号", f"资产{asset_number}属于您无权管理的单位。")
                continue
            try:
                card = services.prepare_card(
                    org_unit=unit,
                    category=category,
                    name=name,
                    original_value=value,
                    acquired_on=acquired_on,
                    quantity=quantity,
                    unit_of_measure=(_text(raw.get("计量单位")) or "台")[:10],
                    spec=_text(raw.get("规格型号"))[:200],
                    acquisition_way=way,
                    funding_source=source,
                    booked_on=booked_on,
                    useful_life_months=life,
                    asset_number=asset_number,
                    note=_text(raw.get("备注"))[:300],
                    accumulated_depreciation=accumulated,
                    depreciated_months=months or 0,
                    threshold=threshold_for(category, booked_on),
                    validate=False,
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    label = {
                        "original_value": "原值",
                        "useful_life_months": "折旧年限（月）",
                        "acquired_on": "取得日期",
                    }.get(field, field)
                    bad(number, label, "；".join(messages))
                continue
            if old is None:
                new_cards.append(card)
                continue
            if old.org_unit_id != unit.pk:
                bad(number, "所属单位编码", "已有卡片的所属单位须通过调拨变更，不能由导入修改。")
                continue
            diff = [f for f in UPDATABLE if getattr(old, f) != getattr(card, f)]
            if diff:
                for f in diff:
                    setattr(old, f, getattr(card, f))
                changed.append((old, diff))
            else:
                result.unchanged += 1
        if len(errors) >= MAX_ERRORS:
            bad(None, "", f"错误较多，仅列出前{MAX_ERRORS}条。")
        return new_cards, changed, result

    def write(self, ctx, parsed):
        new_cards, changed, result = parsed
        # The cards the file changes, locked until the commit (validation read them without a lock).
        list(Asset.objects.select_for_update().filter(pk__in=[c.pk for c, _ in changed]).values_list("pk"))
        missing_numbers = [c for c in new_cards if not c.asset_number]
        if missing_numbers:
            for card, generated in zip(
                missing_numbers, services.next_asset_numbers(count=len(missing_numbers)), strict=True
            ):
                card.asset_number = generated
        if new_cards:
            result.created = _insert_new(new_cards, ctx.actor)
        if changed:
            cards = [c for c, _ in changed]
            _reanchor_depreciation(changed)
            bulk_update_with_history(
                cards, Asset, [*UPDATABLE, "next_depreciation_month"], batch_size=1000, default_user=ctx.actor
            )
            Movement.objects.bulk_create(
                (
                    Movement(
                        asset=c,
                        kind=MovementKind.IMPORT,
                        actor=ctx.actor,
                        from_status=c.status,
                        to_status=c.status,
                        **keyed.columns(
                            "note",
                            Keyed(
                                gettext_noop("Excel导入更新：%(fields)s"),
                                {"fields": "、".join(stored(Asset._meta.get_field(f).verbose_name) for f in diff)},
                            ),
                            500,
                        ),
                    )
                    for c, diff in changed
                ),
                batch_size=5000,
            )
            result.updated = len(changed)
        # The bulk writes skip post_save: say which units' months moved (the command center's roll-up), as
        # the watch in AssetsConfig.ready() would for each card.
        written = [*new_cards, *(c for c, _ in changed)]
        figures.changed({c.org_unit_id for c in written}, {m for c in written for m in (c.acquired_on, c.disposed_on)})
        return asdict(result)


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
            for chunk in _in_chunks([c.asset_number for c in cards]):
                ids.update(dict(Asset.objects.filter(asset_number__in=chunk).values_list("asset_number", "pk")))
        Movement.objects.bulk_create((_booking(c, ids[c.asset_number], actor, now) for c in cards), batch_size=5000)
        return len(created)
    fields = [f for f in Asset._meta.concrete_fields if not f.primary_key]
    _copy(
        Asset._meta.db_table, [f.column for f in fields], (tuple(getattr(c, f.attname) for f in fields) for c in cards)
    )
    ids: dict[str, int] = {}
    for chunk in _in_chunks([c.asset_number for c in cards], 20000):
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
               "from_status", "party"]  # fmt: skip
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
                "Excel导入入账",
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
