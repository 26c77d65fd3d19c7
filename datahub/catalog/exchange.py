"""The exchange API: ``GET /api/exchange/v1/<entry code>/`` for registered systems (OAuth2 client-credentials
token) and for people holding a grant (API token or session).

Only the granted items and rows are returned, JSON (default) or CSV (``?format=csv``), in keyset pages (an
opaque signed cursor over the primary key, never OFFSET), with ``?changed_since=`` for incremental sync and
``ETag``/``If-None-Match``. A call without a live grant, or asking for items outside it, is a 403 with the
reason and nothing else (no row count). Every call, refused ones included, appends one trail row.
"""

import csv
import functools
import hashlib
import io
import json
import time
from datetime import UTC, datetime
from datetime import time as dtime

from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from .. import scoping
from . import exchange_json, rules, services
from .rules import RowScope

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
PARAMS = {"cursor", "page_size", "changed_since", "items", "format"}
# The Allow header DRF's full path sends; the fast path sends the same (a test compares the two paths).
ALLOW = "GET, HEAD, OPTIONS"


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out)
        items = data.get("items", []) if isinstance(data, dict) else []
        writer.writerow(items)
        for row in data.get("results", []) if isinstance(data, dict) else []:
            writer.writerow([row.get(i, "") for i in items])
        return out.getvalue().encode("utf-8")


class PersonOrSystem(BasePermission):
    """A signed-in person, or a registered system presenting a client-credentials access token."""

    message = _("请提供有效的访问令牌（系统）或登录后调用（人员）。")

    def has_permission(self, request, view):
        if getattr(request.auth, "application", None) is not None:
            return True
        return bool(request.user and request.user.is_authenticated)


def _cursor_salt(code: str) -> str:
    return f"datahub.exchange.cursor:{code}"


