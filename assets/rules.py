"""Asset regulations and thresholds as data. Each number cites its source; administrators
change the versioned tables (categories, configuration standards, capitalisation
thresholds) in the admin, these are the defaults seeded on a fresh install.

Sources (see /work/shared/domain/REFERENCE.md §4):
- 《行政事业性国有资产管理条例》 (国务院令第738号, 2021): disposal types, approval before disposal,
  letting/lending only with approval, administrative units may not run businesses with assets.
- 政府会计准则第3号 and its 应用指南 (财会〔2017〕4号, table 1): straight-line, monthly, zero residual,
  minimum useful lives per class (in assets/data/categories_gbt14885_2022.csv).
- 财资〔2016〕27号 《中央行政单位通用办公设备家具配置标准》: price caps, minimum lives, quantity caps.
- GB/T 14885-2022 《固定资产等资产基础分类与代码》: the category codes.
"""

from decimal import Decimal

from django.db import models

REQUISITION_SLA_HOURS = 72
REQUISITION_MAX_QUANTITY = 100

# --- Classification ---------------------------------------------------------------------------

STANDARD_VERSION = "GB/T 14885-2022"
CATEGORY_DATA_FILE = "categories_gbt14885_2022.csv"
# 2022 codes: one letter then pairs of digits (A02, A0201, A020101, A02010105); the 2010 scheme
# (7 digits, e.g. 2010000) is admitted too because deployed systems still carry it.
CATEGORY_CODE_REGEX = r"^(?:[A-Z]\d{2}(?:\d{2}){0,4}|\d{7})$"

# --- Capitalisation (政府会计准则第3号: used > 1 year and unit value above the threshold) -------
# The usual threshold, REFERENCE §4.2 (marked ❓ there: configurable in the admin, table
# CapitalisationThreshold; these are the defaults when the table is empty).
CAPITALISATION_THRESHOLD = Decimal("1000")
CAPITALISATION_THRESHOLD_SPECIAL = Decimal("1500")  # 专用设备

# --- Depreciation -----------------------------------------------------------------------------


class DepreciationStart(models.TextChoices):
    """When depreciation starts and stops (settings.ASSETS_DEPRECIATION_START).

    NEXT_MONTH: 当月增加当月不提，当月减少当月照提 (the default the platform ships: booking in
    March → first month April; disposal in June → June is still depreciated).
    SAME_MONTH: 当月增加当月提，当月减少当月不提 (the 应用指南's wording: "start in the month of
    acquisition, stop in the month of removal").
    """

    NEXT_MONTH = "next_month", "入账次月起提，处置当月照提"
    SAME_MONTH = "same_month", "入账当月起提，处置当月不提"


DEFAULT_DEPRECIATION_START = DepreciationStart.NEXT_MONTH

# --- Lifecycle --------------------------------------------------------------------------------


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", "在用"
    IDLE = "idle", "闲置"
    IN_POOL = "in_pool", "在公物仓"
    LENT = "lent", "出租出借"
    PENDING_DISPOSAL = "pending_disposal", "待处置"
    DISPOSED = "disposed", "已处置"


class AcquisitionWay(models.TextChoices):
    PURCHASE = "purchase", "购置"
    TRANSFER_IN = "transfer_in", "调入"
    DONATION = "donation", "接受捐赠"
    SELF_BUILT = "self_built", "自建"
    SURPLUS = "surplus", "盘盈"
    EXCHANGE = "exchange", "置换换入"
    OTHER = "other", "其他"


class FundingSource(models.TextChoices):
    FISCAL = "fiscal", "财政拨款"
    NON_FISCAL = "non_fiscal", "非财政拨款"
    OTHER = "other", "其他"


class DisposalWay(models.TextChoices):
    """《行政事业性国有资产管理条例》: the six disposal types."""

    FREE_TRANSFER = "free_transfer", "无偿划转"
    DONATION = "donation", "对外捐赠"
    SALE = "sale", "转让"
    EXCHANGE = "exchange", "置换"
    SCRAP = "scrap", "报废"
    WRITE_OFF = "write_off", "损失核销"


# Disposal approval levels by original value (one disposal). The 国管局 2004 rule (REFERENCE
# §4.3, context only, ◐): < 20万 approved by the department, ≥ 20万 by the higher authority.
# Encoded as: below DISPOSAL_BUREAU_APPROVAL_FROM the unit's asset administrator approves,
# at or above it the bureau administrator approves as well. Configurable here.
DISPOSAL_BUREAU_APPROVAL_FROM = Decimal("200000")
DISPOSAL_SLA_HOURS = 15 * 24
PURCHASE_SLA_HOURS = 15 * 24

# Statuses from which each move is allowed (the refusals name the current status).
MOVABLE = (AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.IN_POOL)
DISPOSABLE = (AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.IN_POOL, AssetStatus.PENDING_DISPOSAL)
SETTABLE_STATUSES = (
    AssetStatus.IN_USE,
    AssetStatus.IDLE,
    AssetStatus.IN_POOL,
    AssetStatus.PENDING_DISPOSAL,
)

# --- Configuration standards (财资〔2016〕27号, REFERENCE §4.5 ✅) -------------------------------
# (category code, label, price cap 元, minimum life months, quantity cap as a fraction of the
# unit's in-establishment headcount, or None where the standard gives another formula).
CONFIG_STANDARD_VERSION = ("CZ2016-27", "财资〔2016〕27号 中央行政单位通用办公设备家具配置标准", "2016-07-01")
CONFIG_STANDARDS = (
    ("A02010105", "台式计算机", Decimal("5000"), 72, Decimal("1.00")),
    ("A02010108", "便携式计算机", Decimal("7000"), 72, Decimal("0.50")),
)
# 涉密 units may hold desktop PCs up to 150% of headcount (same standard).
CLASSIFIED_DESKTOP_RATIO = Decimal("1.50")

ASSET_NUMBER_PREFIX = "ZC"
