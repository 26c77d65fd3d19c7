"""Reads of the catalog, the grants and the trail, always scoped to what the user may see.

The catalog's metadata is shared with every signed-in person by design (one catalog for the whole
government: a consumer must see what exists to ask for it); grants and trail rows are scoped by the
consumer's (caller's) unit, and the provider's steward sees those of their entries."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from .. import scoping
from ..models import OrgUnit
from ..params import as_date
from ..roles import Role
from . import declarations, rules
from .models import Dataset, Grant, TrailHead, TrailRecord, chain_hash
from .rules import EntryStatus

STEWARDS = (Role.DATA_STEWARD, Role.BUREAU_ADMIN)
TRAIL_READERS = (Role.AUDITOR, Role.DATA_STEWARD, Role.BUREAU_ADMIN)


def catalog_for(user, params=None) -> QuerySet:
    """The catalog with its filters: provider (subtree), 类, share type, format, status, keyword."""
    if not user or not user.is_authenticated:
        return Dataset.objects.none()
    params = params or {}
    qs = Dataset.objects.select_related("provider")
    if not (user.is_superuser or scoping.holds_any(user, STEWARDS)):
        qs = qs.filter(status=EntryStatus.PUBLISHED)
    provider = str(params.get("provider") or "")
    if provider:
        unit = OrgUnit.objects.filter(pk=provider if provider.isdecimal() and len(provider) < 18 else 0).first()
        qs = qs.filter(provider__path__startswith=unit.path) if unit else qs.none()
    lei = str(params.get("category") or "")
    if lei:
        qs = qs.filter(code__startswith=f"{lei}-") if lei in rules.CATEGORY_LEI else qs.none()
    for name, choices in (("share_type", rules.ShareType), ("format", rules.Format), ("status", EntryStatus)):
        value = params.get(name)
        if value:
            qs = qs.filter(**{name: value}) if value in choices.values else qs.none()
    keyword = str(params.get("q") or "").strip()
    if keyword:
        qs = qs.filter(
            Q(name__icontains=keyword)
            | Q(code__icontains=keyword)
            | Q(summary__icontains=keyword)
            | Q(items__label__icontains=keyword)
        ).distinct()
    return qs.order_by("code")


def dataset_for(user, pk) -> Dataset | None:
    return catalog_for(user).filter(pk=pk).first()


def grants_for(user) -> QuerySet:
    """Grants the user may see: their own, their units' (stewards, bureau administrators), and those on entries
    their stewardship covers as provider."""
    if not user or not user.is_authenticated:
        return Grant.objects.none()
    qs = Grant.objects.select_related("dataset", "consumer_unit", "user", "application", "row_unit", "approved_by")
    if user.is_superuser:
        return qs
    paths = scoping.granted_paths(user, STEWARDS)
    q = Q(user=user) | scoping.subtree_q(paths, "consumer_unit") | scoping.subtree_q(paths, "dataset__provider")
    return qs.filter(q)


def live_grant(dataset: Dataset, *, user=None, application=None, today: date | None = None) -> Grant | None:
    """The consumer's grant in force today (the latest, if several), or None."""
    today = today or timezone.localdate()
    qs = Grant.objects.filter(dataset=dataset, revoked_at__isnull=True, valid_from__lte=today, valid_to__gte=today)
    if application is not None:
        qs = qs.filter(application=application)
    elif user is not None and user.is_authenticated:
        qs = qs.filter(user=user)
    else:
        return None
    return qs.select_related("consumer_unit", "row_unit").order_by("-valid_from", "-pk").first()


def last_grant(dataset: Dataset, *, user=None, application=None) -> Grant | None:
    """The consumer's latest grant whatever its state (to say why a call is refused)."""
    qs = Grant.objects.filter(dataset=dataset)
    qs = qs.filter(application=application) if application is not None else qs.filter(user=user)
    return qs.order_by("-valid_to", "-pk").first()


