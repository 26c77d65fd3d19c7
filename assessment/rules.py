"""The assessment method as plain data and pure functions (no database).

Everything an administrator may want to tune is here, in one place:

* ``DEFAULT_FRAMEWORK`` — the default TOE indicator framework, seeded once (migration 0002) as
  version 1 of framework ``TOE``. It is the six conditions of the provincial study
  (数字政府发展水平, 数字平台构建 — technology; 注意力分配, 财政资源禀赋 — organisation;
  纵向垂直压力, 府际竞争压力 — environment) plus its outcome (机关事务数字化转型质量), which is
  recorded for QCA but is not part of the composite index (dimension ``Y``, weight 0).
  Weights sum to 1 over T/O/E. A new framework version is a new row set (edit it in the admin);
  this table is never changed in place once rounds use it.
* ``LEVELS`` — five maturity levels by the lowest composite index (0–100) that reaches them.
  A deployment may override them with ``settings.ASSESSMENT_LEVELS`` (same shape).
* ``RECOMMENDATIONS`` — the study's recommendation for a unit whose weakest dimension is T, O or E.
* ``PATH_RULES`` — the study's three configurational paths and how a solution term is matched to
  one of them: by its *core* present conditions (``name_paths``); terms sharing a core are one path.

Scoring (see ``composite``):

1. each indicator is normalised min–max **within the round**: ``(x − min) / (max − min)`` for a
   positive indicator, ``(max − x) / (max − min)`` for a negative one; when every case has the same
   value (max = min) every case gets 0.5 — no difference was observed, so nobody is rewarded or
   punished for it;
2. a dimension's score is ``100 × Σ wᵢ·nᵢ / Σ wᵢ`` over its indicators;
3. the composite index is ``100 × Σ wᵢ·nᵢ / Σ wᵢ`` over all weighted indicators (T, O and E);
4. the level is the highest level whose threshold the index reaches;
5. the strongest / weakest dimension is the one with the highest / lowest score (ties: T before O before E).
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Dimension(models.TextChoices):
    TECHNOLOGY = "T", gettext_lazy("技术（T）")
    ORGANISATION = "O", gettext_lazy("组织（O）")
    ENVIRONMENT = "E", gettext_lazy("环境（E）")
    OUTCOME = "Y", gettext_lazy("结果变量（不计入指数）")


SCORED_DIMENSIONS = ("T", "O", "E")
DIMENSION_NAMES = {"T": "技术", "O": "组织", "E": "环境", "Y": "结果"}


class Direction(models.IntegerChoices):
    POSITIVE = 1, gettext_lazy("正向（越大越好）")
    NEGATIVE = -1, gettext_lazy("负向（越小越好）")


class Measurement(models.TextChoices):
    ENTERED = "entered", gettext_lazy("单位填报（附佐证材料）")
    COMPUTED = "computed", gettext_lazy("平台数据自动计算")


class Source(models.TextChoices):
    """How a computed indicator is derived from the platform's own data."""

    NONE = "", "—"
    PORTAL_ONLINE = "portal_online", gettext_lazy("服务门户网上申请并网上办结的比例（%）")
    ADJACENT_MEAN = "adjacent_mean", gettext_lazy("相邻省份同一指标的平均值")
    PORTAL_ON_TIME = "portal_on_time", gettext_lazy("服务门户已办结申请中在办结时限内办结的比例（%）")
    PORTAL_SATISFACTION = "portal_satisfaction", gettext_lazy("服务门户已评价申请的平均满意度（1–5 分）")
    PORTAL_DOMAINS = "portal_domains", gettext_lazy("已通过服务门户办理业务的领域占平台全部业务领域的比例（%）")
    SHARING_ENTRIES = "sharing_entries", gettext_lazy("数据共享：本单位（含下级）提供的已发布数据目录条目数")
    SHARING_GRANTS = (
        "sharing_grants",
        gettext_lazy("数据共享：本单位（含下级）给出与获得的共享授权数（评估年度内有效）"),
    )
    SHARING_CALLS = "sharing_calls", gettext_lazy("数据共享：本单位（含下级）评估年度内成功的数据交换调用次数")
    PLATFORM_BUSINESS = "platform_business", gettext_lazy("数字平台构建：本单位业务在平台上办理的比例（%）")
    PLATFORM_DOMAINS = "platform_domains", gettext_lazy("数字平台构建：在平台上办理过业务的领域数")
    ONE_SOURCE = "one_source", gettext_lazy("一数一源：本单位跨应用事实取自来源（而非重复录入）的比例（%）")


