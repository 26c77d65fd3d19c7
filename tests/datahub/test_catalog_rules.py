"""The catalog's codes and share attributes (《政务信息资源目录编制指南(试行)》, 国发〔2016〕51号)."""

import pytest

from datahub.catalog import rules
from datahub.catalog.rules import ShareType


@pytest.mark.parametrize("code", ["3-01-001.0001", "1-99-123-7.1", "2-03-001-0042.123456"])
def test_code_with_class_item_category_subcategory_and_sequence_is_valid(code):
    assert rules.code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("", "代码格式"),
        ("301001.0001", "代码格式"),
        ("3-1-001.0001", "代码格式"),
        ("3-01-001", "代码格式"),
        ("3-01-001.0001x", "代码格式"),
        ("3-01-001-12345.1", "代码格式"),
        ("4-01-001.0001", "类“4”不存在"),
        ("3-00-001.0001", "全零"),
        ("3-01-000.0001", "全零"),
        ("3-01-001.0000", "顺序码不能为零"),
    ],
)
def test_malformed_catalog_code_is_refused_with_the_reason(code, says):
    assert says in rules.code_problem(code)


def test_not_shared_must_cite_its_legal_basis():
    assert "法律法规或政策依据" in rules.share_problem(ShareType.NOT_SHARED, "  ", "")
    assert rules.share_problem(ShareType.NOT_SHARED, "《保守国家秘密法》第二条", "") is None


def test_conditional_sharing_states_its_condition():
    assert "共享条件" in rules.share_problem(ShareType.CONDITIONAL, "", "")
    assert rules.share_problem(ShareType.UNCONDITIONAL, "", "") is None


def test_not_shared_and_unpublished_entries_cannot_be_requested():
    assert not rules.requestable(ShareType.NOT_SHARED, "published")
    assert not rules.requestable(ShareType.UNCONDITIONAL, "draft")
    assert rules.requestable(ShareType.CONDITIONAL, "published")


def test_personal_value_is_masked_to_its_first_character():
    assert rules.mask("张三丰") == "张**"
    assert rules.mask("李") == "李*"
    assert rules.mask(None) == ""