def trail_for(user, params=None) -> QuerySet:
    """Trail rows of callers in the user's subtree (auditors, data stewards, bureau administrators)."""
    params = params or {}
    qs = scoping.scope(TrailRecord.objects.all(), user, roles=TRAIL_READERS, unit_field="caller_unit")
    code = str(params.get("dataset") or "").strip()
    if code:
        qs = qs.filter(dataset_code=code)
    caller = str(params.get("caller") or "").strip()
    if caller:
        qs = qs.filter(caller_label__icontains=caller)
    status = str(params.get("status") or "")
    if status == "ok":
        qs = qs.filter(status__lt=400)
    elif status == "refused":
        qs = qs.filter(status__gte=400)
    since, until = as_date(params.get("since")), as_date(params.get("until"))
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-seq")


def usage_of(dataset: Dataset) -> dict:
    """Calls, rows and the last call of an entry (totals only: no consumer named)."""
    return TrailRecord.objects.filter(dataset=dataset, kind=TrailRecord.Kind.CALL, status__lt=400).aggregate(
        calls=Count("pk"), rows=Sum("rows"), last=Max("at")
    )


def zombies_for(user, *, today: date | None = None) -> QuerySet:
    """僵尸目录: published entries of the providers the user stewards, with no request (grant) and no call in
    the last 12 months."""
    today = today or timezone.localdate()
    cutoff = rules.zombie_cutoff(today)
    qs = scoping.scope(Dataset.objects.all(), user, roles=STEWARDS, unit_field="provider")
    recent_grant = Grant.objects.filter(dataset=OuterRef("pk"), created_at__date__gte=cutoff)
    recent_call = TrailRecord.objects.filter(dataset=OuterRef("pk"), kind=TrailRecord.Kind.CALL, at__date__gte=cutoff)
    return (
        qs.filter(status=EntryStatus.PUBLISHED, published_on__lte=cutoff)
        .exclude(Exists(recent_grant))
        .exclude(Exists(recent_call))
        .select_related("provider")
        .order_by("code")
    )


def declaration_of(dataset: Dataset):
    return declarations.get(dataset.declaration_key)


@dataclass(frozen=True)
class Verification:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_trail(*, chunk: int = 5000) -> Verification:
    """Walk the chain in order; the first row whose sequence, link or hash does not hold is reported."""
    fields = ("hash", "prev_hash", *TrailRecord.CHAINED)
    prev_hash, expected_seq, checked = "0" * 64, 1, 0
    rows = TrailRecord.objects.order_by("seq").values_list(*fields)
    for row in rows.iterator(chunk_size=chunk):
        values = dict(zip(fields, row, strict=True))
        seq = values["seq"]
        if seq != expected_seq:
            return Verification(checked, expected_seq, f"缺少第 {expected_seq} 条记录（已被删除）。")
        if values["prev_hash"] != prev_hash:
            return Verification(checked, seq, f"第 {seq} 条记录与前一条的链接不符。")
        if isinstance(values["at"], datetime) and timezone.is_naive(values["at"]):
            values["at"] = timezone.make_aware(values["at"])
        if chain_hash(prev_hash, values) != values["hash"]:
            return Verification(checked, seq, f"第 {seq} 条记录的内容已被改动（摘要不符）。")
        prev_hash, expected_seq, checked = values["hash"], seq + 1, checked + 1
    head = TrailHead.objects.filter(pk=1).first()
    if head is not None and head.seq != checked:
        return Verification(checked, checked + 1, f"链头记录到第 {head.seq} 条，实有 {checked} 条：末尾记录被删除。")
    return Verification(checked)


def consumers_of(dataset: Dataset, user) -> QuerySet:
    return grants_for(user).filter(dataset=dataset)


def grants_count_by_dataset(ids) -> dict[int, int]:
    return dict(
        Grant.objects.filter(dataset_id__in=ids, revoked_at__isnull=True)
        .values_list("dataset_id")
        .annotate(n=Count("pk"))
    )


def providers() -> QuerySet:
    """Units that provide at least one entry (the provider filter; unit names are not personal data)."""
    return OrgUnit.objects.filter(pk__in=Dataset.objects.values("provider")).order_by("path")
