"""A later exchange call writes its page's rows in Python (exchange_json.rows_writer, through orjson): byte for
byte what the encoder writes for the same rows as dicts — every type a dataset declares, nulls, masked personal
values, names that need escaping, integers beyond orjson's 64 bits."""

import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from datahub.catalog import exchange_json, rules

SHANGHAI = ZoneInfo("Asia/Shanghai")


def encoded(rows: list[dict]) -> str:
    return json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def written(fields, rows) -> str:
    return exchange_json.rows_writer(fields)(rows).decode()


COLUMNS = [
    (
        models.CharField(max_length=200),
        ["浙江省机关事务管理局", 'q"uote\\back\nline\ttab\x01ctl\x1f 😀 \u2028 \x7f', ""],
    ),
    (models.CharField(max_length=200, null=True), ["甲", None, "乙"]),
    (models.TextField(), ["多行\r\n文本", "x", "%s %% %(a)s"]),
    (models.IntegerField(), [0, -5, 2**53 + 1]),
    (models.PositiveSmallIntegerField(null=True), [None, 3, None]),
    (models.BooleanField(), [True, False, True]),
    (models.BooleanField(null=True), [None, True, False]),
    (models.DecimalField(max_digits=20, decimal_places=8), [Decimal("12.50"), Decimal("0.00000001"), None]),
    (models.DateField(), [date(2026, 12, 7), date(999, 1, 2), None]),
    (
        models.DateTimeField(),
        [
            datetime(2026, 12, 7, 8, 30, 15, 123456, tzinfo=SHANGHAI),
            datetime(2026, 1, 1, 7, 59, 59, 500, tzinfo=SHANGHAI),
            None,
        ],
    ),
    (models.FloatField(), [0.1, 1e300, -0.0]),
    (models.JSONField(), [{"a": [1, "中"]}, [], None]),
]


@pytest.mark.parametrize(
    ("field", "values"), COLUMNS, ids=lambda c: type(c).__name__ if isinstance(c, models.Field) else ""
)
def test_each_type_is_written_as_the_encoder_writes_it(field, values):
    rows = [(n, value) for n, value in enumerate(values)]
    assert written([("v", field, False)], [row[1:] for row in rows]) == encoded([{"v": v} for v in values])


def test_a_whole_page_of_mixed_items_is_the_encoders_list_of_dicts():
    fields = [(f"item{n}", field, False) for n, (field, _values) in enumerate(COLUMNS)]
    rows = list(zip(*(values for _field, values in COLUMNS), strict=True))
    assert written(fields, rows) == encoded([dict(zip((f[0] for f in fields), row, strict=True)) for row in rows])


@pytest.mark.parametrize("field", [models.CharField(max_length=50), models.IntegerField(null=True)])
def test_a_masked_personal_value_is_masked_as_the_full_path_masks_it(field):
    values = ["张三", "A", "欧阳娜娜", "", None] if isinstance(field, models.CharField) else [13805710000, None, 7]
    expected = encoded([{"姓名": rules.mask(v)} for v in values])
    assert written([("姓名", field, True)], [(v,) for v in values]) == expected


def test_item_names_that_need_escaping_and_pages_without_rows_or_items():
    fields = [('a"b', models.IntegerField(), False), ("百分%比", models.IntegerField(), False)]
    assert written(fields, [(1, 2)]) == encoded([{'a"b': 1, "百分%比": 2}])
    assert written(fields, []) == "[]"
    assert exchange_json.rows_writer([])([(), ()]) == b"[{},{}]"


def test_values_after_the_items_are_not_written():
    # The page's statement gives each row's key (and whether the grant holds) after the items.
    fields = [("名称", models.CharField(max_length=20), False), ("金额", models.DecimalField(), False)]
    rows = [("甲", Decimal("1.50"), 7, True), ("乙", None, 9, True)]
    assert written(fields, rows) == encoded([{"名称": "甲", "金额": Decimal("1.50")}, {"名称": "乙", "金额": None}])


def test_an_integer_beyond_64_bits_is_written_as_the_encoder_writes_it():
    fields = [("n", models.DecimalField(), False), ("m", models.IntegerField(), False), ("s", models.TextField(), True)]
    rows = [(Decimal("2"), 2**70, "张三"), (None, -(2**64), None)]
    expected = encoded([{"n": Decimal("2"), "m": 2**70, "s": "张*"}, {"n": None, "m": -(2**64), "s": ""}])
    assert written(fields, rows) == expected


@pytest.mark.parametrize(
    "values",
    [
        ["a,b", "c", 'd","e', '","', ","],  # strings only, commas and the quote-comma-quote inside them
        ["a,b", None, "c", None],  # commas beside nulls
        [None, "x,y"],
        ['","'],
        [None],
        [","],
        ["", "", ","],
    ],
)
def test_text_with_commas_is_cut_into_its_values_exactly(values):
    # Commas inside values, beside nulls, and the quote-comma-quote that only an escaped quote can hold.
    field = models.CharField(max_length=20, null=True)
    fields = [("a", field, False), ("b", models.IntegerField(null=True), False), ("c", field, False)]
    rows = [(value, n if n % 2 else None, value) for n, value in enumerate(values)]
    expected = encoded([{"a": value, "b": b, "c": value} for value, b, _c in rows])
    assert written(fields, rows) == expected


@pytest.mark.parametrize("extra", [(), (7, True), (2**40,)])
def test_the_size_of_a_page_is_counted_without_writing_it(extra):
    # The exchange sends the trail row with the body's size before it writes the body: the count must be exact.
    native = [(f"i{n}", field, False) for n, (field, values) in enumerate(COLUMNS[:7])]
    rows = [(*values, *extra) for values in zip(*(values for _field, values in COLUMNS[:7]), strict=True)]
    writer = exchange_json.rows_writer(native)
    tail = (len(extra), sum(len(json.dumps(value)) for value in extra))
    for page in (rows, rows[:1], []):
        assert writer.size(page) == len(writer(page))
        # The caller may say what follows the items (the exchange: the key and ``ok``), as JSON lengths.
        assert writer.size(page, (tail[0], tail[1] * len(page))) == len(writer(page))
    text = models.TextField(null=True)
    for fields, items in (
        ([('中"文', models.IntegerField(), False)], lambda n: (n,)),
        ([("v", text, False), ("w%", text, False)], lambda n: (f'{n},"\\x', None if n % 2 else "")),
    ):
        writer = exchange_json.rows_writer(fields)
        page = [(*items(n), *extra) for n in range(3)]
        assert writer.size(page) == len(writer(page))
    assert exchange_json.rows_writer([])([(*extra,), (*extra,)]) == b"[{},{}]"
    assert exchange_json.rows_writer([]).size([(*extra,), (*extra,)]) == len(b"[{},{}]")


def test_the_size_is_not_counted_where_orjson_does_not_write_as_the_encoder():
    decimal = exchange_json.rows_writer([("n", models.DecimalField(), False)])
    masked = exchange_json.rows_writer([("n", models.CharField(), True)])
    wide = exchange_json.rows_writer([("n", models.IntegerField(), False)])
    assert decimal.size([(Decimal("1"),)]) is None and masked.size([("张三",)]) is None
    assert wide.size([(2**70,)]) is None and wide.size([(2**63 - 1,)]) == len(wide([(2**63 - 1,)]))
