"""The fsQCA engine's refusals read in the reader's language (issue #19). The engine imports no Django: its
error keeps a code (the Chinese template) and its values, and ``str()`` stays the Chinese sentence for
whoever calls the engine directly; the assessment's boundary translates the code, so the same refusal is
Chinese for a zh-hans reader and English for an English one, with the figures as given."""

import pytest
from django.utils import translation

from assessment import qca
from assessment.analyses import qca_message

ZH, EN = "zh-hans", "en"


def refused(make) -> qca.QCAError:
    with pytest.raises(qca.QCAError) as caught:
        make()
    return caught.value


def test_the_engine_keeps_a_code_and_values_and_says_it_in_chinese():
    data = {"Y": [0.1, 0.9, 0.4], "A": [0.2, 0.8, 0.6]}
    error = refused(lambda: qca.truth_table(data, outcome="Y", conditions=["A", "A"]))
    assert (error.code, error.values) == ("条件“%(c)s”被重复选择。", {"c": "A"})
    assert str(error) == "条件“A”被重复选择。"
    with translation.override(ZH):
        assert qca_message(error) == "条件“A”被重复选择。"
    with translation.override(EN):
        assert qca_message(error) == "The condition \u201cA\u201d is chosen twice."


def test_a_missing_value_names_its_column_and_case_in_either_language():
    data = {"Y": [0.1, None, 0.4], "A": [0.2, 0.8, 0.6]}
    error = refused(lambda: qca.truth_table(data, outcome="Y", conditions=["A"], cases=["甲", "乙", "丙"]))
    with translation.override(ZH):
        assert qca_message(error).startswith("“Y”列第 2 个案例“乙”缺少数值。")
    with translation.override(EN):
        assert qca_message(error).startswith("Case 2 (\u201c乙\u201d) of column \u201cY\u201d has no value.")


def test_too_few_cases_are_refused_with_the_figures_in_either_language():
    error = refused(lambda: qca.truth_table({"Y": [0.9], "A": [0.8]}, outcome="Y", conditions=["A"]))
    with translation.override(ZH):
        zh = qca_message(error)
    with translation.override(EN):
        en = qca_message(error)
    assert zh == str(error) == f"只有 1 个案例，QCA 分析至少需要 {qca.MIN_CASES} 个案例。"
    assert en == f"There are only 1 cases; a QCA analysis needs at least {qca.MIN_CASES}."
