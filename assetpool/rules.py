"""公物仓 rules, as data. Sources: REFERENCE.md §4.3–4.4.

- 滨州 (R27f): assets idle for **six months or more** must be handed in to the 公物仓; the order of
  supply is own department → 公物仓 (transfer or loan) → purchase ("先仓后购", also the 2025
  国管局/中直管理局 opinion, R27b).
- 国管局/中直管理局 (R27b) and 衡阳 (R27): a virtual pool (the asset stays where it is) plus
  physical stores (集中仓/分散仓).
- 《行政事业性国有资产管理条例》 (R26) and the 国管局 2004 levels (R26d, for context): a larger
  transfer needs a higher approval level. A pool transfer is a disposal (无偿划转), so the level is
  the assets domain's one disposal threshold (assets.rules.disposal_needs_bureau, "≥"), not a second
  number here.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from assets.rules import disposal_needs_bureau

# 闲置满6个月应交公物仓（滨州, R27f). "≥": an asset idle for exactly this many months is listed.
IDLE_MONTHS_FOR_HAND_IN = 6

# A loan from the pool (借用) lasts at most this long before it must come back or be renewed.
MAX_LOAN_DAYS = 366

# The service-level time of a 公物仓申领 request (hours).
POOL_REQUEST_SLA_HOURS = 120


# --- Predicates on plain values -----------------------------------------------------------------


class RequestWay(models.TextChoices):
    TRANSFER = "transfer", _("调拨（无偿划转）")
    LOAN = "loan", _("借用（到期归还）")


def needs_bureau_approval(way: str, original_value: Decimal) -> bool:
    """大额调拨 needs the bureau administrator as well: the same level as any disposal (at or above
    assets.rules.DISPOSAL_BUREAU_APPROVAL_FROM); a loan is not a disposal."""
    return way == RequestWay.TRANSFER and disposal_needs_bureau(original_value)


def check_request(
    *, listing_unavailable: str | None, way: str, return_date: date | None, own_item: bool, today: date
) -> None:
    """A 公物仓申领's own rules: the item is still in the pool (``listing_unavailable`` names why
    not), a loan names a return date within MAX_LOAN_DAYS, a transfer none, and a unit does not ask
    for its own item."""
    errors = {}
    if listing_unavailable:
        errors["listing"] = _("该资产%(listing_unavailable)s，不能申领。") % {
            "listing_unavailable": listing_unavailable
        }
    if way == RequestWay.LOAN:
        if return_date is None:
            errors["return_date"] = _("借用须填写归还日期。")
        elif return_date <= today:
            errors["return_date"] = _("归还日期须晚于今天。")
        elif return_date > today + timedelta(days=MAX_LOAN_DAYS):
            errors["return_date"] = _("借用期限最长%(MAX_LOAN_DAYS)s天。") % {"MAX_LOAN_DAYS": MAX_LOAN_DAYS}
    elif return_date is not None:
        errors["return_date"] = _("调拨无需填写归还日期。")
    if own_item:
        errors["listing"] = _("这是本单位发布的资产，无需申领：本单位内部调剂即可（可在公物仓中撤回）。")
    if errors:
        raise ValidationError(errors)