#: How each computed indicator is derived — shown on the case page next to the value, with a link
#: to the rows counted (``selectors.indicator_rows``). Units: the case's unit and every unit below it.
SOURCE_FORMULAS = {
    Source.PORTAL_ONLINE: "已办结的服务门户申请数 ÷ 已提交（草稿除外）的申请数 × 100",
    Source.PORTAL_DOMAINS: "已提交过申请的业务领域数 ÷ 平台全部业务领域数 × 100",
    Source.PORTAL_ON_TIME: "办结时间不晚于办结时限（无时限的视为按时）的已办结申请数 ÷ 已办结申请数 × 100",
    Source.PORTAL_SATISFACTION: "已办结申请满意度评分之和 ÷ 已评价的申请数",
    Source.ADJACENT_MEAN: "相邻省份（本轮案例中）转型质量（结果变量）之和 ÷ 相邻省份数（邻接法）",
    Source.SHARING_ENTRIES: "提供方为本单位或其下级、状态为“已发布”的数据目录条目数",
    Source.SHARING_GRANTS: (
        "评估年度内有效（有效期与该年相交、未在该年之前撤销）的共享授权数："
        "本单位提供的条目被授权给其他单位的 + 本单位作为使用单位获得的"
    ),
    Source.SHARING_CALLS: "评估年度内调用方单位为本单位或其下级、状态码小于400的数据交换调用次数",
    Source.PLATFORM_BUSINESS: (
        "（网上提交的申请数 + 网上报送的能耗报告数 + 调度台派车的用车数 + 附审批申请的资产变动数）"
        " ÷ （提交的申请数 + 应报送的能耗报告数 + 已批准的用车数 + 领用/调拨/出租出借/处置变动数）× 100"
        "（评估年度内，本单位及其下级；各部分口径见下表）"
    ),
    Source.PLATFORM_DOMAINS: "评估年度内本单位（含下级）在平台上办理过至少一项业务的业务领域数（申请按其事项所属领域）",
    Source.ONE_SOURCE: "各登记事实中取自来源（链接、自动汇总）的记录数 ÷ 该单位这些事实的全部记录数 × 100（各事实口径见下表）",
}


# --- 数字平台构建 and 一数一源 from the platform's own data (internal rounds) ----------------------
#
# Each is a list of *parts*: what a part counts (the denominator: the unit's business of that kind, or
# its records of that fact) and which of those count for the indicator (the numerator). A part is
# read through its domain's selectors (``assessment.platform_use``) over the round's year and the
# unit's subtree. How the parts combine — chosen, and why:
#
# * **pooled**: Σ numerators ÷ Σ denominators × 100. Every business item (a request, a report due, a
#   trip, a card movement) weighs the same, so a unit is measured on what it actually does: one trip
#   dispatched by phone in a year of a hundred reports weighs 1/101, not a quarter of the score as a
#   mean of the parts' shares would make it. A part with no business is simply absent (nothing to
#   handle is neither online nor offline); a unit with no business at all has no value (``None``).
# * 服务门户申请 (requests of every kind) can only be filed online, so they count on both sides: they
#   raise the share of a unit that does its business through the platform, and the parts below are
#   where the business done elsewhere shows. The energy report's request kind is left out there (the
#   report is counted once, by the energy part); a trip's request and its dispatch are two steps (asking
#   for a car, serving it) and count once each, as do an asset request and the card's movement.
# * The domains in use (``PLATFORM_DOMAINS``) is a separate count: breadth, not depth.


@dataclass(frozen=True)
class Part:
    code: str
    name: str
    domain: str  #: the business domain as the portal registers it ("" = the request's own kind)
    counted: str  #: what the denominator counts
    kept: str  #: which of those the numerator counts


