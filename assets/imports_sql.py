"""The card import on PostgreSQL, set-based: the sheet staged by COPY, checked with one query, the new cards
written with ``INSERT … SELECT`` together with their history rows, then their booking movements; their foreign
keys proven once per referenced row where the database allows (``staging.keys_proven``), not once per row.

The rules stay those of assets/import_checks.py. The query only *finds* the rows that fail, strictly (a cell
it cannot read as the row path would, e.g. "1_000" or "20260115", counts as failing); each failing row is then
checked by ``check_row`` itself, which words its problems — so a file is refused with the same sentences on
both paths, the first MAX_ERRORS of them. Should ``check_row`` accept a row the query refused, the query was
stricter than the rules: the whole file goes the row path (``validate`` returns None). A row naming an
existing card goes through ``check_row`` too (an update is compared field by field, as on the row path); new
cards never leave the database until they are written.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_noop

from datahub import staging
from datahub.sheets import cell_text

from . import rules, services
from .import_checks import MAX_ERRORS, Lookups, Result, check_row, place, too_many_errors
from .models import Asset, Movement, MovementKind

STAGE, ROWS = "assets_import_stage", "assets_import_rows"
CELLS = {"asset_number": "资产编号", "name": "资产名称", "code": "分类代码", "spec": "规格型号", "quantity": "数量",
         "uom": "计量单位", "value": "原值", "acquired": "取得日期", "way": "取得方式", "funding": "经费来源",
         "unit": "所属单位编码", "booked": "入账日期", "life": "折旧年限（月）", "accumulated": "累计折旧",
         "months": "已提折旧月数", "note": "备注"}  # fmt: skip
DATES = ("取得日期", "入账日期")


@dataclass
class Staged:
    """The new cards, checked and waiting in the temporary table ROWS (``ok`` and no ``existing_id``);
    ``unnumbered`` of them get a drawn number."""

    rows: int
    unnumbered: int


# Plain cells ([0-9], not \d: no other digits): a whole number of at most n digits; an amount as money() reads
# it (commas anywhere, dropped; digits with at most one point, at least one digit); a day written YYYY-MM-DD of
# a month's first 28 (every month has them; a later day goes the careful way, which knows the calendar).
_N = r"[0-9]{{1,{}}}"
_MONEY = r"(?=[^\t]*[0-9])[0-9,]*(?:\.[0-9,]*)?"
_DAY = r"(?!0000)[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
_ANY = r"[^\t]*"
# A row (its staged cells, tab-joined in CELLS order) whose number and date cells are plain: a quantity of at
# most 9 digits, a life and months of at most 4 (each possibly empty), the value and the accumulated
# depreciation (possibly empty) as amounts, the days (the booking day possibly empty). Such a row's cells are
# typed by a bare cast; any other goes through the per-cell expressions (translate(), regular expressions, the
# calendar). Matched in the reader's loop (datahub.staging.Plain).
PLAIN = re.compile(
    "\t".join((_ANY, _ANY, _ANY, _ANY, f"(?:{_N.format(9)})?", _ANY, _MONEY, _DAY, _ANY, _ANY, _ANY, f"(?:{_DAY})?",
               f"(?:{_N.format(4)})?", f"(?:{_MONEY})?", f"(?:{_N.format(4)})?", _ANY))
)  # fmt: skip


def _day_text(value):
    return (value.date() if isinstance(value, datetime) else value).isoformat() if isinstance(value, date) else value


def _dated(rows):
    """An Excel date cell is a datetime, which the row path takes as its date: staged as the date's ISO text."""
    for number, raw in rows:
        if isinstance(raw.get(DATES[0]), date) or isinstance(raw.get(DATES[1]), date):
            raw = {**raw, **{c: _day_text(raw.get(c)) for c in DATES}}
        yield number, raw