def _parse_changed_since(raw: str) -> datetime:
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            moment = datetime.combine(day, dtime.min) if day else None
    except ValueError:
        moment = None
    if moment is None or not 1900 <= moment.year <= 2100:
        raise ValidationError(
            {"changed_since": [_("变更时间格式应为 ISO 8601，如 2026-12-01 或 2026-12-01T08:00:00+08:00。")]}
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _page_size(raw) -> int:
    if raw in (None, ""):
        return DEFAULT_PAGE_SIZE
    raw = str(raw)
    if not (raw.isascii() and raw.isdecimal()) or not 1 <= int(raw[:6]) <= MAX_PAGE_SIZE or len(raw) > 6:
        raise ValidationError(
            {"page_size": [_("每页行数应为 1 到 %(MAX_PAGE_SIZE)s 之间的整数。") % {"MAX_PAGE_SIZE": MAX_PAGE_SIZE}]}
        )
    return int(raw)


EXCHANGE_PAGE = inline_serializer(
    name="ExchangePage",
    fields={
        "dataset": serializers.CharField(help_text=_("资源代码")),
        "version": serializers.IntegerField(help_text=_("目录版本")),
        "items": serializers.ListField(child=serializers.CharField(), help_text=_("返回的信息项")),
        "next_cursor": serializers.CharField(allow_null=True, help_text=_("下一页游标；没有下一页时为 null")),
        "results": serializers.ListField(child=serializers.DictField(), help_text=_("数据行，键为信息项")),
    },
)


# What grant.get_row_scope_display() gives, in the active language, without the model's choices lookup per call.
_ROW_SCOPES = dict(RowScope.choices)


def request_shape(params, dataset, decl, grant):
    """What a call asks of ``dataset`` under ``grant`` (live, checked by the caller): the trail's facts, the items
    (asked for or all granted), the page size, the cursor's key, the changed_since time, the granted subtree's
    path and the masked items' positions. A bad parameter or an item outside the grant raises, with the facts
    known so far, so the caller records the refusal."""
    facts = {
        "dataset": dataset,
        "caller_unit": grant.consumer_unit,
        "row_scope": str(_ROW_SCOPES.get(grant.row_scope, grant.row_scope))
        + (f"：{grant.row_unit.name}" if grant.row_unit else ""),
    }
    unknown = set(params) - PARAMS
    if unknown:
        raise _with(ValidationError({k: [_("不支持的查询参数。")] for k in sorted(unknown)}), facts)
    lookups = decl.lookups()
    wanted = [i.strip() for i in params.get("items", "").split(",") if i.strip()]
    if wanted:
        unknown_items = [i for i in wanted if i not in lookups]
        if unknown_items:
            raise _with(
                ValidationError({"items": [_("没有这些信息项：%(names)s。") % {"names": _("、").join(unknown_items)}]}),
                facts,
            )
        outside = [i for i in wanted if i not in grant.items]
        if outside:
            raise _with(
                PermissionDenied(_("这些信息项不在您的授权内：%(names)s。") % {"names": _("、").join(outside)}), facts
            )
    items = [i for i in (wanted or grant.items) if i in lookups]
    facts["items"] = items
    size = _page_size(params.get("page_size"))
    after = 0
    raw_cursor = params.get("cursor")
    if raw_cursor:
        try:
            after = int(signing.Signer(salt=_cursor_salt(dataset.code)).unsign_object(raw_cursor)["after"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise _with(ValidationError({"cursor": [_("游标无效，请使用上一页返回的 next_cursor。")]}), facts) from None
    since = None
    raw_since = params.get("changed_since")
    if raw_since:
        if not decl.changed_field:
            raise _with(ValidationError({"changed_since": [_("该资源不支持按变更时间增量获取。")]}), facts)
        since = _parse_changed_since(raw_since)
    scope_path = _scope_path(grant)
    personal = {item.key for item in decl.items if item.personal}
    masked = tuple(n for n, i in enumerate(items) if i in personal and not grant.personal_in_full)
    return facts, items, size, after, since, scope_path, masked


def page(params, if_none_match, dataset, decl, grant, *, as_json: bool = True, trail: dict | None = None):
    """One page of ``dataset`` under ``grant`` (live, checked by the caller): the items asked for (or all granted),
    the granted rows, keyset after the cursor. Returns the response and the trail's facts; a bad parameter or
    an item outside the grant raises (with the facts known so far), so the caller records the refusal.

    ``trail``: the caller's trail facts and its ``started`` monotonic time, for a page whose trail row the page's
    own statement may append (PostgreSQL, a JSON page built there, no If-None-Match); the facts returned then
    say ``appended``."""
    facts, items, size, after, since, scope_path, masked = request_shape(params, dataset, decl, grant)
    signer = signing.Signer(salt=_cursor_salt(dataset.code))
    head = {"dataset": dataset.code, "version": dataset.version, "items": items}
    row_sql = _row_sql(decl, tuple(items), masked) if as_json else None
    if row_sql is not None:
        # PostgreSQL writes the rows' JSON (exchange_json): Python wraps the one text value in the envelope.
        sql, sql_params = _json_page_statement(decl, tuple(items), masked, scope_path, since, after, size)
        lengths = _cursor_lengths(dataset.code) if trail is not None and if_none_match is None else None
        if lengths is not None:
            # Nothing to compare an ETag with: the answer is a 200 whatever the page holds, so the same statement
            # appends the trail row, with the rows and bytes of the page it reads.
            envelope = len(_dumps({**head, "next_cursor": None}).encode()) - len("null}") + len(',"results":[]}')
            started, caller = trail["started"], {k: v for k, v in trail.items() if k != "started"}
            count, last, results, committed = services.trail_append_with_page(
                page_sql=sql,
                page_params=sql_params,
                page_size=size,
                envelope=envelope,
                cursor_lengths=lengths,
                status=200,
                duration_ms=int((time.monotonic() - started) * 1000),
                **{**facts, **caller},
            )
            facts["appended"] = True
            try:
                # Built while PostgreSQL flushes the trail row's commit; answered only once it is durable.
                response = _json_answer(head, signer, count, last, results, size, if_none_match, facts)
            finally:
                committed()
            return response, facts
        count, last, results = exchange_json.fetch(sql, sql_params)
        return _json_answer(head, signer, count, last, results, size, if_none_match, facts), facts
    else:
        # Tuples, not dicts, from the database, zipped with the item names once: at 1,000 rows a page the
        # per-row dict building is a good part of the page's Python time.
        columns = [decl.lookups()[i] for i in items]
        fetched = list(_page_query(decl, scope_path, since, after, columns, size))
        more = len(fetched) > size
        fetched = fetched[:size]
        if masked:
            results = []
            for row in fetched:
                values = list(row[1:])
                for n in masked:
                    values[n] = rules.mask(values[n])
                results.append(dict(zip(items, values, strict=True)))
        else:
            results = [dict(zip(items, row[1:], strict=True)) for row in fetched]
        facts["rows"] = len(results)
        # Signed, not timestamped: the same page has the same cursor, so its ETag holds while the data does.
        head["next_cursor"] = signer.sign_object({"after": fetched[-1][0]}) if more else None
        body = {**head, "results": results}
        # The body is encoded once: the ETag, the trail's byte count and the JSON response share the bytes.
        payload = _dumps(body).encode()
    etag = f'"{hashlib.sha256(payload).hexdigest()[:32]}"'
    if if_none_match == etag:
        response = Response(status=304) if not as_json else HttpResponse(status=304)
    elif as_json:
        response = HttpResponse(payload, content_type="application/json")
        facts["size"] = len(payload)
    else:
        response = Response(body)
        facts["size"] = len(payload)
    response["ETag"] = etag
    return response, facts


def _json_answer(head: dict, signer, count: int, last, results: str | None, size: int, if_none_match, facts: dict):
    """The JSON response of a page whose rows' JSON the database wrote: ``count`` rows found (one more than
    ``size``: there is a next page, after key ``last``), ``results`` the rows' objects joined by commas."""
    facts["rows"] = min(count, size)
    # Signed, not timestamped: the same page has the same cursor, so its ETag holds while the data does.
    head["next_cursor"] = signer.sign_object({"after": last}) if count > size else None
    payload = (_dumps(head)[:-1] + ',"results":[' + (results or "") + "]}").encode()
    etag = f'"{hashlib.sha256(payload).hexdigest()[:32]}"'
    if if_none_match == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(payload, content_type="application/json")
        facts["size"] = len(payload)
    response["ETag"] = etag
    return response


@functools.lru_cache(maxsize=1024)
def _cursor_lengths(code: str) -> tuple[int, ...] | None:
    """The length in the JSON body of a next-page cursor of ``code``, by the digits of the key it carries (1 to
    19): the trail's byte count is computed by the statement that reads the page, before the cursor is signed.
    A signed value's length depends on its digits only; checked at both ends of each length."""
    signer = signing.Signer(salt=_cursor_salt(code))
    lengths = []
    for digits in range(1, 20):
        low, high = (
            len(_dumps({"c": signer.sign_object({"after": n})}).encode()) for n in (10 ** (digits - 1), 10**digits - 1)
        )
        if low != high:
            return None
        lengths.append(low - len('{"c":}'))
    return tuple(lengths)


def _dumps(body: dict) -> str:
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def _scope_path(grant) -> str | None:
    """The path of the subtree whose rows the grant gives (None: all rows)."""
    if grant.row_scope == RowScope.OWN:
        return grant.consumer_unit.path
    if grant.row_scope == RowScope.UNIT:
        return grant.row_unit.path
    return None


def _page_query(decl, scope_path: str | None, since: datetime | None, after: int, columns: list[str], size: int):
    """The page's rows: the declaration's, in the granted subtree, changed since ``since``, after the cursor's key,
    by key, ``size + 1`` of them (the extra one says there is a next page)."""
    rows = decl.rows()
    if scope_path is not None:
        rows = rows.filter(scoping.subtree_q([scope_path], decl.unit_field))
    if since is not None:
        rows = rows.filter(**{f"{decl.changed_field}__gt": since})
    return rows.filter(pk__gt=after).order_by("pk").values_list("pk", *columns)[: size + 1]


# Stand-ins for the cursor's key and the changed_since time while a page's statement is compiled once for its shape;
# found again among the compiled parameters (exactly once each, else the statement is compiled on every call).
_AFTER = -7_364_198_250_613_947
_SINCE = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


def _json_page_statement(decl, items: tuple[str, ...], masked: tuple[int, ...], scope_path, since, after, size):
    """exchange_json.page_sql's statement (and parameters) for this page. Building the ORM query and compiling
    it cost about as much Python time as the rest of the call; the SQL depends only on the page's shape (the
    declaration, the items, the masked ones, the row scope, whether changed_since is given, the size), so it is
    compiled once per shape and only the key and the time are put in on each call. A declaration's rows() is a
    fixed query (declarations.DatasetDeclaration.queryset), so its SQL and parameters do not change between calls."""
    compiled = _compiled_json_page(decl, id(decl), items, masked, scope_path, since is not None, size)
    if compiled is None:
        columns = [decl.lookups()[i] for i in items]
        query = _page_query(decl, scope_path, since, after, columns, size)
        return exchange_json.page_sql(query, _row_sql(decl, items, masked), len(items) + 1, size)
    sql, template, at_after, at_since = compiled
    params = list(template)
    params[at_after] = after
    if at_since is not None:
        params[at_since] = since
    return sql, params


@functools.lru_cache(maxsize=512)
def _compiled_json_page(decl, decl_id, items, masked, scope_path, with_since: bool, size: int):
    """(SQL, parameters with stand-ins, index of the key, index of the time) for a page shape, or None when the
    stand-ins cannot be told apart in the parameters. ``decl_id``: two declarations equal in their fields may still
    differ in their queryset, which the dataclass does not compare."""
    columns = [decl.lookups()[i] for i in items]
    query = _page_query(decl, scope_path, _SINCE if with_since else None, _AFTER, columns, size)
    sql, params = exchange_json.page_sql(query, _row_sql(decl, items, masked), len(items) + 1, size)
    at_after = [n for n, p in enumerate(params) if type(p) is int and p == _AFTER]
    at_since = [n for n, p in enumerate(params) if isinstance(p, datetime) and p == _SINCE]
    if len(at_after) != 1 or len(at_since) != (1 if with_since else 0):
        return None
    return sql, tuple(params), at_after[0], (at_since[0] if with_since else None)


@functools.lru_cache(maxsize=512)
def _row_sql(decl, items: tuple[str, ...], masked: tuple[int, ...]) -> str | None:
    """The SQL of a page row's JSON on PostgreSQL, or None (SQLite; a type the database cannot write as the
    encoder does): then the rows are fetched and encoded here. The same for every call of a shape: kept."""
    if connection.vendor != "postgresql":
        return None
    fields = decl.fields()
    return exchange_json.row_object_sql([(item, fields[item], n in masked) for n, item in enumerate(items)])


def _with(exc, facts: dict):
    exc.facts = dict(facts)
    return exc