PLATFORM_PARTS: tuple[Part, ...] = (
    Part(
        "requests",
        "服务门户申请",
        "",
        "评估年度内提交（草稿除外）的各类申请，能耗报送除外",
        "全部（申请只能在平台上提交）",
    ),
    Part(
        "energy_reports",
        "能耗数据报送",
        "公共机构节能",
        "评估年度内已结束的各报送期（季报、年报）× 各公共机构，即应报送的报告",
        "通过平台报送（未撤回）的",
    ),
    Part("dispatches", "公务用车派车", "公务用车", "评估年度内开始、已批准的用车申请", "由调度台派车（未取消）的"),
    Part(
        "asset_movements",
        "资产变动",
        "资产管理",
        "评估年度内本单位调出或调入的领用、调拨、出租出借、处置变动",
        "附有审批申请（经平台服务办理）的",
    ),
)

ONE_SOURCE_PARTS: tuple[Part, ...] = (
    Part(
        "energy_base",
        "公共机构基本信息（机构类型、气候区、电网区域、建筑面积、用能人数）",
        "公共机构节能",
        "评估年度有基本信息的各公共机构 × 5 项（事实登记：机构类型、行政区划代码、楼宇面积、在编实有人数）",
        "未登记更正、取自组织机构、行政区划代码和办公用房的",
    ),
    Part(
        "fuel",
        "车辆燃料消耗（能耗月报汽油、柴油）",
        "公共机构节能",
        "评估年度能耗月报中汽油、柴油记录",
        "由公务用车加油记录自动汇总的",
    ),
    Part("vehicle_card", "车辆购置价格与日期", "公务用车", "车辆台账中的车辆", "关联资产卡片（价格、日期取自卡片）的"),
    Part(
        "vehicle_disposal",
        "车辆处置的批准",
        "公务用车",
        "评估年度内的车辆处置记录",
        "关联已批准的资产处置申请的（而非只录入批准文号）",
    ),
)


def pooled_share(parts: dict[str, tuple[int, int]]) -> float | None:
    """Σ kept ÷ Σ counted × 100 over the parts (``{code: (kept, counted)}``); ``None`` when nothing is counted."""
    counted = sum(c for _, c in parts.values())
    return None if counted == 0 else 100 * sum(k for k, _ in parts.values()) / counted


INDEX = "INDEX"  # the composite index as an analysis variable

# (code, name, dimension, definition, unit, direction, weight, measurement, source, min, max)
DEFAULT_FRAMEWORK_CODE = "TOE"
T2_DEFINITION = (
    "机关事务业务在平台上的办理程度：申请、能耗报送、用车派车、资产变动中经平台办理的比例（合并计数，见计算公式）"
)
DEFAULT_FRAMEWORK_NAME = "机关事务数字化转型成熟度（TOE框架）"
DEFAULT_FRAMEWORK = (
    (
        "T1",
        "数字政府发展水平",
        "T",
        "数字政府发展指数（省级政府一体化政务服务能力、在线服务成效度等综合评价，0–100）",
        "分",
        1,
        "0.20",
        "entered",
        "",
        "0",
        "100",
    ),
    (
        "T2",
        "数字平台构建",
        "T",
        T2_DEFINITION,
        "%",
        1,
        "0.20",
        "computed",
        "platform_business",
        "0",
        "100",
    ),
    (
        "O1",
        "注意力分配",
        "O",
        "政府工作报告等文件中与数字化、信息化相关词汇的词频（每万字）",
        "次/万字",
        1,
        "0.15",
        "entered",
        "",
        "0",
        "1000",
    ),
    (
        "O2",
        "财政资源禀赋",
        "O",
        "一般公共预算支出中科学技术与信息化相关支出的占比",
        "%",
        1,
        "0.15",
        "entered",
        "",
        "0",
        "100",
    ),
    (
        "E1",
        "纵向垂直压力",
        "E",
        "上级政府出台的机关事务数字化相关政策文件数量（当年）",
        "件",
        1,
        "0.15",
        "entered",
        "",
        "0",
        "1000",
    ),
    (
        "E2",
        "府际竞争压力",
        "E",
        "相邻省份机关事务数字化转型质量（结果变量 Y）的平均值（邻接法）",
        "分",
        1,
        "0.15",
        "computed",
        "adjacent_mean",
        "0",
        "100",
    ),
    (
        "Y",
        "机关事务数字化转型质量",
        "Y",
        "机关事务数字化转型质量综合评价（QCA 的结果变量，不计入成熟度指数）",
        "分",
        1,
        "0",
        "entered",
        "",
        "0",
        "100",
    ),
)