# prepare_card's unit value: value ÷ quantity rounded half to even to the cent, in whole cents (the remainder
# against half the quantity); CASE first, so that a quantity of 0 is never divided by.
_UNIT_CENTS = """CASE WHEN t.quantity >= 1 THEN
    CASE WHEN 2 * mod(t.value * 100, t.quantity) < t.quantity THEN div(t.value * 100, t.quantity)
         WHEN 2 * mod(t.value * 100, t.quantity) > t.quantity THEN div(t.value * 100, t.quantity) + 1
         ELSE div(t.value * 100, t.quantity) + mod(div(t.value * 100, t.quantity), 2) END END"""


def _checked(repeats: bool, thresholds: int) -> str:
    """CREATE … AS: every staged row typed, resolved (category, unit, choices, an existing card, the row the
    same number was last on) and judged (``ok``: every check of check_row passes for sure). The threshold is
    the row in force on the booking day: the latest of ``thresholds`` rows (newest first, as parameters
    th_from_i, th_general_i, th_special_i) in force by then, else the defaults.

    ``repeats``: some number is on two rows of the file. Only then is ``previous`` looked for, by a window over
    the numbers (sorted bytewise: equal as in any collation, cheaper); the usual file repeats none, and the sort
    of every staged row by its number was a third of this statement."""

    def typed(cast: str, careful: str) -> str:
        return f"CASE WHEN s.plain THEN {cast} ELSE {careful} END"

    cells = {c: f"replace(s.{c}, ',', '')" for c in ("value", "accumulated")}
    money = {c: typed(f"{cell}::numeric", staging.decimal(cell)) for c, cell in cells.items()}
    previous = (
        """CASE WHEN s.asset_number <> '' AND length(s.asset_number) <= 40
                THEN lag(s.number) OVER (PARTITION BY s.asset_number COLLATE "C" ORDER BY s.number) END"""
        if repeats
        else "NULL::integer"
    )
    # A few thresholds at most, written into the statement: a CASE per row where a join against their
    # unnested arrays was a nested loop over every staged row.
    pick = "CASE WHEN t.special_equipment THEN {special} ELSE {general} END"
    threshold = pick.format(special="%(special_default)s::numeric", general="%(general_default)s::numeric")
    if thresholds:
        in_force = " ".join(
            f"WHEN t.booked_on >= %(th_from_{i})s::date THEN "
            + pick.format(special=f"%(th_special_{i})s::numeric", general=f"%(th_general_{i})s::numeric")
            for i in range(thresholds)
        )
        threshold = f"CASE {in_force} ELSE {threshold} END"

    return f"""
        CREATE TEMPORARY TABLE {ROWS} AS
        SELECT *, COALESCE(
                length(asset_number) <= 40 AND previous IS NULL AND name <> '' AND length(name) <= 100
                AND category_id IS NOT NULL AND quantity >= 1 AND value > 0 AND value < 1e12
                AND acquired_on IS NOT NULL AND booked_on IS NOT NULL AND way IS NOT NULL AND funding IS NOT NULL
                AND unit_id IS NOT NULL AND (NOT life_given OR life IS NOT NULL) AND months IS NOT NULL
                AND accumulated <= value AND acquired_on <= booked_on
                AND (NOT depreciates OR COALESCE(life, min_life_months) >= min_life_months)
                AND unit_cents >= 100 * threshold,
            false) AS ok
        FROM (
            SELECT t.*, {_UNIT_CENTS} AS unit_cents, {threshold} AS threshold
            FROM (
                SELECT s.number, s.asset_number, s.name, s.spec, s.uom, s.note,
                       c.id AS category_id, c.depreciates, c.min_life_months, c.special_equipment,
                       CASE WHEN s.quantity = '' THEN 1
                            ELSE {typed("s.quantity::integer", staging.integer("s.quantity", 9))} END AS quantity,
                       {staging.even(money["value"], 2)} AS value,
                       {typed("s.acquired::date", staging.iso_day("translate(s.acquired, '/.', '--')"))} AS acquired_on,
                       CASE WHEN s.booked = '' THEN %(today)s::date
                            ELSE {typed("s.booked::date", staging.iso_day("translate(s.booked, '/.', '--')"))}
                       END AS booked_on,
                       w.code AS way, f.code AS funding, u.unit_id,
                       s.life <> '' AS life_given,
                       {typed("NULLIF(s.life, '')::integer", staging.integer("s.life", 4))} AS life,
                       CASE WHEN s.months = '' THEN 0
                            ELSE {typed("s.months::integer", staging.integer("s.months", 4))} END AS months,
                       CASE WHEN s.accumulated = '' THEN 0 ELSE {staging.even(money["accumulated"], 2)} END
                           AS accumulated,
                       a.id AS existing_id, {previous} AS previous
                FROM {STAGE} s
                LEFT JOIN assets_category c ON c.code = s.code
                LEFT JOIN unnest(%(way_labels)s::text[], %(way_codes)s::text[]) AS w (label, code)
                    ON w.label = COALESCE(NULLIF(s.way, ''), %(default_way)s)
                LEFT JOIN unnest(%(funding_labels)s::text[], %(funding_codes)s::text[]) AS f (label, code)
                    ON f.label = COALESCE(NULLIF(s.funding, ''), %(default_funding)s)
                LEFT JOIN unnest(%(unit_codes)s::text[], %(unit_ids)s::bigint[]) AS u (code, unit_id)
                    ON u.code = s.unit
                LEFT JOIN assets_asset a ON a.asset_number = s.asset_number AND s.asset_number <> ''
                OFFSET 0
            ) t
            OFFSET 0
        ) j
    """


