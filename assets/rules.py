"""Asset regulations and thresholds as data (classification and depreciation arrive with the assets issue)."""

REQUISITION_SLA_HOURS = 72
REQUISITION_MAX_QUANTITY = 100
