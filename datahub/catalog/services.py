"""Every write of the catalog: publishing declared datasets, registering external ones, grants, revocation,
and the access trail. Keyword-only, one transaction each; a broken rule raises ValidationError (field →
Chinese message) or PermissionDenied and writes nothing."""

import dataclasses
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .. import keyed, scoping
from .. import partitions as shared_partitions
from ..keyed import Keyed, Names
from ..models import OrgUnit
from ..roles import Role
from . import declarations, pipelined, prepared, rules, selectors
from .models import (
    APPEND_COLUMNS,
    CALLER_ANONYMOUS,
    CALLER_PERSON,
    CALLER_SYSTEM,
    PAGE_COMPUTED,
    Dataset,
    DatasetItem,
    DatasetVersion,
    Grant,
    TrailHead,
    TrailRecord,
    append_flag_sql,
    append_sql,
    append_with_page_sql,
    chain_hash,
)
from .rules import EntryStatus, RowScope

STEWARDS = (Role.DATA_STEWARD, Role.BUREAU_ADMIN)


def _hub_unit() -> OrgUnit | None:
    """The unit that provides the domains' own datasets: the root of the directory (the bureau's region)."""
    return OrgUnit.objects.get_root_nodes().first()


def _replace_items(dataset: Dataset, rows: list[dict]) -> None:
    dataset.items.all().delete()
    DatasetItem.objects.bulk_create(
        DatasetItem(
            dataset=dataset,
            position=i,
            **{k: row[k] for k in ("name", "label", "data_type", "personal")},
            description=row.get("description", ""),
        )
        for i, row in enumerate(rows)
    )


def _version_note(old: list[dict], new: list[dict]) -> Keyed:
    """What changed between two versions' items, as a message read in the reader's language (the items'
    labels are data, listed the reader's way)."""
    before, after = {r["name"]: r for r in old}, {r["name"]: r for r in new}
    parts = []
    added = [after[n]["label"] for n in after if n not in before]
    removed = [before[n]["label"] for n in before if n not in after]
    changed = [after[n]["label"] for n in after if n in before and before[n] != after[n]]
    if added:
        parts.append(Keyed(gettext_noop("新增信息项：%(names)s"), {"names": Names(added)}))
    if removed:
        parts.append(Keyed(gettext_noop("删除信息项：%(names)s"), {"names": Names(removed)}))
    if changed:
        parts.append(Keyed(gettext_noop("信息项属性变化：%(names)s"), {"names": Names(changed)}))
    return Keyed(gettext_noop("%(parts)s"), {"parts": parts}) if parts else Keyed(gettext_noop("信息项未变"))


@transaction.atomic
def catalog_sync(*, today: date | None = None) -> list[Dataset]:
    """Publish every declared dataset (一数一源: the catalog is derived from the domains' declarations, never typed).

    A new declaration becomes a published entry at version 1; a declaration whose items changed (a declared
    field added, removed, or its type changed) bumps the entry's version and records what changed. The
    metadata a domain declares (name, summary, share attributes) follows the declaration. Nothing happens
    before the directory has a root unit (the provider)."""
    provider = _hub_unit()
    if provider is None:
        return []
    today = today or timezone.localdate()
    synced = []
    for decl in declarations.all_declared():
        items = decl.item_rows()
        meta = {
            "code": decl.code,
            "name": decl.name,
            "summary": decl.summary,
            "format": decl.format,
            "share_type": decl.share_type,
            "share_condition": decl.share_condition,
            "share_method": decl.share_method,
            "legal_basis": decl.legal_basis,
            "open_attr": decl.open_attr,
            "update_cycle": decl.update_cycle,
            "related_codes": decl.related_codes,
        }
        dataset = Dataset.objects.select_for_update().filter(declaration_key=decl.key).first()
        if dataset is None:
            dataset = Dataset(
                declaration_key=decl.key, provider=provider, status=EntryStatus.PUBLISHED, published_on=today, **meta
            )
            dataset.full_clean()
            dataset.save()
            _replace_items(dataset, items)
            DatasetVersion.objects.create(
                dataset=dataset, version=1, items=items, **keyed.columns("note", Keyed(gettext_noop("首次发布")), 500)
            )
            synced.append(dataset)
            continue
        latest = dataset.versions.order_by("-version").first()
        old_items = latest.items if latest else []
        changed_meta = any(getattr(dataset, k) != v for k, v in meta.items())
        if old_items != items:
            dataset.version += 1
            _replace_items(dataset, items)
            DatasetVersion.objects.create(
                dataset=dataset,
                version=dataset.version,
                items=items,
                **keyed.columns("note", _version_note(old_items, items), 500),
            )
        if old_items != items or changed_meta:
            for k, v in meta.items():
                setattr(dataset, k, v)
            dataset.full_clean()
            dataset.save()
            synced.append(dataset)
    return synced