def validate(ctx, rows, lk: Lookups) -> tuple[Staged, list, Result] | None:
    """Stage the rows, report every failing one (as the row path words it) and check the rows naming an
    existing card as the row path does; None: use the row path."""
    if not staging.is_staged(rows, STAGE):
        staging.stage(STAGE, list(CELLS), _dated(ctx.each(rows)), list(CELLS.values()), plain=PLAIN)
    units = [(code, lk.units[code].pk) for code, ok in lk.covered.items() if ok]
    thresholds = sorted(lk.thresholds, key=lambda t: t.effective_from, reverse=True)
    params = {
        "today": lk.today,
        "way_labels": list(lk.ways),
        "way_codes": list(lk.ways.values()),
        "default_way": lk.default_way,
        "funding_labels": list(lk.sources),
        "funding_codes": list(lk.sources.values()),
        "default_funding": lk.default_source,
        "unit_codes": [c for c, _ in units],
        "unit_ids": [pk for _, pk in units],
        "general_default": rules.CAPITALISATION_THRESHOLD,
        "special_default": rules.CAPITALISATION_THRESHOLD_SPECIAL,
    }
    for i, t in enumerate(thresholds):
        params.update({f"th_from_{i}": t.effective_from, f"th_general_{i}": t.general,
                       f"th_special_{i}": t.special_equipment})  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ROWS}")
        # A hash aggregate, no sort: whether the window naming each repeat's earlier row is needed at all.
        cursor.execute(
            f"SELECT EXISTS (SELECT FROM {STAGE} WHERE asset_number <> '' GROUP BY asset_number HAVING count(*) > 1)"
        )
        (repeats,) = cursor.fetchone()
        cursor.execute(_checked(repeats, len(thresholds)), params)
        # The flagged rows (failing, or naming an existing card), then one line (number NULL) counting the new
        # cards and those without a number: one statement.
        cursor.execute(
            f"""SELECT number, previous, (existing_id IS NOT NULL)::integer FROM {ROWS}
                WHERE NOT ok OR existing_id IS NOT NULL
                UNION ALL
                SELECT NULL, count(*) FILTER (WHERE asset_number = ''), count(*) FROM {ROWS}
                WHERE ok AND existing_id IS NULL"""
        )
        lines = cursor.fetchall()
    flagged = sorted(line for line in lines if line[0] is not None)
    _, unnumbered, new = next(line for line in lines if line[0] is None)
    staging.drop(STAGE)
    staged, changed, result = Staged(rows=new, unnumbered=unnumbered), [], Result()
    if flagged:
        source = dict(rows)
        lk.load_existing(cell_text(source[n]["资产编号"]) for n, _, existing in flagged if existing)
        new_cards: list = []
        for number, previous, _ in flagged:
            if len(ctx.errors) >= MAX_ERRORS:
                break
            line = check_row(ctx.errors.add, lk, number, source[number], previous)
            if line is None:
                continue
            place(line, new_cards, changed, result)
            if new_cards:
                # The rules accept a new card the query refused: the row path decides for the whole file.
                ctx.errors.items.clear()
                staging.drop(ROWS)
                return None
        if len(ctx.errors) >= MAX_ERRORS:
            ctx.errors.add(None, "", too_many_errors())
    if ctx.errors:
        staging.drop(ROWS)
    return staged, changed, result


