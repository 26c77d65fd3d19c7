"""Office-space regulations and thresholds as data (the per-rank area standards arrive with the office-space issue)."""

from decimal import Decimal

# Repairs estimated above this go to the space administrator for review before work starts.
REPAIR_SPACE_ADMIN_REVIEW_ABOVE = Decimal("5000")
# Service-level time of a repair request, from submission to completion.
REPAIR_SLA_HOURS = 48
