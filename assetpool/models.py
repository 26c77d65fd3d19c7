"""公物仓: listings of idle assets shared between units, requests for them, and what came of them.

The asset card itself belongs to the assets app; every change of the card (status, unit,
loan) goes through ``assets.services``. This app keeps the listing (where it is stored, in
what condition, who published it) and the reuse ledger (transfers and loans out of the pool).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from assets.selectors import same_institution
from datahub.keyed import Keyed
from datahub.models import OrgUnit
from portal.models import RequestDetail, Ticket

from . import rules
from .rules import RequestWay


class PoolMode(models.TextChoices):
    # 虚拟仓: the asset stays where it is and is only listed (R27, R27b).
    VIRTUAL = "virtual", _("虚拟仓")
    # 实体仓: the asset is moved to a store (集中仓/分散仓).
    PHYSICAL = "physical", _("实体仓")


class Condition(models.TextChoices):
    NEW = "new", _("全新")
    GOOD = "good", _("良好（可直接使用）")
    FAIR = "fair", _("一般（有使用痕迹）")
    REPAIR = "repair", _("需维修后使用")


class ListingStatus(models.TextChoices):
    LISTED = "listed", _("在仓可申领")
    LENT = "lent", _("已出借")
    TRANSFERRED = "transferred", _("已调拨")
    WITHDRAWN = "withdrawn", _("已撤回")


# A listing in one of these is "open": the asset cannot be listed twice at once.
OPEN_STATUSES = (ListingStatus.LISTED, ListingStatus.LENT)


class PoolListing(models.Model):
    """One asset offered in the pool by the unit that owns it."""

    asset = models.ForeignKey("assets.Asset", on_delete=models.PROTECT, related_name="+", verbose_name=_("资产"))
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布单位"))
    mode = models.CharField(_("入仓方式"), max_length=10, choices=PoolMode.choices, default=PoolMode.VIRTUAL)
    store_room = models.ForeignKey(
        "officespace.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("存放房间"),
    )
    store_text = models.CharField(_("存放仓库"), max_length=200, blank=True, help_text=_("实体仓不在房间台账中时填写"))
    condition = models.CharField(_("成色"), max_length=10, choices=Condition.choices, default=Condition.GOOD)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.LISTED, db_index=True
    )
    # The card's status before publication, restored when the listing is withdrawn.
    previous_asset_status = models.CharField(_("入仓前资产状态"), max_length=20, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人")
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公物仓资产")
        verbose_name_plural = _("公物仓资产")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset"],
                condition=models.Q(status__in=["listed", "lent"]),
                name="assetpool_one_open_listing_per_asset",
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset} · {self.get_status_display()}"

    @property
    def store_label(self) -> str:
        if self.mode == PoolMode.VIRTUAL:
            return _("原地存放（虚拟仓）")
        return str(self.store_room) if self.store_room_id else self.store_text


class PoolRequest(RequestDetail):
    """公物仓申领: the requester asks for one listed item, to keep (调拨) or borrow (借用)."""

    listing = models.ForeignKey(
        PoolListing, on_delete=models.PROTECT, related_name="requests", verbose_name=_("申领资产")
    )
    way = models.CharField(_("申领方式"), max_length=10, choices=RequestWay.choices, default=RequestWay.TRANSFER)
    return_date = models.DateField(_("归还日期"), null=True, blank=True)
    purpose = models.CharField(_("用途"), max_length=500)

    class Meta:
        verbose_name = _("公物仓申领")
        verbose_name_plural = _("公物仓申领")

    def summary(self) -> Keyed:
        text = (
            gettext_noop("公物仓申领（借用）：%(asset)s")
            if self.way == RequestWay.LOAN
            else gettext_noop("公物仓申领（调拨）：%(asset)s")
        )
        return Keyed(text, {"asset": self.listing.asset.name})

    def clean(self):
        # Re-read: the caller's listing object may be older than a withdrawal or a transfer.
        listing = PoolListing.objects.filter(pk=self.listing_id).first() if self.listing_id else None
        ticket = self.ticket if self.ticket_id else None
        rules.check_request(
            listing_unavailable=(
                listing.get_status_display() if listing is not None and listing.status != ListingStatus.LISTED else None
            ),
            way=self.way,
            return_date=self.return_date,
            own_item=listing is not None and ticket is not None and same_institution(ticket.org_unit, listing.org_unit),
            today=timezone.localdate(),
        )


class Reuse(models.Model):
    """调剂台账: an item that left the pool, by transfer or loan (the basis of the reuse statistics)."""

    listing = models.ForeignKey(
        PoolListing, on_delete=models.PROTECT, related_name="reuses", verbose_name=_("公物仓资产")
    )
    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="+", verbose_name=_("申领申请"))
    way = models.CharField(_("方式"), max_length=10, choices=RequestWay.choices)
    # Scoping: the row belongs to both ends; org_unit is the receiving unit, from_unit the publisher.
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("调入/借用单位"))
    from_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("调出/出借单位"))
    original_value = models.DecimalField(_("原值（元）"), max_digits=14, decimal_places=2)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("办理人")
    )
    done_at = models.DateTimeField(_("办理时间"), auto_now_add=True)
    due_date = models.DateField(_("应归还日期"), null=True, blank=True)
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("归还登记人"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调剂台账")
        verbose_name_plural = _("调剂台账")
        ordering = ["-done_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(way="transfer") | models.Q(due_date__isnull=False),
                name="assetpool_loan_has_due_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.listing.asset} → {self.org_unit}"
