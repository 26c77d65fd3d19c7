"""Bad input is refused with ValueError subclasses and messages in Chinese that say where."""

import pytest

from assessment.qca import (
    MAX_CONDITIONS,
    DataError,
    MembershipRangeError,
    MissingValueError,
    NonNumericError,
    ParameterError,
    QCAError,
    TooFewCasesError,
    TooManyConditionsError,
    as_dataset,
    minimize,
    necessity,
    truth_table,
)

GOOD = {"A": [0.9, 0.2, 0.7], "B": [0.1, 0.8, 0.6], "Y": [0.8, 0.3, 0.7]}
NAMES = ["浙江", "江苏", "安徽"]


def with_value(column, index, value):
    data = {k: list(v) for k, v in GOOD.items()}
    data[column][index] = value
    return data


@pytest.mark.parametrize("missing", [None, float("nan"), "", "  "])
def test_missing_values(missing):
    with pytest.raises(MissingValueError, match="“B”列第 2 个案例“江苏”缺少数值") as err:
        truth_table(with_value("B", 1, missing), "Y", ["A", "B"], cases=NAMES)
    assert isinstance(err.value, ValueError)
    with pytest.raises(MissingValueError, match="“Y”列"):
        necessity(with_value("Y", 0, missing), "Y", ["A", "B"])


def test_non_numeric_values():
    with pytest.raises(NonNumericError, match="“A”列第 3 个案例“安徽”的值“较高”不是数字"):
        truth_table(with_value("A", 2, "较高"), "Y", ["A", "B"], cases=NAMES)
    with pytest.raises(NonNumericError):
        truth_table(with_value("A", 2, [0.5]), "Y", ["A", "B"])
    # numeric strings (as read from CSV) are fine
    tt = truth_table(with_value("A", 2, "0.7"), "Y", ["A", "B"])
    assert tt.data[2, 0] == 0.7


def test_uncalibrated_values():
    with pytest.raises(MembershipRangeError, match="“A”列的值 35（第 1 个案例“浙江”）不在 0 到 1 之间") as err:
        truth_table(with_value("A", 0, 35), "Y", ["A", "B"], cases=NAMES)
    assert "校准" in str(err.value)
    with pytest.raises(MembershipRangeError):
        necessity(with_value("Y", 0, -0.1), "Y", ["A", "B"])


def test_fewer_than_two_cases():
    one = {k: v[:1] for k, v in GOOD.items()}
    with pytest.raises(TooFewCasesError, match="只有 1 个案例"):
        truth_table(one, "Y", ["A", "B"])
    with pytest.raises(TooFewCasesError, match="只有 0 个案例"):
        necessity({"A": [], "Y": []}, "Y", ["A"])


def test_more_conditions_than_allowed():
    k = MAX_CONDITIONS + 1
    assert MAX_CONDITIONS >= 12
    data = {f"C{i}": [0.2, 0.8] for i in range(k)} | {"Y": [0.1, 0.9]}
    with pytest.raises(
        TooManyConditionsError, match=f"选择了 {k} 个条件，超过了本系统允许的最多 {MAX_CONDITIONS} 个条件"
    ):
        truth_table(data, "Y", [f"C{i}" for i in range(k)])
    with pytest.raises(TooManyConditionsError):
        necessity(data, "Y", [f"C{i}" for i in range(k)])


def test_design_errors():
    with pytest.raises(DataError, match="没有名为“C”的列。现有的列：A、B、Y"):
        truth_table(GOOD, "Y", ["A", "C"])
    with pytest.raises(DataError, match="不能同时作为结果变量和条件变量"):
        truth_table(GOOD, "Y", ["A", "Y"])
    with pytest.raises(DataError, match="重复选择"):
        truth_table(GOOD, "Y", ["A", "A"])
    with pytest.raises(DataError, match="至少选择一个条件"):
        truth_table(GOOD, "Y", [])
    with pytest.raises(DataError, match="结果变量"):
        truth_table(GOOD, "", ["A"])
    with pytest.raises(DataError, match="数值个数不一致"):
        truth_table({"A": [0.1, 0.2], "Y": [0.3]}, "Y", ["A"])
    with pytest.raises(DataError, match="案例名称有 2 个，但数据有 3 行"):
        truth_table(GOOD, "Y", ["A"], cases=["x", "y"])
    with pytest.raises(DataError, match="无法识别"):
        truth_table("A,B,Y", "Y", ["A"])
    with pytest.raises(DataError):
        minimize(GOOD)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"incl_cut": 1.2}, "一致性阈值"),
        ({"pri_cut": -0.1}, "PRI 阈值"),
        ({"n_cut": 0}, "n_cut"),
        ({"n_cut": 1.5}, "n_cut"),
        ({"incl_cut": "高"}, "必须是数字"),
    ],
)
def test_bad_cut_offs(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        truth_table(GOOD, "Y", ["A", "B"], **kwargs)


def test_no_configuration_left():
    with pytest.raises(QCAError, match="n_cut"):
        truth_table(GOOD, "Y", ["A", "B"], n_cut=5)


def test_input_forms_agree():
    rows = [{"name": n, "A": a, "B": b, "Y": y} for n, a, b, y in zip(NAMES, *GOOD.values(), strict=True)]
    by_rows = truth_table(rows, "Y", ["A", "B"], cases="name")
    by_columns = truth_table(GOOD, "Y", ["A", "B"], cases=NAMES)
    assert [r.to_dict() for r in by_rows.rows] == [r.to_dict() for r in by_columns.rows]
    assert by_rows.cases == tuple(NAMES)
    assert truth_table(GOOD, "Y", "A, B").conditions == ("A", "B")
    assert as_dataset(GOOD).cases == ("1", "2", "3")  # R's default row names
    with pytest.raises(DataError, match="第 2 行不是"):
        as_dataset([{"A": 1}, 3])
