"""The monthly depreciation, set-based: per month one INSERT … SELECT of the entries and one UPDATE
of the cards, whatever the number of cards (rules.MONTHLY_AMOUNT_SQL is the arithmetic)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datahub import scoping
from datahub.models import User
from datahub.roles import Role

from ..models import Asset, DepreciationEntry, DepreciationRun
from ..rules import CENT, MONTHLY_AMOUNT_SQL, add_months, first_of_month, last_closed_month

_INSERT_SQL = """
INSERT INTO assets_depreciationentry (asset_id, month, amount, accumulated)
SELECT id, %(month)s, {amount}, accumulated_depreciation + {amount}
FROM assets_asset
WHERE next_depreciation_month = %(month)s
  AND depreciates
  AND depreciated_months < useful_life_months
  AND accumulated_depreciation < original_value
  AND (depreciation_end IS NULL OR depreciation_end > %(month)s)
"""
_UPDATE_SQL = """
UPDATE assets_asset
SET accumulated_depreciation = e.accumulated,
    depreciated_months = depreciated_months + 1,
    next_depreciation_month = CASE WHEN depreciated_months + 1 >= useful_life_months
        OR e.accumulated >= original_value THEN NULL ELSE %(next)s END
FROM assets_depreciationentry e
WHERE e.asset_id = assets_asset.id AND e.month = %(month)s AND assets_asset.next_depreciation_month = %(month)s
"""
# Cards due this month that were not posted (fully depreciated, disposed) stop waiting.
_RETIRE_SQL = "UPDATE assets_asset SET next_depreciation_month = NULL WHERE next_depreciation_month = %(month)s"


# PostgreSQL: one statement — the inserted entries feed the cards' update directly (no second
# lookup of the entries through their index).
_POST_SQL_PG = """
WITH posted AS ({insert} RETURNING asset_id, accumulated)
UPDATE assets_asset
SET accumulated_depreciation = posted.accumulated,
    depreciated_months = depreciated_months + 1,
    next_depreciation_month = CASE WHEN depreciated_months + 1 >= useful_life_months
        OR posted.accumulated >= original_value THEN NULL ELSE %(next)s END
FROM posted
WHERE posted.asset_id = assets_asset.id
"""


def _post_month(month: date) -> int:
    params = {"month": month, "next": add_months(month, 1)}
    insert = _INSERT_SQL.format(amount=MONTHLY_AMOUNT_SQL)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POST_SQL_PG.format(insert=insert.strip()), params)
            cards = cursor.rowcount
        else:
            cursor.execute(insert, params)
            cards = cursor.rowcount
            if cards:
                cursor.execute(_UPDATE_SQL, params)
        cursor.execute(_RETIRE_SQL, params)
    return cards


@transaction.atomic
def post_depreciation_by_hand(*, actor: User, month: date | None = None) -> list[DepreciationRun]:
    """手工计提: a bureau administrator posts the closed months now — the same run as the monthly task.

    The run is platform-wide, so it may be started by hand only by a bureau administrator whose subtree
    holds every card it would post: otherwise one unit's administrator would write another unit's books
    (the monthly task, or an administrator above both, posts those)."""
    if not actor.is_superuser:
        paths = scoping.granted_paths(actor, (Role.BUREAU_ADMIN,))
        if not paths:
            raise PermissionDenied(_("只有机关事务管理局管理员可以手工计提折旧。"))
        target = first_of_month(month) if month else last_closed_month(timezone.localdate())
        due = Asset.objects.filter(next_depreciation_month__lte=target)
        if due.exclude(scoping.subtree_q(paths, "org_unit")).exists():
            raise PermissionDenied(
                _("本次计提涉及您管理范围以外单位的资产，请等待每月自动计提，或由上级机关事务管理局管理员手工计提。")
            )
    return post_depreciation(month=month)


@transaction.atomic
def post_depreciation(*, month: date | None = None) -> list[DepreciationRun]:
    """Post every month up to ``month`` (default: the last closed month) that some card still owes:
    a missed month is caught up, a posted one is never posted twice ((asset, month) is unique and
    a card is due only in its ``next_depreciation_month``). Returns the runs written.
    """
    target = first_of_month(month) if month else last_closed_month(timezone.localdate())
    # One run at a time (a second worker waits here, then finds nothing left to post).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x61737365])
    earliest = (
        Asset.objects.filter(next_depreciation_month__lte=target)
        .order_by("next_depreciation_month")
        .values_list("next_depreciation_month", flat=True)
        .first()
    )
    runs: list[DepreciationRun] = []
    current = earliest
    while current is not None and current <= target:
        posted = _post_month(current)
        run, created = DepreciationRun.objects.get_or_create(month=current)
        if posted or created:
            totals = DepreciationEntry.objects.filter(month=current).aggregate(n=Count("pk"), s=Sum("amount"))
            run.cards, run.total = totals["n"], (totals["s"] or Decimal("0")).quantize(CENT)
            run.save()
        runs.append(run)
        current = add_months(current, 1)
    if not runs:
        run, _ = DepreciationRun.objects.get_or_create(month=target)
        runs.append(run)
    return runs