# The card's columns the import sets (the rest take the model's defaults, as on a card built by prepare_card).
_SET = {
    "asset_number": "CASE WHEN r.asset_number = '' THEN (%(numbers)s::text[])[r.draw] ELSE r.asset_number END",
    "name": "r.name",
    "category_id": "r.category_id",
    "spec": "left(r.spec, 200)",
    "quantity": "r.quantity",
    "unit_of_measure": "left(COALESCE(NULLIF(r.uom, ''), '台'), 10)",
    "original_value": "r.value",
    "acquired_on": "r.acquired_on",
    "acquisition_way": "r.way",
    "funding_source": "r.funding",
    "org_unit_id": "r.unit_id",
    "booked_on": "r.booked_on",
    "depreciates": "r.depreciates",
    "useful_life_months": "CASE WHEN r.depreciates THEN COALESCE(r.life, r.min_life_months) ELSE 0 END",
    "accumulated_depreciation": "CASE WHEN r.depreciates THEN r.accumulated ELSE 0 END",
    "depreciated_months": "CASE WHEN r.depreciates THEN r.months ELSE 0 END",
    # rules.first_depreciation_month + add_months: the acquisition month, moved by the months posted elsewhere
    "next_depreciation_month": (
        "CASE WHEN r.depreciates AND r.months < COALESCE(r.life, r.min_life_months) AND r.accumulated < r.value "
        "THEN (date_trunc('month', r.acquired_on) + make_interval(months => r.months))::date END"
    ),
    "note": "left(r.note, 300)",
    "created_at": "%(now)s",
}


def insert_new(staged: Staged, actor) -> tuple[int, set, set]:
    """Insert the new cards and their history rows (type "+", from what the cards' insert returns) in one
    statement, then their booking movements in a second one; every key they hold exists and stays so until the
    commit (proven once per referenced row, or checked per row by PostgreSQL where it cannot be). Returns the
    cards written, their units and their acquisition dates (the command center's roll-up)."""
    try:
        return _insert_new(staged, actor)
    finally:
        staging.drop(ROWS)