# The indicator the adjacent-mean indicator averages over the neighbouring regions: the study's
# adjacency method takes the neighbours' transformation index, i.e. the outcome Y (REFERENCE §6.1),
# not one of the conditions.
ADJACENT_BASIS = {"E2": "Y"}


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    threshold: float  # lowest composite index of the level


LEVELS: tuple[Level, ...] = (
    Level(1, "起步级", 0),
    Level(2, "发展级", 40),
    Level(3, "集成级", 55),
    Level(4, "优化级", 70),
    Level(5, "引领级", 85),
)

RECOMMENDATIONS = {
    "T": (
        "技术条件是短板：夯实数字政府基础，建设统一的机关事务数字化平台，推动用车、用房、资产、"
        "节能等业务全程网办、数据一次采集多方共享（技术驱动型路径）。"
    ),
    "O": (
        "组织条件是短板：提高领导对机关事务数字化的注意力分配，将其纳入重点工作和考核议程，"
        "加大财政与人才投入，建立专门的统筹协调机制（技术与组织协同）。"
    ),
    "E": (
        "环境条件是短板：对接上级政策与考核要求，主动对标相邻和先进地区，把纵向压力与府际竞争"
        "转化为转型动力（压力驱动型路径）。"
    ),
}

# --- Configurational paths, named by their core conditions (REFERENCE §6.1) ---------------------
#
# The study merges the configurations of its solution into three paths by the conditions that are
# *core* (present in the parsimonious solution too) and *present* (●, not ⊗):
#   技术驱动型  core T1 and T2;
#   压力驱动型  core E1, with T2 and O1 peripheral;
#   协同共生型  core T1, T2 and E1, with O1 and O2 peripheral.
# A rule matches when every code of ``all_of`` and at least one of ``any_of`` (when given) is a
# core present condition; the first rule that matches names the term, so the synergy rule (the
# technology pair *and* environment) is tried before the technology one, and a term reaching the
# pressure rule has not the technology pair in its core. No rule: the term is a path of its own,
# named 其他组态 (the analyst may rename it). Codes are those of the default framework ``TOE``.


@dataclass(frozen=True)
class PathRule:
    kind: str
    name: str
    all_of: frozenset[str]
    any_of: frozenset[str] = frozenset()


PATH_RULES: tuple[PathRule, ...] = (
    PathRule("synergy", "协同共生型", frozenset({"T1", "T2"}), frozenset({"E1", "E2"})),
    PathRule("technology", "技术驱动型", frozenset({"T1", "T2"})),
    PathRule("pressure", "压力驱动型", frozenset({"E1"})),
)
UNMATCHED_PATH = PathRule("other", "其他组态", frozenset())
PATH_NAMES = {r.kind: r.name for r in (*PATH_RULES, UNMATCHED_PATH)}
ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"


def path_rule(core_present: set[str] | frozenset[str], rules: tuple[PathRule, ...] = PATH_RULES) -> PathRule:
    """The rule naming a configuration whose core present conditions are ``core_present``."""
    for rule in rules:
        if rule.all_of <= core_present and (not rule.any_of or rule.any_of & core_present):
            return rule
    return UNMATCHED_PATH


@dataclass(frozen=True)
class PathAssignment:
    expression: str
    kind: str
    name: str  #: the path's name, numbered Ⅰ, Ⅱ … when two paths of one kind have different cores
    path: int  #: 1-based number of the path (terms sharing a core share it)
    variant: str  #: "1", or "1a", "1b" … when the path has several terms (the study's table)
    core: tuple[tuple[str, int], ...]  #: the core literals (code, 1 present / 0 absent), sorted


