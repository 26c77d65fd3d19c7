import pytest
from django.core.exceptions import ValidationError

from datahub import idnumbers

# The first is the example code widely used to illustrate GB 32100; the second a 机关 (11) code.
VALID_USCC = ["91350100M000100Y43", "11330000002482226F"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_uscc_with_correct_check_character_is_accepted(code):
    idnumbers.validate_uscc(code)


def test_uscc_check_character_follows_gb32100_weights():
    assert idnumbers.uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", "18位"),
        ("91350100M000100Y44", "校验位错误"),
        ("91350100M0001O0Y43", "不允许的字符"),
        ("9135A100M000100Y43", "行政区划代码"),
        ("", "18位"),
    ],
)
def test_uscc_bad_values_are_rejected_with_the_reason(code, reason):
    with pytest.raises(ValidationError) as exc:
        idnumbers.validate_uscc(code)
    assert reason in exc.value.messages[0]


def test_uscc_error_names_the_expected_check_character():
    with pytest.raises(ValidationError) as exc:
        idnumbers.validate_uscc("91350100M000100Y44")
    assert "“3”" in exc.value.messages[0]


@pytest.mark.parametrize("code", ["330000", "330106", "110101"])
def test_region_code_six_digits_is_accepted(code):
    idnumbers.validate_region_code(code)


@pytest.mark.parametrize("code", ["33000", "3300001", "033000", "33O000", ""])
def test_region_code_not_six_digits_is_rejected(code):
    with pytest.raises(ValidationError, match="6位数字"):
        idnumbers.validate_region_code(code)


def test_id_number_with_correct_check_digit_is_accepted():
    # 11010519491231002X is the example printed in GB 11643-1999.
    idnumbers.validate_id_number("11010519491231002X")


@pytest.mark.parametrize(
    ("number", "reason"),
    [("110105194912310021", "校验位"), ("11010519491231002", "18位"), ("1101051949123100AX", "18位")],
)
def test_id_number_bad_values_are_rejected(number, reason):
    with pytest.raises(ValidationError) as exc:
        idnumbers.validate_id_number(number)
    assert reason in exc.value.messages[0]


def test_id_number_is_masked_to_the_last_four_characters():
    assert idnumbers.mask_id_number("11010519491231002X") == "**************002X"
    assert idnumbers.mask_id_number("") == ""


@pytest.mark.parametrize("phone", ["13805710001", "0571-87654321", "057187654321", "010-12345678-123"])
def test_phone_mobile_or_landline_is_accepted(phone):
    idnumbers.validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "23805710001", "0571-123"])
def test_phone_bad_value_is_rejected(phone):
    with pytest.raises(ValidationError, match="电话号码格式不正确"):
        idnumbers.validate_phone(phone)
