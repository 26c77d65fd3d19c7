"""A CSV staged as it is read (PostgreSQL) holds exactly what the usual reader and ``stage`` would have put in
the temporary table — the same row numbers, cells, empty rows skipped — and is refused with the same sentences."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from datahub import sheets, staging
from energy.models import CoefficientVersion
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="staging is PostgreSQL's (COPY)"),
]

COLUMNS = ("编码", "名称", "数量", "备注")
CELLS = {"code": "编码", "name": "名称", "qty": "数量", "note": "备注"}
TOO_MANY = "一次最多导入{max_rows}行，请分批导入。"

# Quoted commas and line breaks, a tab, a backslash, ideographic and no-break spaces around cells, a blank row,
# a row of empty cells, a short row, a long row, the columns in another order and one optional column missing.
TRICKY = (
    "名称,编码,数量,多余\r\n"
    '"甲, 乙",A1,1,x\r\n'
    "\r\n"
    ",,,\r\n"
    '"两行\n文字",A2,\u30002\u3000,\r\n'
    "有\t制表符,A\\3,\xa03,y,z,w\r\n"
    "短行\r\n"
    ",,,只有多余列\r\n"
)


def csv_file(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def table(name: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, code, name, qty, note FROM {name} ORDER BY number")
        return cursor.fetchall()


def read_both(text: str, encoding: str = "utf-8", **kw):
    args = {"columns": COLUMNS, "required": ("编码", "名称"), "max_rows": 100, "too_many": TOO_MANY, **kw}
    rows = sheets.read_table(csv_file(text, encoding), "x.csv", **args)
    staging.stage("usual", list(CELLS), rows, list(CELLS.values()))
    staged = staging.read_csv(csv_file(text, encoding), "direct", CELLS, **args)
    return rows, staged


def test_an_importers_plain_test_is_staged_beside_the_cells_it_was_given():
    """Both readers stage whether each row's staged (stripped) cells match the pattern; a row with a cell COPY
    must escape (a tab, a line break, a backslash) never does (with a tab the pattern would see its cells shifted;
    the others are left out with it, which costs only time)."""
    digits = re.compile(r"[^\t]*\t[^\t]*\t[0-9]+\t[^\t]*")
    args = {"columns": COLUMNS, "required": ("编码", "名称"), "max_rows": 100, "too_many": TOO_MANY}
    staging.stage("usual", list(CELLS), sheets.read_table(csv_file(TRICKY), "x.csv", **args), list(CELLS.values()),
                  plain=digits)  # fmt: skip
    staging.read_csv(csv_file(TRICKY), "direct", CELLS, **args, plain=digits)
    for name in ("usual", "direct"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, qty, plain FROM {name} ORDER BY number")
            assert cursor.fetchall() == [
                (2, "1", True),
                (5, "2", False),
                (6, "3", False),
                (7, "", False),
                (8, "", False),
            ]


def test_the_staged_table_is_what_the_usual_reader_and_stage_give():
    rows, staged = read_both(TRICKY)
    assert table("direct") == table("usual")
    assert [n for n, *_ in table("direct")] == [2, 5, 6, 7, 8]  # the blank row and the empty cells skipped
    assert table("direct")[1] == (5, "A2", "两行\n文字", "2", "")
    assert len(staged) == len(rows) == 5


def test_the_rows_read_again_from_the_text_are_the_usual_reader_s():
    rows, staged = read_both(TRICKY)
    assert list(staged) == rows
    assert dict(staged)[6] == dict(rows)[6]
    assert staged.distinct("编码") == {"A1", "A2", "A\\3", ""} == staging.distinct(rows, "编码")


def test_a_gbk_file_from_a_chinese_excel_reads_alike():
    _, staged = read_both("编码,名称\r\nA1,办公楼\r\n", encoding="gbk")
    assert table("direct") == table("usual") == [(2, "A1", "办公楼", "", "")]
    assert len(staged) == 1


def test_missing_columns_and_too_many_rows_are_refused_with_the_same_sentences():
    for text, kw in [("名称,数量\r\n甲,1\r\n", {}), ("编码,名称\r\na,1\r\nb,2\r\nc,3\r\n", {"max_rows": 2})]:
        with pytest.raises(ValidationError) as usual:
            read_both(text, **kw)
        with pytest.raises(ValidationError) as staged:
            staging.read_csv(
                csv_file(text), "direct", CELLS, columns=COLUMNS, required=("编码", "名称"),
                too_many=TOO_MANY, **{"max_rows": 100, **kw},
            )  # fmt: skip
        assert staged.value.messages == usual.value.messages
    assert usual.value.messages == ["一次最多导入2行，请分批导入。"]


def test_the_staged_table_is_dropped_by_close():
    _, staged = read_both("编码,名称\r\nA1,甲\r\n")
    staged.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'direct'")
        assert cursor.fetchone()[0] == 0


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def test_planner_settings_hold_inside_and_are_put_back_after_even_when_the_statement_fails():
    before = _setting("work_mem"), _setting("enable_nestloop")
    with staging.settings(work_mem="64MB", enable_nestloop="off"):
        assert (_setting("work_mem"), _setting("enable_nestloop")) == ("64MB", "off")
    assert (_setting("work_mem"), _setting("enable_nestloop")) == before
    with pytest.raises(ZeroDivisionError), staging.settings(work_mem="32MB"):
        assert _setting("work_mem") == "32MB"
        raise ZeroDivisionError
    assert _setting("work_mem") == before[0]


PLAIN_ROWS = re.compile(r"[^\t]*\t[^\t]*\t[0-9]+\t[^\t]*")
PLAIN_FILE = "编码,名称,数量,备注\r\nA1,甲 乙,1,x\r\nA2,乙,22,\r\nA3,丙,3,z\r\n"


def _staged_by_one_copy(name: str) -> bool:
    # Only the one-COPY path numbers the rows by an identity column (the loop sends each row's number).
    with connection.cursor() as cursor:
        cursor.execute("SELECT attidentity FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'number'",
                       [name])  # fmt: skip
        return cursor.fetchone()[0] == "d"


def _read_plain_both(text: str):
    args = {"columns": COLUMNS, "required": ("编码", "名称"), "max_rows": 100, "too_many": TOO_MANY}
    rows = sheets.read_table(csv_file(text), "x.csv", **args)
    staging.stage("usual", list(CELLS), rows, list(CELLS.values()), plain=PLAIN_ROWS)
    staged = staging.read_csv(csv_file(text), "direct", CELLS, **args, plain=PLAIN_ROWS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT number, code, name, qty, note, plain FROM direct ORDER BY number")
        direct = cursor.fetchall()
        cursor.execute("SELECT number, code, name, qty, note, plain FROM usual ORDER BY number")
        assert direct == cursor.fetchall()
    assert list(staged) == rows
    return direct


def test_a_plain_file_in_the_templates_columns_is_staged_by_one_copy_as_the_loop_stages_it():
    for text in (PLAIN_FILE, PLAIN_FILE.replace("\r\n", "\n"), PLAIN_FILE.removesuffix("\r\n")):
        assert _read_plain_both(text) == [
            (2, "A1", "甲 乙", "1", "x", True),
            (3, "A2", "乙", "22", "", True),
            (4, "A3", "丙", "3", "z", True),
        ]
        assert _staged_by_one_copy("direct")


@pytest.mark.parametrize(
    "text",
    [
        PLAIN_FILE.replace("A2,乙", "A2, 乙"),  # a space to strip
        PLAIN_FILE.replace("z\r\n", "z\u3000\r\n"),  # an ideographic space to strip at a line's end
        PLAIN_FILE.replace("x\r\n", "x\r\n\r\n"),  # a blank row, skipped but counted
        PLAIN_FILE.replace("x\r\n", "x\r\n,,,\r\n"),  # a row of empty cells
        PLAIN_FILE.replace("A2,乙,22,\r\n", "A2,乙,22\r\n"),  # a short row
        PLAIN_FILE.replace("A2,乙", '"A2",乙'),  # quoted
        PLAIN_FILE.replace("丙", "丙\\"),  # a backslash
        PLAIN_FILE.replace("丙", "丙\t"),  # a tab inside a cell
        PLAIN_FILE.replace("22", "2.2"),  # a row the importer's test does not call plain
        "名称,编码,数量,备注\r\n甲,A1,1,x\r\n",  # the columns in another order
        "编码,名称,数量\r\nA1,甲,1\r\n",  # an optional column left out
    ],
)
def test_any_other_file_goes_through_the_loop_and_is_staged_alike(text):
    _read_plain_both(text)
    assert not _staged_by_one_copy("direct")


def test_too_many_rows_in_a_plain_file_are_refused_as_ever():
    with pytest.raises(ValidationError) as refused:
        staging.read_csv(csv_file(PLAIN_FILE), "direct", CELLS, columns=COLUMNS, required=("编码", "名称"),
                         max_rows=2, too_many=TOO_MANY, plain=PLAIN_ROWS)  # fmt: skip
    assert refused.value.messages == ["一次最多导入2行，请分批导入。"]


def _role() -> str:
    return _setting("session_replication_role")


@pytest.fixture
def keys(db):
    """A record's keys: its institution and coefficient version (the history row's user: the importer)."""
    version = CoefficientVersion.objects.create(name="键的测试", standard="GB/T 2589-2020", year=2020)
    return OrgUnitFactory(), version, UserFactory()


def _insert_record(unit_id: int, version_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO energy_consumptionrecord (org_unit_id, year, month, energy_type, quantity, unit, collection, "
            "source, base_quantity, kgce, kgco2, coefficient_version_id, updated_at) "
            "VALUES (%s, 2030, 1, 'water', 1, 'm³', 'metered_paid', 'import', 1, 1, 1, %s, now())",
            [unit_id, version_id],
        )


def test_keys_proven_once_per_referenced_row_leave_no_check_to_the_commit(keys):
    """Every key of the tables named, every referenced row there: the rows' own checks are not queued (setting the
    constraints immediate fires none), and the setting is back as it was afterwards."""
    unit, version, _ = keys
    table = {"energy_consumptionrecord": {"org_unit_id": [unit.pk], "coefficient_version_id": [version.pk]}}
    with transaction.atomic(), staging.keys_proven(table) as proven:
        assert proven and _role() == "replica"
        _insert_record(unit.pk, version.pk)
    assert _role() == "origin"


@pytest.mark.parametrize("case", ["a key left out", "a referenced row gone"])
def test_keys_not_all_proven_are_checked_row_by_row(keys, case):
    unit, version, _ = keys
    named = {"org_unit_id": [unit.pk], "coefficient_version_id": [version.pk]}
    if case == "a key left out":
        del named["coefficient_version_id"]
    elif case == "a referenced row gone":
        named["org_unit_id"] = [unit.pk, 10**12]
    with transaction.atomic(), staging.keys_proven({"energy_consumptionrecord": named}) as proven:
        assert not proven and _role() == "origin"


def test_a_table_with_a_trigger_of_its_own_keeps_every_check(keys):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE FUNCTION pg_temp.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; "
                "CREATE TRIGGER audit AFTER INSERT ON energy_historicalconsumptionrecord "
                "FOR EACH ROW EXECUTE FUNCTION pg_temp.noop()"
            )
        named = {"energy_historicalconsumptionrecord": {"history_user_id": [keys[2].pk]}}
        with staging.keys_proven(named) as proven:
            assert not proven
