"""公物仓 rules, as data. Sources: REFERENCE.md §4.3–4.4.

- 滨州 (R27f): assets idle for **six months or more** must be handed in to the 公物仓; the order of
  supply is own department → 公物仓 (transfer or loan) → purchase ("先仓后购", also the 2025
  国管局/中直管理局 opinion, R27b).
- 国管局/中直管理局 (R27b) and 衡阳 (R27): a virtual pool (the asset stays where it is) plus
  physical stores (集中仓/分散仓).
- 《行政事业性国有资产管理条例》 (R26) and the 国管局 2004 levels (R26d, for context): a larger
  transfer needs a higher approval level; the threshold below is configurable for that reason.
"""

from decimal import Decimal

# 闲置满6个月应交公物仓（滨州, R27f). "≥": an asset idle for exactly this many months is listed.
IDLE_MONTHS_FOR_HAND_IN = 6

# 调拨 with an original value above this needs the bureau administrator as well (R26d: the
# 2004 level was 20万 per disposal; the province sets its own, so it is a setting here).
TRANSFER_BUREAU_APPROVAL_ABOVE = Decimal("200000")

# A loan from the pool (借用) lasts at most this long before it must come back or be renewed.
MAX_LOAN_DAYS = 366

# The service-level time of a 公物仓申领 request (hours).
POOL_REQUEST_SLA_HOURS = 120
