"""Reads of the catalog, the grants and the trail, always scoped to what the user may see.

The catalog's metadata is shared with every signed-in person by design (one catalog for the whole
government: a consumer must see what exists to ask for it); grants and trail rows are scoped by the
consumer's (caller's) unit, and the provider's steward sees those of their entries."""

import functools
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import get_access_token_model

from .. import figures, scoping
from ..models import OrgUnit
from ..oidc.models import RegisteredSystem
from ..params import as_date, as_id
from ..roles import Role
from ..selectors import with_unit_parent_name
from . import declarations, prepared, rules
from .models import Dataset, DatasetItem, Grant, TrailHead, TrailRecord, chain_hash, chain_hash_sql
from .rules import EntryStatus

STEWARDS = (Role.DATA_STEWARD, Role.BUREAU_ADMIN)
TRAIL_READERS = (Role.AUDITOR, Role.DATA_STEWARD, Role.BUREAU_ADMIN)
# Leaders read the grants of their units too (the command center's figures open this list); only stewards revoke.
GRANT_READERS = (*STEWARDS, Role.LEADER)
# Leaders read the usage of their units' entries and their units' calls (the command center's exchange figures).
USAGE_READERS = (*STEWARDS, Role.LEADER)


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


def catalog_size(user, params=None) -> int:
    """How many catalog entries the user's list (with ``params``' filters) holds."""
    return catalog_for(user, params).count()


def dataset_items(dataset: Dataset) -> QuerySet:
    """The data items (fields) a dataset declares."""
    return dataset.items.all()


def dataset_versions(dataset: Dataset, *, limit: int = 20) -> QuerySet:
    """The latest ``limit`` versions of a dataset's declaration."""
    return dataset.versions.all()[:limit]


def grant_of(user, pk) -> Grant | None:
    """The grant ``pk`` if it is among those the user may see, else None."""
    return grants_for(user).filter(pk=pk).first()


def grants_for(user) -> QuerySet:
    """Grants the user may see: their own, their units' (stewards, bureau administrators), and those on entries
    their stewardship covers as provider."""
    if not user or not user.is_authenticated:
        return Grant.objects.none()
    qs = Grant.objects.select_related("dataset", "consumer_unit", "user", "application", "row_unit", "approved_by")
    # The consumer unit named with its agency (财政厅 › 办公室), read in the same query.
    qs = with_unit_parent_name(qs, "consumer_unit", "consumer_parent_name")
    if user.is_superuser:
        return qs
    paths = scoping.granted_paths(user, GRANT_READERS)
    q = Q(user=user) | scoping.subtree_q(paths, "consumer_unit") | scoping.subtree_q(paths, "dataset__provider")
    return qs.filter(q)


def grant_reader_unit(user, raw) -> OrgUnit | None:
    """The unit of the id typed if the user reads its grants (None: unknown or out of sight)."""
    return scoping.visible_units(user, roles=GRANT_READERS).filter(pk=as_id(raw)).first()


def grants_of_unit(user, *, unit: OrgUnit, side: str, today: date | None = None) -> QuerySet:
    """The grants in force today that the user may see, given by the unit's subtree (``side="given"``: on the
    entries it provides) or received by it (``"received"``: its consumers) — what the command center counts."""
    today = today or timezone.localdate()
    field = "dataset__provider" if side == "given" else "consumer_unit"
    return grants_for(user).filter(
        revoked_at__isnull=True, valid_from__lte=today, valid_to__gte=today, **{f"{field}__path__startswith": unit.path}
    )


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


def published_dataset(code: str) -> Dataset | None:
    """The published entry with this code, or None (unknown, draft or withdrawn)."""
    return Dataset.objects.filter(code=code, status=EntryStatus.PUBLISHED).first()


