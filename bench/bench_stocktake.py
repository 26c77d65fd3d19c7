"""清查盘点 benchmark: a province-wide stocktake of one card per person.

The cards are generated here with ``bulk_create`` (one per active person, spread over the
institutions; generate_org puts 50,000 people per ``--scale`` 1.0). Then, as an asset
administrator over the whole province would:

- ``stocktake.open`` (s, rows/s): opening the stocktake snapshots the book (one streamed query,
  BookLine ``bulk_create``).
- ``stocktake.import`` (s, rows/s): reading a count sheet (.xlsx, 99% of the cards, 2% of them
  seen in another room) and importing it, all rows checked first, then one ``bulk_create``.
- ``stocktake.reconcile`` (s, ``queries``): the result (each line's outcome) — the detail page and the export.
- ``stocktake.close`` (s, ``queries``): closing: the 1% missing become 待处置 and the 2% found
  elsewhere are relocated, each through the assets services (one movement each), in one transaction.

Query counts are counted with a connection wrapper.
"""

import random
import time
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.db import connection
from openpyxl import Workbook

from assets.models import Asset, Category
from datahub.models import OrgUnit, User
from datahub.roles import Role
from officespace.models import Building, Floor, Room
from stocktake import imports, selectors, services


@contextmanager
def count_queries():
    box = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        box["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield box


def _timed(call):
    with count_queries() as box:
        start = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - start
    return seconds, box["n"], result


def _admin(root: OrgUnit) -> User:
    from datahub import services as directory

    user, _ = User.objects.get_or_create(username="bench-stocktake", defaults={"name": "盘点基准", "org_unit": root})
    actor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        username="bench-root", password=None, name="基准超级用户"
    )
    directory.grant_role(actor=actor, user=user, role=Role.ASSET_ADMIN, unit=root)
    user.refresh_from_db()
    return user


def generate(rng: random.Random) -> tuple[OrgUnit, list[Asset], list[Room]]:
    """One card per active person, booked on the person's institution; one building with two rooms each."""
    root = OrgUnit.objects.filter(depth=1).order_by("path").first()
    category = Category.objects.get(code="A02010105")
    institutions = list(OrgUnit.objects.filter(level=OrgUnit.Level.INSTITUTION).order_by("path"))
    by_path = {u.path: u for u in institutions}
    building = Building.objects.create(
        code="BENCH-ST", name="盘点基准楼", address="基准路1号", org_unit=root, building_area=100000, use_area=80000
    )
    floor = Floor.objects.create(building=building, number=1)
    rooms = Room.objects.bulk_create(
        [
            Room(building=building, floor=floor, number=f"{i}-{k}", use_area=Decimal("20"), org_unit=unit)
            for i, unit in enumerate(institutions)
            for k in (1, 2)
        ]
    )
    room_of = {}
    for room in rooms:
        room_of.setdefault(room.org_unit_id, []).append(room)
    people = User.objects.filter(is_active=True, org_unit__isnull=False).values_list("org_unit__path", flat=True)
    cards = []
    for n, path in enumerate(people.iterator(chunk_size=5000)):
        home = next((by_path[path[:end]] for end in range(len(path), 0, -4) if path[:end] in by_path), None)
        if home is None:
            continue
        cards.append(
            Asset(
                asset_number=f"BENCH{n:08d}",
                name="台式计算机",
                category=category,
                original_value=Decimal("5000"),
                acquired_on=date(2024, 1, 1),
                booked_on=date(2024, 1, 1),
                org_unit=home,
                location=room_of[home.pk][0],
                useful_life_months=72,
            )
        )
    Asset.objects.bulk_create(cards, batch_size=5000)
    analyze("assets_asset", "officespace_room")
    return root, cards, rooms


def analyze(*tables) -> None:
    """Fresh statistics after a bulk load, as autovacuum would give a production database."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


def _sheets(cards, rooms, rng) -> list[BytesIO]:
    """Count sheets of at most rules.MAX_IMPORT_ROWS rows (the import's limit), as a team would hand them in."""
    from stocktake import rules

    other_room = {}
    for room in rooms:
        other_room.setdefault(room.org_unit_id, []).append(room)
    rows = []
    for card in cards:
        r = rng.random()
        if r < 0.01:
            continue  # 盘亏
        room = other_room[card.org_unit_id][1] if r < 0.03 else other_room[card.org_unit_id][0]
        rows.append([card.asset_number, "BENCH-ST", room.number, "", "", "", ""])
    out = []
    for start in range(0, len(rows), rules.MAX_IMPORT_ROWS):
        book = Workbook(write_only=True)
        ws = book.create_sheet()
        ws.append(list(imports.COLUMNS))
        for row in rows[start : start + rules.MAX_IMPORT_ROWS]:
            ws.append(row)
        buffer = BytesIO()
        book.save(buffer)
        buffer.seek(0)
        out.append(buffer)
    return out


def run():
    rng = random.Random(2026)
    t = time.perf_counter()
    root, cards, rooms = generate(rng)
    yield {"name": "stocktake.generate", "value": round(time.perf_counter() - t, 2), "unit": "s", "cards": len(cards)}
    admin = _admin(root)

    seconds, queries, take = _timed(
        lambda: services.open_stocktake(actor=admin, title="全省资产清查（基准）", org_unit=root)
    )
    lines = take.lines.count()
    analyze("stocktake_bookline")
    yield {"name": "stocktake.open", "value": round(lines / seconds), "unit": "rows/s", "rows": lines,
           "seconds": round(seconds, 2), "queries": queries}  # fmt: skip

    sheets = _sheets(cards, rooms, rng)

    def do_import():
        return sum(
            services.import_counts(actor=admin, stocktake=take, rows=imports.read_xlsx(sheet)) for sheet in sheets
        )

    seconds, queries, imported = _timed(do_import)
    yield {"name": "stocktake.import", "value": round(imported / seconds), "unit": "rows/s", "rows": imported,
           "seconds": round(seconds, 2), "queries": queries, "sheets": len(sheets)}  # fmt: skip

    analyze("stocktake_count")
    seconds, queries, result = _timed(lambda: selectors.reconcile(take))
    yield {"name": "stocktake.reconcile", "value": round(seconds, 2), "unit": "s", "queries": queries,
           **{k: v for k, v in result.tally().items() if v}}  # fmt: skip

    seconds, queries, tally = _timed(lambda: services.close_stocktake(actor=admin, stocktake=take))
    yield {"name": "stocktake.close", "value": round(seconds, 2), "unit": "s", "queries": queries,
           **{k: v for k, v in tally.items() if v}}  # fmt: skip
