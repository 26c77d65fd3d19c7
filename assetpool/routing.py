"""Who consents to a 公物仓申领: the "发布单位资产管理员确认" step belongs to the unit that gives the
item away, not to the requester's side, so the step names the listing's unit (``Step.unit``) and
the portal resolves it there — its asset administrators, or the nearest bureau administrator."""

from django.utils.translation import gettext_noop

KIND = "pool_request"
PUBLISHER_STEP = gettext_noop("发布单位资产管理员确认")


def publisher_unit(detail):
    return detail.listing.org_unit