def published_entry_holding(items: list[dict]) -> tuple[Dataset, list[str]] | None:
    """The published entry that already holds every one of ``items`` (each matched by its 标识 or its 名称), with
    the items' names, or None: "what can be fetched from the platform must not be asked for again". A list of one
    item (a lone 年度 column) is too little to call a duplicate: None."""
    if len(items) < 2:
        return None
    names = {row["name"] for row in items}
    labels = {row["label"] for row in items}
    covered: dict[int, set[str]] = {}
    by_label = {row["label"]: row["name"] for row in items}
    for dataset_id, name, label in DatasetItem.objects.filter(
        Q(name__in=names) | Q(label__in=labels), dataset__status=EntryStatus.PUBLISHED
    ).values_list("dataset_id", "name", "label"):
        hits = covered.setdefault(dataset_id, set())
        if name in names:
            hits.add(name)
        if label in by_label:
            hits.add(by_label[label])
    full = sorted(pk for pk, hits in covered.items() if hits >= names)
    if not full:
        return None
    dataset = Dataset.objects.get(pk=full[0])
    return dataset, [row["label"] for row in items]


def system_grant_for_token(*, token: str, code: str) -> Grant | None:
    """In one query: the live grant on the published entry ``code`` of the registered system whose
    client-credentials access token this is — the token unexpired, the system active — or None.

    The exchange's fast path: the same conditions as the OAuth2 toolkit's token check, the identity validator's
    "a suspended system's tokens stop working" and ``live_grant``, read together, so revoking or expiring any of
    them is seen by the next call. A token issued to a person is not one (None: the full path handles it).

    Hand-written SQL rather than the ORM: the ORM's form (seven joined tables, every column of five models) cost
    more to compile and plan than the page itself. The token and system are a one-row subquery on the token's
    unique checksum, the grant query joins four tables, and only what the exchange reads is loaded (the rest of
    each instance is deferred, so a later read of it is a query, never a wrong value)."""
    with prepared.cursor() as cursor:
        digest = hashlib.sha256(token.encode()).hexdigest()
        cursor.execute(grant_for_token_sql(), grant_for_token_params(token_digest=digest, code=code))
        row = cursor.fetchone()
    if row is None:
        return None
    (pk, items, in_full, scope, unit_id, row_unit_id, app_id, dataset_id) = row[:8]
    (ds_code, version, key, app_name, unit_path, unit_name, row_unit_path, row_unit_name) = row[8:16]
    items = Grant._meta.get_field("items").from_db_value(items, None, connection)
    grant = _loaded(Grant, id=pk, items=items, personal_in_full=bool(in_full), row_scope=scope)
    grant.dataset = _loaded(
        Dataset, id=dataset_id, code=ds_code, version=version, declaration_key=key, status=EntryStatus.PUBLISHED
    )
    grant.application = _loaded(Grant._meta.get_field("application").related_model, id=app_id, name=app_name)
    grant.consumer_unit = _loaded(OrgUnit, id=unit_id, path=unit_path, name=unit_name)
    grant.row_unit = _loaded(OrgUnit, id=row_unit_id, path=row_unit_path, name=row_unit_name) if row_unit_id else None
    grant.user = None
    grant.fingerprint = row[16]
    return grant


def _loaded(model, **values):
    """An instance of ``model`` as the database gave it, with only ``values`` loaded (the rest deferred)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def grant_for_token_params(*, token_digest: str, code: str) -> list:
    """grant_for_token_sql's parameters: the entry, today, the token's digest (SHA-256, hex), now."""
    ops, today = connection.ops, timezone.localdate()
    return [
        code,
        EntryStatus.PUBLISHED,
        ops.adapt_datefield_value(today),
        ops.adapt_datefield_value(today),
        token_digest,
        ops.adapt_datetimefield_value(timezone.now()),
        RegisteredSystem.Status.ACTIVE,
    ]


def grant_for_token_sql() -> str:
    """The live grant of a token's system on an entry (one row or none). Its last column, ``fingerprint``, is a
    digest of every other one on PostgreSQL (NULL elsewhere): the exchange keeps it and compares it again inside a
    later call's page statement (exchange_warm), so any change to what the row says sends that call back here."""
    return _grant_for_token_sql(connection.vendor)