@transaction.atomic
def dataset_register_external(*, actor, provider: OrgUnit, items_text: str, **fields) -> Dataset:
    """A unit's data steward registers an external dataset (a file or an outside API) with the same metadata;
    only for a unit their role covers. 不予共享 needs its legal basis, 有条件共享 its condition."""
    if not scoping.covers(actor, provider, roles=STEWARDS):
        raise PermissionDenied(_("只有提供方的数据管理员可以登记该单位的信息资源。"))
    items = rules.parse_items(items_text)
    held = selectors.published_entry_holding(items)
    if held is not None:
        entry, labels = held
        raise ValidationError(
            {
                "items_text": _(
                    "这些信息项已由目录中的“%(code)s %(name)s”提供（%(names)s）：可以从平台获取的数据不再重复登记，请直接申请共享该资源。"
                )
                % {"code": entry.code, "name": entry.name, "names": _("、").join(labels)}
            }
        )
    problem = rules.share_problem(
        fields.get("share_type", ""), fields.get("legal_basis", ""), fields.get("share_condition", "")
    )
    if problem:
        field = "legal_basis" if fields.get("share_type") == rules.ShareType.NOT_SHARED else "share_condition"
        raise ValidationError({field: problem})
    dataset = Dataset(provider=provider, status=EntryStatus.PUBLISHED, published_on=timezone.localdate(), **fields)
    dataset.full_clean()
    dataset.save()
    _replace_items(dataset, items)
    DatasetVersion.objects.create(
        dataset=dataset, version=1, items=items, **keyed.columns("note", Keyed(gettext_noop("作为外部资源登记")), 500)
    )
    return dataset


@transaction.atomic
def grant_create(
    *,
    actor,
    dataset: Dataset,
    consumer_unit: OrgUnit,
    items: list[str],
    valid_from: date,
    valid_to: date,
    user=None,
    application=None,
    row_scope: str = RowScope.OWN,
    row_unit: OrgUnit | None = None,
    personal_in_full: bool = False,
    purpose: str = "",
    ticket_id: int | None = None,
) -> Grant:
    """The result of an approved access request: only a published, shareable entry; only items it has; a
    consumer that is one person or one system; a period that ends."""
    if not rules.requestable(dataset.share_type, dataset.status):
        raise ValidationError(
            {
                "dataset": _("“%(name)s”为%(share_type)s或未发布，不能授权。")
                % {"name": dataset.name, "share_type": dataset.get_share_type_display()}
            }
        )
    known = set(dataset.items.values_list("name", flat=True))
    unknown = [i for i in items if i not in known]
    if unknown or not items:
        raise ValidationError(
            {
                "items": _("信息项不属于该资源：%(names)s") % {"names": _("、").join(unknown)}
                if unknown
                else _("至少选择一个信息项。")
            }
        )
    grant = Grant(
        dataset=dataset,
        consumer_unit=consumer_unit,
        user=user,
        application=application,
        items=list(dict.fromkeys(items)),
        personal_in_full=personal_in_full,
        row_scope=row_scope,
        row_unit=row_unit if row_scope == RowScope.UNIT else None,
        valid_from=valid_from,
        valid_to=valid_to,
        approved_by=actor,
        purpose=purpose,
        ticket_id=ticket_id,
    )
    grant.full_clean()
    grant.save()
    return grant