def name_paths(terms) -> list[PathAssignment]:
    """Name the terms of a solution by their core conditions.

    ``terms``: ``[(expression, literals, core_codes), …]`` in the solution's order, where
    ``literals`` are ``(code, 1 or 0)`` and ``core_codes`` the codes of the term that are core.
    Terms with the same core literals are one path (numbered by first appearance) with variants
    ``1a``, ``1b``…; each path is named by :func:`path_rule` on its core *present* conditions.
    """
    cores: list[tuple[tuple[str, int], ...]] = []
    per_term = []
    for expression, literals, core_codes in terms:
        core = tuple(sorted((c, int(v)) for c, v in literals if c in set(core_codes)))
        if core not in cores:
            cores.append(core)
        per_term.append((expression, core))
    rules = [path_rule(frozenset(c for c, v in core if v)) for core in cores]
    kind_count = {r.kind: sum(1 for q in rules if q.kind == r.kind) for r in rules}
    names = []
    for i, rule in enumerate(rules):
        if kind_count[rule.kind] > 1:
            nth = sum(1 for q in rules[:i] if q.kind == rule.kind)
            names.append(f"{rule.name}{ROMAN[nth % len(ROMAN)]}")
        else:
            names.append(rule.name)
    sizes = {core: sum(1 for _, c in per_term if c == core) for core in cores}
    seen: dict[tuple, int] = {}
    out = []
    for expression, core in per_term:
        p = cores.index(core)
        seen[core] = seen.get(core, 0) + 1
        variant = str(p + 1) if sizes[core] == 1 else f"{p + 1}{chr(ord('a') + seen[core] - 1)}"
        out.append(PathAssignment(expression, rules[p].kind, names[p], p + 1, variant, core))
    return out


def levels() -> tuple[Level, ...]:
    custom = getattr(settings, "ASSESSMENT_LEVELS", None)
    if not custom:
        return LEVELS
    return tuple(Level(int(n), str(name), float(t)) for n, name, t in custom)


def check_levels(table) -> None:
    """Thresholds must start at 0 and rise strictly (raises ValueError)."""
    ts = [lv.threshold for lv in table]
    if not ts or ts[0] != 0 or any(b <= a for a, b in itertools.pairwise(ts)):
        raise ValueError("成熟度等级阈值须从0开始且严格递增。")


def level_for(index: float, table=None) -> Level:
    table = table or levels()
    chosen = table[0]
    for lv in table:
        if index + 1e-9 >= lv.threshold:
            chosen = lv
    return chosen


def normalise(values: dict, direction: int) -> dict:
    """Min–max within the round, with direction; equal values → 0.5."""
    nums = {k: float(v) for k, v in values.items()}
    if not nums:
        return {}
    lo, hi = min(nums.values()), max(nums.values())
    if hi == lo:
        return dict.fromkeys(nums, 0.5)
    span = hi - lo
    if direction >= 0:
        return {k: (v - lo) / span for k, v in nums.items()}
    return {k: (hi - v) / span for k, v in nums.items()}


@dataclass(frozen=True)
class UnitScore:
    index: float
    level: Level
    dimensions: dict[str, float]
    strongest: str
    weakest: str
    recommendation: str


def composite(normalised: dict[str, float], weights: dict[str, float], dimensions: dict[str, str]) -> UnitScore:
    """One case's score from its normalised values (indicator code → 0..1)."""
    total_w = sum(weights[c] for c in normalised if weights.get(c, 0) > 0)
    if total_w <= 0:
        raise ValueError("框架中没有权重大于0的指标。")
    index = 100 * sum(weights[c] * n for c, n in normalised.items() if weights.get(c, 0) > 0) / total_w
    dims: dict[str, float] = {}
    for d in SCORED_DIMENSIONS:
        codes = [c for c in normalised if dimensions.get(c) == d and weights.get(c, 0) > 0]
        w = sum(weights[c] for c in codes)
        if w > 0:
            dims[d] = 100 * sum(weights[c] * normalised[c] for c in codes) / w
    order = [d for d in SCORED_DIMENSIONS if d in dims]
    strongest = max(order, key=lambda d: (dims[d], -order.index(d)))
    weakest = min(order, key=lambda d: (dims[d], order.index(d)))
    return UnitScore(
        index=index,
        level=level_for(index),
        dimensions=dims,
        strongest=strongest,
        weakest=weakest,
        recommendation=RECOMMENDATIONS[weakest],
    )


# --- Province adjacency (shipped as data) ---------------------------------------------------------