@functools.cache
def _grant_for_token_sql(vendor: str) -> str:
    fingerprint = (
        """md5(ROW(g.id, g.items, g.personal_in_full, g.row_scope, g.consumer_unit_id, g.row_unit_id,
                       g.application_id, g.dataset_id, d.code, d.version, d.declaration_key, a.name, cu.path, cu.name,
                       ru.path, ru.name)::text)"""
        if vendor == "postgresql"
        else "NULL"
    )
    t = {
        "grant": Grant._meta.db_table,
        "dataset": Dataset._meta.db_table,
        "app": Grant._meta.get_field("application").related_model._meta.db_table,
        "unit": OrgUnit._meta.db_table,
        "token": get_access_token_model()._meta.db_table,
        "system": RegisteredSystem._meta.db_table,
    }
    return f"""
        SELECT g.id, g.items, g.personal_in_full, g.row_scope, g.consumer_unit_id, g.row_unit_id, g.application_id,
               g.dataset_id, d.code, d.version, d.declaration_key, a.name, cu.path, cu.name, ru.path, ru.name,
               {fingerprint} AS fingerprint
        FROM "{t["grant"]}" g
        JOIN "{t["dataset"]}" d ON d.id = g.dataset_id
        JOIN "{t["app"]}" a ON a.id = g.application_id
        JOIN "{t["unit"]}" cu ON cu.id = g.consumer_unit_id
        LEFT JOIN "{t["unit"]}" ru ON ru.id = g.row_unit_id
        WHERE d.code = %s AND d.status = %s AND g.revoked_at IS NULL AND g.valid_from <= %s AND g.valid_to >= %s
          AND g.application_id = (
              SELECT tk.application_id FROM "{t["token"]}" tk
              JOIN "{t["system"]}" s ON s.application_id = tk.application_id
              WHERE tk.token_checksum = %s AND tk.expires > %s AND tk.user_id IS NULL AND s.status = %s)
        ORDER BY g.valid_from DESC, g.id DESC
        LIMIT 1
    """


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
    qs = scoping.scope(Dataset.objects.all(), user, roles=STEWARDS, unit_field="provider")
    return _zombies(qs, today or timezone.localdate())


def _zombies(qs: QuerySet, today: date) -> QuerySet:
    cutoff = rules.zombie_cutoff(today)
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


# The link check sorts (seq, hash, prev_hash) of every row: room for a million rows in memory (~200 MB), for
# this one query's transaction only; a longer trail spills to disk, as any sort does.
VERIFY_WORK_MEM = "256MB"