@transaction.atomic
def grant_revoke(*, actor, grant: Grant, reason: str) -> Grant:
    """The provider's steward (or a bureau administrator over the provider) revokes a grant; it takes effect on
    the next call. A reason is required."""
    if not scoping.covers(actor, grant.dataset.provider, roles=STEWARDS) and not scoping.covers(
        actor, grant.consumer_unit, roles=STEWARDS
    ):
        raise PermissionDenied(_("您没有撤销该授权的权限。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("撤销授权必须填写原因。")})
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise ValidationError({"reason": _("该授权已撤销。")})
    grant.revoked_at, grant.revoked_by, grant.revoke_reason = timezone.now(), actor, reason.strip()[:300]
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return grant


def trail_append(**facts) -> TrailRecord:
    """Append one row to the access trail, chained to the previous one. The head row is locked, so concurrent
    calls line up and each chains to exactly one predecessor. On PostgreSQL one statement does it (the database
    computes the digest, as verify_trail's fast path does); elsewhere one transaction here."""
    values = trail_values(**facts)
    if connection.vendor == "postgresql":
        return _append_in_one_statement(values)
    return _append_here(values)


def trail_append_overlapped(**facts):
    """Append a call's trail row as trail_append does, its commit flushed while the caller builds its answer:
    returns ``committed``, which the caller must call before it answers — it returns once the row is durable and
    raises if it is not (catalog.pipelined). Elsewhere than PostgreSQL the row is appended and committed here."""
    values = trail_values(**facts)
    if connection.vendor != "postgresql":
        _append_here(values)
        return pipelined.done
    # Sent without waiting for its answer: the statement runs and its commit is flushed while the caller builds
    # its answer, and committed() waits once for both.
    finish = pipelined.send(append_flag_sql(), [values[name] for name in APPEND_COLUMNS])

    def committed() -> None:
        (appended,) = finish()
        if not appended:  # no head yet (a fresh database): make it, then append
            _append_in_one_statement(values)

    return committed


def trail_append_with_page(*, page_sql: str, page_params, page_size: int, envelope: int, cursor_lengths, **facts):
    """Read an exchange page and append its call's trail row in one PostgreSQL statement (models.
    append_with_page_sql): the row's rows, bytes and duration are taken from the page the statement reads, so the
    trail records what was sent. ``facts`` as for trail_append, ``duration_ms`` being the time before the
    statement; ``page_size`` rows a page. Returns the page's (rows found, last key, rows' JSON) and ``committed``:
    the page comes back while the row's commit is still being flushed to disk (pipelined), and the caller must
    call ``committed()`` before it answers — it returns once the row is durable, and raises if it is not."""
    values = trail_values(**facts)
    params = [*page_params, *(values[name] for name in APPEND_COLUMNS if name not in PAGE_COMPUTED)]
    params += [envelope, list(cursor_lengths), values["duration_ms"]]
    (count, last, body, appended), committed = pipelined.execute(append_with_page_sql(page_sql, page_size), params)
    if not appended:  # no head yet (a fresh database): make it, then append the page's row on its own
        committed()
        committed = pipelined.done
        TrailHead.objects.get_or_create(pk=1)
        more = count > page_size
        body_bytes = len(body.encode()) if body else 0
        values.update(
            rows=min(count, page_size),
            bytes=envelope + body_bytes + (cursor_lengths[len(str(last)) - 1] if more else 4),
        )
        _append_in_one_statement(values)
    return count, last, body, committed


def trail_values(
    *,
    kind: str = TrailRecord.Kind.CALL,
    caller_user=None,
    caller_app=None,
    caller_unit=None,
    dataset: Dataset | None = None,
    dataset_code: str = "",
    items=(),
    row_scope: str = "",
    filter: str = "",
    rows: int = 0,
    size: int = 0,
    status: int,
    duration_ms: int = 0,
) -> dict:
    """The chained columns of a trail row (all but seq) for a call's facts."""
    if caller_app is not None:
        label = f"{CALLER_SYSTEM}{caller_app.name}"
    elif caller_user is not None and caller_user.is_authenticated:
        label = f"{CALLER_PERSON}{caller_user.username}"
    else:
        label = CALLER_ANONYMOUS
    return {
        "at": timezone.now(),
        "kind": kind,
        "caller_user_id": caller_user.pk if caller_user is not None and caller_user.is_authenticated else None,
        "caller_app_id": caller_app.pk if caller_app is not None else None,
        "caller_label": label[:200],
        "caller_unit_id": caller_unit.pk if caller_unit is not None else None,
        "dataset_id": dataset.pk if dataset is not None else None,
        "dataset_code": (dataset.code if dataset is not None else dataset_code)[:64],
        "items": ",".join(items)[:1000],
        "row_scope": row_scope[:100],
        "filter": filter[:500],
        "rows": rows,
        "bytes": size,
        "status": status,
        "duration_ms": duration_ms,
    }


def _append_in_one_statement(values: dict) -> TrailRecord:
    sql, params = append_sql(), [values[name] for name in APPEND_COLUMNS]
    with prepared.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:  # no head yet (a fresh database): make it, then append
            TrailHead.objects.get_or_create(pk=1)
            cursor.execute(sql, params)
            row = cursor.fetchone()
    pk, seq, prev_hash, digest = row
    record = TrailRecord(pk=pk, seq=seq, prev_hash=prev_hash, hash=digest, **values)
    record._state.adding, record._state.db = False, connection.alias
    return record


@transaction.atomic
def _append_here(values: dict) -> TrailRecord:
    head, _ = TrailHead.objects.select_for_update().get_or_create(pk=1)
    values = {"seq": head.seq + 1, **values}
    digest = chain_hash(head.hash, values)
    record = TrailRecord.objects.create(prev_hash=head.hash, hash=digest, **values)
    TrailHead.objects.filter(pk=1).update(seq=record.seq, hash=digest, prev_hash=head.hash)
    return record


def trail_partitions_ensure(*, today: date | None = None, months_ahead: int = 3) -> list[str]:
    """On PostgreSQL, create the access trail's monthly partitions from this month to ``months_ahead`` ahead
    (idempotent; run daily by beat). A month whose rows already fell into the DEFAULT partition is left there
    and reported by its absence: its partition cannot be created over rows that would move. Not atomic on
    purpose: each CREATE TABLE commits on its own, so one refused month does not undo the others."""
    trail = dataclasses.replace(shared_partitions.TRAIL, ahead=months_ahead)
    return trail.ensure(today or timezone.localdate())
