"""The catalog's regulations as data and pure predicates (《政务信息资源目录编制指南(试行)》, 国发〔2016〕51号,
《政务数据共享条例》 2025). No Django models here: plain values in, plain values out."""

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# 分类 类 (1 digit) - 项 (2) - 目 (3) [- 细目 (1–4)] . 顺序码 (1–6). The guide makes 细目 and the sequence
# variable-length, so the parts are separated: "5-01-002.0001" or "5-01-002-01.0001".
CODE_RE = re.compile(r"^(?P<lei>[1-9])-(?P<xiang>\d{2})-(?P<mu>\d{3})(?:-(?P<ximu>\d{1,4}))?\.(?P<seq>\d{1,6})$")
CODE_PATTERN = r"[1-9]-[0-9]{2}-[0-9]{3}(?:-[0-9]{1,4})?\.[0-9]{1,6}"

# 类: the guide's three catalog kinds by resource, numbered as the provinces do.
CATEGORY_LEI = {"1": "基础信息资源", "2": "主题信息资源", "3": "部门信息资源"}


class ShareType(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("无条件共享")
    CONDITIONAL = "conditional", _("有条件共享")
    NOT_SHARED = "not_shared", _("不予共享")


class Format(models.TextChoices):
    TABLE = "table", _("数据库表")
    API = "api", _("接口")
    FILE = "file", _("文件")


class OpenAttr(models.TextChoices):
    OPEN = "open", _("无条件开放")
    CONDITIONAL = "conditional", _("有条件开放")
    CLOSED = "closed", _("不予开放")


class UpdateCycle(models.TextChoices):
    REALTIME = "realtime", _("实时")
    DAILY = "daily", _("每日")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    YEARLY = "yearly", _("每年")
    IRREGULAR = "irregular", _("不定期")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class RowScope(models.TextChoices):
    OWN = "own", _("本单位及下级")
    UNIT = "unit", _("指定机构及下级")
    ALL = "all", _("全部")


DATA_TYPES = ("字符型", "数值型", "日期型", "日期时间型", "布尔型")

# Django internal field types → the guide's item data types.
_TYPE_OF = {
    "DateField": "日期型",
    "DateTimeField": "日期时间型",
    "BooleanField": "布尔型",
}
_NUMERIC = ("IntegerField", "DecimalField", "FloatField", "AutoField")

# A zombie entry: published, never requested and never called within this many days.
ZOMBIE_DAYS = 365

# Working days for each step (山西 2024 细则, REFERENCE §5.2): the compliance check, then the provider.
CHECK_WORKING_DAYS = 2
PROVIDER_WORKING_DAYS = 5


def code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid catalog code, or None when it is."""
    match = CODE_RE.match(code or "")
    if not match:
        return _(
            "代码格式应为“类-项-目[-细目].顺序码”，如 3-01-002.0001（类1位、项2位、目3位、细目1–4位、顺序码1–6位）。"
        )
    if match["lei"] not in CATEGORY_LEI:
        return _("类“%(lei)s”不存在：1 基础、2 主题、3 部门。") % {"lei": match["lei"]}
    if match["xiang"] == "00" or match["mu"] == "000":
        return _("项和目不能为全零。")
    if int(match["seq"]) == 0:
        return _("顺序码不能为零。")
    return None


def code_category(code: str) -> str:
    """The 类-项-目[-细目] part of a valid code."""
    return code.split(".", 1)[0]


def data_type_of(internal_type: str) -> str:
    if internal_type in _TYPE_OF:
        return _TYPE_OF[internal_type]
    if any(internal_type.endswith(n) for n in _NUMERIC):
        return "数值型"
    return "字符型"


def share_problem(share_type: str, legal_basis: str, condition: str) -> str | None:
    """以共享为原则、不共享为例外: 不予共享 cites its legal basis; 有条件共享 states its condition."""
    if share_type == ShareType.NOT_SHARED and not (legal_basis or "").strip():
        return _("不予共享的资源必须填写法律法规或政策依据。")
    if share_type == ShareType.CONDITIONAL and not (condition or "").strip():
        return _("有条件共享的资源必须填写共享条件。")
    return None


def requestable(share_type: str, status: str) -> bool:
    return share_type != ShareType.NOT_SHARED and status == EntryStatus.PUBLISHED


def grant_live(*, valid_from: date, valid_to: date, revoked: bool, today: date) -> bool:
    return not revoked and valid_from <= today <= valid_to


def zombie_cutoff(today: date) -> date:
    return today - timedelta(days=ZOMBIE_DAYS)


def mask(value) -> str:
    """A personal value shown without a grant for it: its first character only (a name, a number)."""
    if value in (None, ""):
        return ""
    text = str(value)
    return text[0] + "*" * max(len(text) - 1, 1)


def parse_items(text: str) -> list[dict]:
    """A steward's item list, one per line: ``标识|名称|数据类型[|个人信息]`` (e.g. ``plate|号牌号码|字符型``)."""
    rows, seen, problems = [], set(), []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) not in (3, 4) or not all(parts[:3]):
            problems.append(_("第%(number)s行应为“标识|名称|数据类型[|个人信息]”。") % {"number": number})
            continue
        name, label, data_type = parts[:3]
        if not name.isascii() or not name.replace("_", "").isalnum() or len(name) > 60:
            problems.append(
                _("第%(number)s行：标识“%(name)s”只能由字母、数字和下划线组成（不超过60个字符）。")
                % {"number": number, "name": name}
            )
        if data_type not in DATA_TYPES:
            problems.append(
                _("第%(number)s行：数据类型“%(data_type)s”无效，可选：%(names)s。")
                % {"number": number, "data_type": data_type, "names": _("、").join(DATA_TYPES)}
            )
        if name in seen:
            problems.append(_("第%(number)s行：标识“%(name)s”重复。") % {"number": number, "name": name})
        personal = len(parts) == 4 and parts[3] in ("是", "个人信息", "1", "true")
        if len(parts) == 4 and not personal and parts[3] not in ("否", "0", "false", ""):
            problems.append(_("第%(number)s行：个人信息一栏只能填“是”或“否”。") % {"number": number})
        seen.add(name)
        rows.append({"name": name, "label": label[:100], "data_type": data_type, "personal": personal})
    if problems:
        raise ValidationError({"items": problems})
    if not rows:
        raise ValidationError({"items": _("至少填写一个信息项。")})
    return rows