def _chain_holds_in_database() -> int | None:
    """PostgreSQL's fast path, in two scans. First every row's digest (sha256 in the database) against its stored
    hash: no order is needed, so the scan runs in parallel workers. Then each row's link and sequence against the
    row before it, over the three narrow columns only (a window in ``seq`` order). Returns the number of rows
    when the whole chain holds and the head agrees, else None (the Python walk then finds and names the first
    broken row). One query doing both had the database sort whole rows and hash them after the sort, in one
    process: three times slower."""
    table = TrailRecord._meta.db_table
    digests = f'SELECT count(*), count(*) FILTER (WHERE {chain_hash_sql()} <> hash) FROM "{table}"'
    links = f"""
        SELECT count(*) FILTER (WHERE prev_hash <> COALESCE(before_hash, repeat('0', 64))
                                   OR seq <> COALESCE(before_seq, 0) + 1)
        FROM (SELECT seq, prev_hash, lag(hash) OVER w AS before_hash, lag(seq) OVER w AS before_seq
              FROM "{table}" WINDOW w AS (ORDER BY seq)) AS chain
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{VERIFY_WORK_MEM}'")
        cursor.execute(digests)
        rows, broken = cursor.fetchone()
        if not broken:
            cursor.execute(links)
            (broken,) = cursor.fetchone()
    head = TrailHead.objects.filter(pk=1).first()
    if broken or (head is not None and head.seq != rows) or (head is None and rows):
        return None
    return rows


def verify_trail(*, chunk: int = 5000, in_database: bool = True) -> Verification:
    """Walk the chain in order; the first row whose sequence, link or hash does not hold is reported.

    On PostgreSQL the database first checks the whole chain (``in_database``); only a chain that does not hold
    is walked row by row here, to name the first broken row and why."""
    if in_database and connection.vendor == "postgresql":
        rows = _chain_holds_in_database()
        if rows is not None:
            return Verification(rows)
    fields = ("hash", "prev_hash", *TrailRecord.CHAINED)
    prev_hash, expected_seq, checked = "0" * 64, 1, 0
    rows = TrailRecord.objects.order_by("seq").values_list(*fields)
    for row in rows.iterator(chunk_size=chunk):
        values = dict(zip(fields, row, strict=True))
        seq = values["seq"]
        if seq != expected_seq:
            return Verification(
                checked,
                expected_seq,
                _("缺少第 %(expected_seq)s 条记录（已被删除）。") % {"expected_seq": expected_seq},
            )
        if values["prev_hash"] != prev_hash:
            return Verification(checked, seq, _("第 %(seq)s 条记录与前一条的链接不符。") % {"seq": seq})
        if isinstance(values["at"], datetime) and timezone.is_naive(values["at"]):
            values["at"] = timezone.make_aware(values["at"])
        if chain_hash(prev_hash, values) != values["hash"]:
            return Verification(checked, seq, _("第 %(seq)s 条记录的内容已被改动（摘要不符）。") % {"seq": seq})
        prev_hash, expected_seq, checked = values["hash"], seq + 1, checked + 1
    head = TrailHead.objects.filter(pk=1).first()
    if head is not None and head.seq != checked:
        return Verification(
            checked,
            checked + 1,
            _("链头记录到第 %(seq)s 条，实有 %(checked)s 条：末尾记录被删除。") % {"seq": head.seq, "checked": checked},
        )
    return Verification(checked)


def consumers_of(dataset: Dataset, user, *, limit: int | None = None) -> QuerySet:
    qs = grants_for(user).filter(dataset=dataset)
    return qs[:limit] if limit else qs


def grants_count_by_dataset(ids) -> dict[int, int]:
    return dict(
        Grant.objects.filter(dataset_id__in=ids, revoked_at__isnull=True)
        .values_list("dataset_id")
        .annotate(n=Count("pk"))
    )


def provider_unit(raw) -> OrgUnit | None:
    """The unit of the catalog's provider filter (its subtree's entries are listed), or None."""
    raw = str(raw or "")
    return OrgUnit.objects.filter(pk=raw if raw.isdecimal() and len(raw) < 18 else 0).first()


def providers() -> QuerySet:
    """Units that provide at least one entry (the provider filter; unit names are not personal data)."""
    return OrgUnit.objects.filter(pk__in=Dataset.objects.values("provider")).order_by("path")


def usage_rows_for(user, params=None) -> QuerySet:
    """用量: who pulled what, how much, when — one row per entry and consumer (unit, system or person) with its
    calls, refused calls, rows, bytes and first and last call, for successful and refused calls alike.

    A provider's data steward sees the consumers of the entries their stewardship covers as provider; the
    catalog administrators (the hub's stewards and bureau administrators at the root) therefore see all. A
    leader reads, for their units, both sides (read-only): the calls their units made, and the consumers of
    the entries their units provide — what the command center's exchange figures count.
    Filters: ``dataset`` (code), ``unit`` (consumer unit id, subtree), ``provider`` (the entry's provider
    unit id, subtree), ``since``/``until`` (dates). A call that named no entry (an unknown code, refused) is a
    row of its consumer: it counts among the unit's calls."""
    if not user or not user.is_authenticated:
        return TrailRecord.objects.none()
    params = params or {}
    qs = TrailRecord.objects.filter(kind=TrailRecord.Kind.CALL)
    if not user.is_superuser:
        stewarded = scoping.granted_paths(user, STEWARDS)
        led = scoping.granted_paths(user, (Role.LEADER,))
        provided = Dataset.objects.filter(scoping.subtree_q([*stewarded, *led], "provider"))
        qs = qs.filter(Q(dataset__in=provided.values("pk")) | scoping.subtree_q(led, "caller_unit"))
    else:
        qs = qs.filter(Q(dataset__isnull=False) | Q(caller_unit__isnull=False))
    provider = str(params.get("provider") or "")
    if provider:
        found = OrgUnit.objects.filter(pk=as_id(provider)).first()
        qs = qs.filter(scoping.subtree_q([found.path], "dataset__provider")) if found else qs.none()
    code = str(params.get("dataset") or "").strip()
    if code:
        qs = qs.filter(dataset_code=code[:64])
    unit = str(params.get("unit") or "")
    if unit:
        found = OrgUnit.objects.filter(pk=unit if unit.isdecimal() and len(unit) < 18 else 0).first()
        qs = qs.filter(scoping.subtree_q([found.path], "caller_unit")) if found else qs.none()
    since, until = as_date(params.get("since")), as_date(params.get("until"))
    if since:
        qs = qs.filter(at__gte=figures.local_midnight(since))
    if until:
        qs = qs.filter(at__lt=figures.local_midnight(until + timedelta(days=1)))
    # The consumer unit named with its agency (财政厅 › 办公室), read in the same query.
    qs = with_unit_parent_name(qs, "caller_unit", "caller_parent_name")
    return (
        qs.values(
            "dataset_id",
            "dataset_code",
            "caller_unit_id",
            "caller_unit__name",
            "caller_unit__level",
            "caller_parent_name",
            "caller_label",
        )
        .annotate(
            calls=Count("pk"),
            refused=Count("pk", filter=Q(status__gte=400)),
            rows_total=Sum("rows"),
            bytes_total=Sum("bytes"),
            first=Min("at"),
            last=Max("at"),
        )
        .order_by("dataset_code", "-rows_total", "caller_label")
    )


def monthly_sharing_figures(*, start: date, end: date, unit_ids=None) -> figures.MonthlyFigures:
    """``monthly_sharing_figure_queries`` read as {(unit, month): {key: value}}."""
    return figures.collect(monthly_sharing_figure_queries(start=start, end=end, unit_ids=unit_ids))


def monthly_sharing_figure_queries(*, start: date, end: date, unit_ids=None) -> figures.FigureQueries:
    """Per consumer unit and month in [start, end): exchange calls (``share_calls``), refused calls
    (``share_refused``) and rows received (``share_rows``); per provider unit: rows served (``share_served``).
    Read by the command center's roll-up. Two grouped queries over the trail's month partitions."""
    lo, hi = figures.local_midnight(start), figures.local_midnight(end)
    calls = TrailRecord.objects.filter(kind=TrailRecord.Kind.CALL, at__gte=lo, at__lt=hi)
    consumed = calls.filter(caller_unit__isnull=False)
    served = calls.filter(status__lt=400, dataset__isnull=False)
    if unit_ids is not None:
        consumed = consumed.filter(caller_unit_id__in=list(unit_ids))
        served = served.filter(dataset__provider_id__in=list(unit_ids))
    month = figures.month_trunc("at")
    return [
        figures.grouped(
            consumed,
            unit="caller_unit_id",
            month=month,
            share_calls=Count("pk"),
            share_refused=Count("pk", filter=Q(status__gte=400)),
            share_rows=Sum("rows"),
        ),
        figures.grouped(served, unit="dataset__provider_id", month=month, share_served=Sum("rows")),
    ]


def subtree_sharing(within: OrgUnit, *, today: date | None = None) -> dict[str, int]:
    """What the subtree shares through the hub today (the command center; unscoped: it checked the unit):
    its published catalog entries (``shared``) and, of them, its 僵尸目录 entries as ``zombies_for`` finds them
    (``zombies``); grants in force on its entries (``grants_given``) and to its consumers (``grants_received``).
    Two queries."""
    today = today or timezone.localdate()
    provided = Dataset.objects.filter(provider__path__startswith=within.path)
    entries = provided.aggregate(
        shared=Count("pk", filter=Q(status=EntryStatus.PUBLISHED)),
        zombies=Count("pk", filter=Q(pk__in=_zombies(provided, today).values("pk"))),
    )
    live = Grant.objects.filter(revoked_at__isnull=True, valid_from__lte=today, valid_to__gte=today)
    given = Q(dataset__provider__path__startswith=within.path)
    received = Q(consumer_unit__path__startswith=within.path)
    grants = live.filter(given | received).aggregate(
        given=Count("pk", filter=given), received=Count("pk", filter=received)
    )
    return {
        "shared": entries["shared"],
        "zombies": entries["zombies"],
        "grants_given": grants["given"],
        "grants_received": grants["received"],
    }
