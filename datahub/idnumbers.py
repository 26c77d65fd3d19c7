"""Validation and masking of the identifiers the directory keeps.

Each validator raises django.core.exceptions.ValidationError with a message a civil
servant understands; the rule tables live in datahub.rules.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import rules
from .keyed import listed


def uscc_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015)."""
    total = sum(rules.USCC_ALPHABET.index(c) * w for c, w in zip(first17, rules.USCC_WEIGHTS, strict=True))
    return rules.USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。"), code="uscc_length", params={"n": len(code)}
        )
    bad = sorted({c for c in code if c not in rules.USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）。"),
            code="uscc_chars",
            params={"chars": listed(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3–8位应为行政区划代码（6位数字）。"), code="uscc_region")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：按 GB 32100 计算应为“%(expected)s”。"),
            code="uscc_check",
            params={"expected": expected},
        )


def validate_region_code(value: str) -> None:
    if not re.match(rules.REGION_CODE_PATTERN, value or ""):
        raise ValidationError(_("行政区划代码应为6位数字，且不以0开头（例如 330000）。"), code="region_code")


def id_number_check_char(first17: str) -> str:
    """The 18th character of a citizen identity number (GB 11643-1999)."""
    total = sum(int(c) * w for c, w in zip(first17, rules.ID_WEIGHTS, strict=True))
    return rules.ID_CHECK[total % 11]


def validate_id_number(value: str) -> None:
    number = (value or "").strip().upper()
    if not re.match(r"^\d{17}[\dX]$", number):
        raise ValidationError(_("身份证号应为18位：前17位为数字，最后一位为数字或X。"), code="id_format")
    if number[17] != id_number_check_char(number[:17]):
        raise ValidationError(_("身份证号校验位不正确，请核对后重新输入。"), code="id_check")


def validate_phone(value: str) -> None:
    if not re.match(rules.PHONE_PATTERN, value or ""):
        raise ValidationError(
            _("电话号码格式不正确：请填写11位手机号或带区号的座机号（如 0571-87654321）。"), code="phone"
        )


def mask_id_number(value: str) -> str:
    """Only the last four characters are shown to people without the explicit permission."""
    if not value:
        return ""
    return "*" * (len(value) - 4) + value[-4:]


def mask_phone(value: str) -> str:
    """A mobile keeps its first three and last four digits (138****0001); a landline only its last four."""
    if not value:
        return ""
    digits = value.replace("-", "")
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    return "*" * (len(value) - 4) + value[-4:]
