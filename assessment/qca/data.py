"""Reading case data: a mapping of column → values, or a list of row dicts, plus case names.

Values may be ints, floats or numeric strings (as read from CSV); anything else is refused
with a message naming the column and the case. Only NumPy is used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import (
    DataError,
    MembershipRangeError,
    MissingValueError,
    NonNumericError,
    TooFewCasesError,
    TooManyConditionsError,
    gettext_noop,
)

#: The most conditions a truth table may have. 12 conditions give 4,096 truth-table rows;
#: minimization of 12 conditions with 200 cases takes well under a second (bench/bench_qca.py).
MAX_CONDITIONS = 12
#: The fewest cases an analysis accepts.
MIN_CASES = 2


@dataclass(frozen=True)
class Dataset:
    """Columns of raw values (as given) and the case names, one per row."""

    columns: Mapping[str, tuple]
    cases: tuple[str, ...]
    _numeric: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n(self) -> int:
        return len(self.cases)

    def column(self, name: str) -> np.ndarray:
        """The column as floats; refuses missing and non-numeric values with a clear message."""
        if name not in self.columns:
            known = "、".join(self.columns) or "（无）"
            raise DataError(gettext_noop("数据中没有名为“%(name)s”的列。现有的列：%(known)s。"), name=name, known=known)
        if name not in self._numeric:
            self._numeric[name] = _to_float(name, self.columns[name], self.cases)
        return self._numeric[name]

    def memberships(self, name: str) -> np.ndarray:
        """The column as set membership scores: every value must lie in [0, 1]."""
        values = self.column(name)
        bad = np.flatnonzero((values < 0) | (values > 1))
        if bad.size:
            i = int(bad[0])
            raise MembershipRangeError(
                gettext_noop(
                    "“%(name)s”列的值 %(value)s（第 %(number)s 个案例“%(case)s”）不在 0 到 1 之间。进行真值表、必要性和最小化分析之前，请先用校准（calibrate）把原始数据转换为 0 到 1 之间的隶属度。"
                ),
                name=name,
                value=_fmt(values[i]),
                number=i + 1,
                case=self.cases[i],
            )
        return values


def _fmt(value: float) -> str:
    return f"{value:g}"


_MISSING = gettext_noop(
    "“%(name)s”列第 %(number)s 个案例“%(case)s”缺少数值。QCA 分析不允许缺失值，请补齐数据或删除该案例。"
)
_NOT_A_NUMBER = gettext_noop(
    "“%(name)s”列第 %(number)s 个案例“%(case)s”的值“%(value)s”不是数字。请填写数字（例如 0.75）。"
)


def _to_float(name: str, values: Sequence, cases: Sequence[str]) -> np.ndarray:
    out = np.empty(len(values), dtype=float)
    for i, value in enumerate(values):
        where = {"name": name, "number": i + 1, "case": cases[i]}
        if value is None or (isinstance(value, str) and not value.strip()):
            raise MissingValueError(_MISSING, **where)
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                raise NonNumericError(_NOT_A_NUMBER, **where, value=value) from None
        elif isinstance(value, (int, float, np.integer, np.floating)):
            number = float(value)
        else:
            raise NonNumericError(_NOT_A_NUMBER, **where, value=f"{value!r}")
        if math.isnan(number):
            raise MissingValueError(_MISSING, **where)
        if math.isinf(number):
            raise NonNumericError(
                gettext_noop("“%(name)s”列第 %(number)s 个案例“%(case)s”的值是无穷大，不是有效的数字。"), **where
            )
        out[i] = number
    return out


def as_dataset(data, cases=None) -> Dataset:
    """Normalise the input of every analysis function.

    ``data`` is a :class:`Dataset`, a mapping ``{column: sequence of values}`` or a sequence
    of row mappings ``[{column: value, ...}, ...]``. ``cases`` is a sequence of case names
    (one per row), or the name of a column holding them; without it the cases are named
    ``"1"``, ``"2"``, … as R names rows.
    """
    if isinstance(data, Dataset):
        if cases is None:
            return data
        data = dict(data.columns)
    if isinstance(data, Mapping):
        columns = {str(k): tuple(_as_sequence(k, v)) for k, v in data.items()}
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            detail = "，".join(f"“{k}”{len(v)} 个" for k, v in columns.items())
            raise DataError(
                gettext_noop("各列的数值个数不一致（%(detail)s）。每一列都必须为每个案例提供一个数值。"), detail=detail
            )
        n = lengths.pop() if lengths else 0
    elif isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        rows = list(data)
        names: list[str] = []
        for i, row in enumerate(rows):
            if not isinstance(row, Mapping):
                raise DataError(gettext_noop("第 %(number)s 行不是“列名: 数值”形式的记录。"), number=i + 1)
            for key in row:
                if str(key) not in names:
                    names.append(str(key))
        columns = {name: tuple(_get(row, name) for row in rows) for name in names}
        n = len(rows)
    else:
        raise DataError("数据格式无法识别：请提供“列名 → 数值列表”的映射，或每个案例一条记录的列表。")
    if isinstance(cases, str):
        if cases not in columns:
            raise DataError(gettext_noop("数据中没有名为“%(cases)s”的案例名称列。"), cases=cases)
        names_col = columns.pop(cases)
        case_names = tuple("" if v is None else str(v) for v in names_col)
    elif cases is None:
        case_names = tuple(str(i + 1) for i in range(n))
    else:
        case_names = tuple(str(c) for c in cases)
        if len(case_names) != n:
            raise DataError(
                gettext_noop("案例名称有 %(count)s 个，但数据有 %(n)s 行，两者必须一一对应。"),
                count=len(case_names),
                n=n,
            )
    return Dataset(columns=columns, cases=case_names)


def _as_sequence(name, values):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise DataError(gettext_noop("“%(name)s”列应当是一组数值（每个案例一个）。"), name=name)
    return values.tolist() if isinstance(values, np.ndarray) else values


def _get(row: Mapping, name: str):
    if name in row:
        return row[name]
    for key, value in row.items():
        if str(key) == name:
            return value
    return None


def parse_outcome(outcome: str, negate: bool = False) -> tuple[str, bool]:
    """``"~Y"`` → ``("Y", True)``; ``negate`` flips the sign once more."""
    if not isinstance(outcome, str) or not outcome.strip():
        raise DataError("请指定结果变量（outcome）的列名。")
    name = outcome.strip()
    negated = False
    while name.startswith("~"):
        negated = not negated
        name = name[1:].strip()
    return name, negated != bool(negate)


def check_design(dataset: Dataset, outcome: str, conditions: Sequence[str]) -> tuple[str, ...]:
    """Validate the outcome and condition names, the number of cases and of conditions."""
    if isinstance(conditions, str):
        conditions = [c.strip() for c in conditions.split(",") if c.strip()]
    conditions = tuple(str(c) for c in conditions)
    if not conditions:
        raise DataError("请至少选择一个条件变量。")
    seen = set()
    for c in conditions:
        if c in seen:
            raise DataError(gettext_noop("条件“%(c)s”被重复选择。"), c=c)
        seen.add(c)
    if outcome in seen:
        raise DataError(gettext_noop("“%(outcome)s”不能同时作为结果变量和条件变量。"), outcome=outcome)
    if len(conditions) > MAX_CONDITIONS:
        raise TooManyConditionsError(
            gettext_noop(
                "选择了 %(count)s 个条件，超过了本系统允许的最多 %(MAX_CONDITIONS)s 个条件。条件过多时组态数量成倍增长（2 的条件数次方），请减少条件后再分析。"
            ),
            count=len(conditions),
            MAX_CONDITIONS=MAX_CONDITIONS,
        )
    if dataset.n < MIN_CASES:
        raise TooFewCasesError(
            gettext_noop("只有 %(n)s 个案例，QCA 分析至少需要 %(MIN_CASES)s 个案例。"), n=dataset.n, MIN_CASES=MIN_CASES
        )
    return conditions