def _insert_new(staged: Staged, actor) -> tuple[int, set, set]:
    if not staged.rows:
        return 0, set(), set()
    numbers = services.next_asset_numbers(count=staged.unnumbered) if staged.unnumbered else []
    proto = Asset()
    fields = [f for f in Asset._meta.concrete_fields if not f.primary_key]
    values, params = [], {"numbers": numbers, "now": timezone.now(), "actor": actor.pk}
    for f in fields:
        if f.column in _SET:
            values.append(_SET[f.column])
        else:
            params[f"d_{f.column}"] = f.get_db_prep_save(getattr(proto, f.attname), connection)
            values.append(f"%(d_{f.column})s::{f.db_type(connection)}")
    columns = [f.column for f in fields]
    history = Asset.history.model
    tracked = [f.column for f in history._meta.concrete_fields if not f.name.startswith("history_") and f.name != "id"]
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    tracked_names = ", ".join(qn(c) for c in tracked)
    # Drawn numbers go to the rows without one in the file's order; a file where every row has its number (the
    # usual one) needs no window for that.
    rows = f"SELECT *, NULL::bigint AS draw FROM {ROWS} WHERE ok AND existing_id IS NULL"
    if numbers:
        rows = (
            f"SELECT *, row_number() OVER (PARTITION BY asset_number = '' ORDER BY number) AS draw "
            f"FROM {ROWS} WHERE ok AND existing_id IS NULL"
        )
    card_keys, move_keys = _keys(Asset), _keys(Movement)
    # work_mem: the cards sorted by row number and the tuplestore of what their insert returns (≈ 6 MB at 20,000
    # cards) stay in memory instead of temporary files.
    with staging.settings(jit="off", work_mem="64MB"), connection.cursor() as cursor:
        # The categories and units the new cards name (every other key of a card stays empty, as prepare_card
        # leaves it): proven and locked once each, not once per card at the commit (staging.keys_proven).
        cursor.execute(
            f"SELECT array_agg(DISTINCT category_id), array_agg(DISTINCT unit_id), array_agg(DISTINCT acquired_on) "
            f"FROM {ROWS} WHERE ok AND existing_id IS NULL"
        )
        card_keys["category_id"], card_keys["org_unit_id"], months = cursor.fetchone()
        proven = {
            Asset._meta.db_table: card_keys,
            history._meta.db_table: {**_keys(history), "history_user_id": [actor.pk]},
        }
        with staging.keys_proven(proven):
            # The cards inserted in row order (their ids drawn by the table's default, in the file's order), their
            # history rows from what the insert returns — no table of the cards to write first — and their ids.
            cursor.execute(
                f"""
                WITH cards AS (
                    INSERT INTO {Asset._meta.db_table} ({names})
                    SELECT {", ".join(values)} FROM ({rows}) r
                    ORDER BY r.number
                    RETURNING *
                ), logged AS (
                    INSERT INTO {history._meta.db_table} (id, {tracked_names}, history_date, history_change_reason,
                        history_type, history_user_id)
                    SELECT id, {tracked_names}, %(now)s, 'Excel导入', '+', %(actor)s FROM cards
                )
                SELECT array_agg(id ORDER BY id) FROM cards
                """,
                params,
            )
            (ids,) = cursor.fetchone()
        move_keys.update(asset_id=ids, actor_id=[actor.pk], to_unit_id=card_keys["org_unit_id"])
        # The booking movements, once the cards they name exist (so that those are proven like any other key).
        with staging.keys_proven({Movement._meta.db_table: move_keys}):
            cursor.execute(
                f"""
                INSERT INTO {Movement._meta.db_table} (asset_id, kind, actor_id, at, to_unit_id, to_status, amount,
                    note, note_key, note_values, from_status, party)
                SELECT id, %(kind)s, %(actor)s, %(now)s, org_unit_id, status, original_value, %(note)s, %(note)s,
                    '{{}}', '', '' FROM {Asset._meta.db_table} WHERE id = ANY(%(ids)s) ORDER BY id
                """,
                # The booking note is a message in the platform's language, shown in the reader's (datahub.keyed).
                {**params, "ids": ids, "kind": MovementKind.BOOK, "note": gettext_noop("Excel导入入账")},
            )
    return len(ids), set(card_keys["org_unit_id"]), set(months)


def _keys(model) -> dict[str, list]:
    """Every foreign key column of ``model``'s table with the id a new row takes by default (none, today): the
    import sets the others itself and names their ids; one it leaves alone must still be proven."""
    proto = model()
    keys = {}
    for f in model._meta.concrete_fields:
        if f.is_relation and f.db_constraint:
            default = getattr(proto, f.attname)
            keys[f.column] = [] if default is None else [default]
    return keys