@cache
def province_adjacency() -> dict[str, tuple[str, ...]]:
    """Province code (2 digits) → codes of the adjacent provinces (land borders; 海南 by sea)."""
    raw = json.loads((Path(__file__).parent / "data" / "province_adjacency.json").read_text("utf-8"))
    return {k: tuple(v) for k, v in raw["adjacency"].items()}


def on_time_share(closed: list[tuple]) -> float | None:
    """Service quality, timeliness: of the finished requests ``(closed_at, due_at)``, the share in %
    closed by their time limit (``closed_at <= due_at``); a request without a time limit counts as
    on time. ``None`` when nothing was finished."""
    if not closed:
        return None
    on_time = sum(1 for closed_at, due_at in closed if due_at is None or closed_at <= due_at)
    return 100 * on_time / len(closed)


def mean_rating(ratings: list[int | None]) -> float | None:
    """Service quality, satisfaction: the mean of the requesters' ratings (1–5) over the rated
    requests; unrated ones are left out. ``None`` when none is rated."""
    rated = [r for r in ratings if r is not None]
    return sum(rated) / len(rated) if rated else None


def neighbour_mean(
    values: dict[str, float], adjacency: dict[str, tuple[str, ...]], provinces=None
) -> dict[str, float | None]:
    """The adjacency method: for each province (of ``provinces``, by default those of ``values``:
    province code → the outcome), the mean of the values of its neighbours that have a value
    (a neighbour outside the sample, e.g. 西藏 for 新疆, is skipped); ``None`` when it has none."""
    out: dict[str, float | None] = {}
    for province in values if provinces is None else provinces:
        around = [float(values[p]) for p in adjacency.get(province, ()) if p in values and p != province]
        out[province] = sum(around) / len(around) if around else None
    return out


@cache
def province_names() -> dict[str, str]:
    raw = json.loads((Path(__file__).parent / "data" / "province_adjacency.json").read_text("utf-8"))
    return dict(raw["names"])


def province_of(region_code: str) -> str:
    return (region_code or "")[:2]


def decimal(value: float, places: int = 4) -> Decimal:
    return Decimal(str(round(value, places)))


def adjacent_mean(regions: dict[int, str], basis: dict[int, Decimal]) -> dict[int, Decimal | None]:
    """府际竞争压力: per case (``{case id: region code}``), the mean of ``basis`` over the adjacent
    provinces among the cases (adjacency from the shipped table, matched by the first two digits of
    the region code)."""
    province = {pk: province_of(code) for pk, code in regions.items()}
    values = {province[pk]: float(v) for pk, v in basis.items() if pk in province and v is not None}
    means = neighbour_mean(values, province_adjacency(), provinces=set(province.values()))
    return {pk: None if means[p] is None else decimal(means[p], 4) for pk, p in province.items()}


# --- Entered values ------------------------------------------------------------------------------


def parse_value(indicator, raw) -> tuple[Decimal | None, str | None]:
    """(value, None) or (None, the message in the reader's language) for one raw entry of ``indicator`` (read for its
    name, unit and bounds only)."""
    label = f"「{indicator.name}」"
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, _("%(label)s未填写。") % {"label": label}
    if isinstance(raw, float) and (math.isnan(raw) or math.isinf(raw)):
        return None, _("%(label)s不是有效的数字。") % {"label": label}
    if isinstance(raw, bool):
        return None, _("%(label)s的值“%(raw)s”不是数字。") % {"label": label, "raw": raw}
    text = str(raw).strip().replace(",", "").replace("，", "")
    if text.endswith("%"):
        text = text[:-1]
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, _("%(label)s的值“%(raw)s”不是数字。") % {"label": label, "raw": raw}
    if not value.is_finite():
        return None, _("%(label)s不是有效的数字。") % {"label": label}
    lo, hi = indicator.min_value, indicator.max_value
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return None, _("%(label)s的值 %(normalize)s 超出允许范围 %(fmt)s～%(fmt2)s（%(unit)s）。") % {
            "label": label,
            "normalize": f"{value.normalize():f}",
            "fmt": _fmt(lo),
            "fmt2": _fmt(hi),
            "unit": indicator.unit,
        }
    return value.quantize(Decimal("0.0001")), None


def _fmt(d: Decimal | None) -> str:
    return _("不限") if d is None else f"{d.normalize():f}"
