"""A registered system's later exchange calls with the same token: the grant re-read inside the page's statement,
the rows' JSON written in Python, the trail row's commit flushed while the answer is built.

The first call of a token on an entry takes the exchange's fast path (``exchange_view._fast_answer``): the grant by
its own query (``selectors.system_grant_for_token``), then the page and its trail row. What that call learned
— the grant and its declaration, with the grant row's fingerprint (a digest of every column the query read) —
is kept here by the token's digest and the entry's code. A later call sends one statement that runs the same
grant query again, under all its conditions (token unexpired, system active, entry published, grant live and
still the one chosen), compares the fingerprint, and reads the page only if it is the same. Nothing is decided
from what is kept: a revoked or expired grant, a revoked or expired token, a suspended system, a withdrawn entry,
or any change to the grant's items, scope, units or names makes the fingerprint differ (or the query find
nothing), and the call goes back to the first call's path, which answers or refuses with the reason as before.

The page comes back as tuples (0.5 ms of the database's time for 1,000 rows, against 2.0–2.7 ms to write their
JSON there) and ``exchange_json.rows_writer`` writes the same bytes (through orjson). The trail row follows in a
second statement with the page's rows and bytes — the body's size counted before the body is written — so its
commit is flushed while the rows' JSON is written, the cursor signed, the ETag hashed and the response built;
the call is answered only once it is durable. PostgreSQL only; elsewhere (and for anything unusual) the call goes the first
call's way.
"""

import functools
import hashlib
import threading
import time
from collections import OrderedDict
from datetime import datetime
from operator import itemgetter, lt

import orjson
from django.core import signing
from django.db import connection
from django.http import HttpResponse
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError

from . import declarations, exchange, exchange_json, prepared, selectors, services

# Tokens (by digest) × entries kept; a token lives an hour or so, a worker sees few systems.
MAX_KNOWN = 2048
_known: "OrderedDict[tuple[str, str], tuple]" = OrderedDict()
_lock = threading.Lock()
# A page row as the statement gives it: the items, then the key, then whether the grant holds.
_KEY = itemgetter(-2)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def remember(token_digest: str, code: str, grant, decl) -> None:
    """Keep what a first call learned (``grant`` as system_grant_for_token read it, with its fingerprint)."""
    fingerprint = getattr(grant, "fingerprint", None)
    if fingerprint is None or connection.vendor != "postgresql":
        return
    with _lock:
        _known[(token_digest, code)] = (grant, decl, fingerprint)
        _known.move_to_end((token_digest, code))
        while len(_known) > MAX_KNOWN:
            _known.popitem(last=False)


def forget(token_digest: str, code: str) -> None:
    with _lock:
        _known.pop((token_digest, code), None)


def answer(request, code: str, token_digest: str, started: float):
    """The JSON answer of a later call, or None: then the caller takes the first call's path (nothing has been
    written, nothing is answered)."""
    known = _known.get((token_digest, code))
    if known is None:
        return None
    grant, decl, fingerprint = known
    if declarations.get(grant.dataset.declaration_key) is not decl:  # declared again since: learn it again
        forget(token_digest, code)
        return None
    dataset = grant.dataset
    try:
        facts, items, size, after, since, scope_path, masked = exchange.request_shape(request.GET, dataset, decl, grant)
    except (ValidationError, PermissionDenied, NotFound):
        return None  # the first call's path refuses it, with the reason, and records the refusal
    statement = _statement(decl, id(decl), tuple(items), masked, scope_path, since is not None, size)
    if statement is None:
        return None
    sql, template, at_after, at_since, write = statement
    page_params = list(template)
    page_params[at_after] = after
    if at_since is not None:
        page_params[at_since] = since
    with prepared.cursor() as cursor:
        cursor.execute(
            sql, [*selectors.grant_for_token_params(token_digest=token_digest, code=code), fingerprint, *page_params]
        )
        rows = cursor.fetchall()
    if not rows[0][-1]:  # the grant is not what it was (or there is none): the first call's path says why
        forget(token_digest, code)
        return None
    if rows[0][-2] is None:  # no row on this page
        rows = []
    more = len(rows) > size
    if more:
        del rows[size:]
    keys = list(map(_KEY, rows))
    if not all(map(lt, keys, keys[1:])):  # the statement's order is the page's; should a plan change it, sort
        rows.sort(key=_KEY)
        keys.sort()
    facts["rows"] = len(rows)
    prefix = _head_prefix(dataset.code, dataset.version, tuple(items))
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    caller = {"caller_app": grant.application, "dataset_code": code, "filter": request.META.get("QUERY_STRING", "")}
    committed = None
    lengths = exchange._cursor_lengths(dataset.code) if more else None
    results = None
    if if_none_match is None and (lengths is not None or not more):
        # A 200 whatever the ETag: the trail row goes first, with the exact size of the body still to be written
        # (the rows' JSON counted without writing it, where orjson writes every item; a next-page cursor's length
        # known from its key's digits), so its commit is flushed while the rows' JSON is written, the cursor
        # signed, the body joined, the ETag hashed and the response built.
        # Each row's trailing values, the key and ``ok`` (true on every row: the page is read only if it holds).
        tail = len(orjson.dumps(keys)) - 2 - (len(keys) - 1) + len(b"true") * len(keys)
        rows_size = write.size(rows, (2, tail))
        if rows_size is None:
            results = write(rows)
            rows_size = len(results)
        cursor_length = lengths[len(str(keys[-1])) - 1] if more else len(b"null")
        facts["size"] = len(prefix) + cursor_length + len(_RESULTS) + rows_size + 1
        committed = _append(started, status=200, **caller, **facts)
    try:
        if results is None:
            results = write(rows)
        cursor_json = b"null"
        if more:
            signed = signing.Signer(salt=exchange._cursor_salt(dataset.code)).sign_object({"after": keys[-1]})
            cursor_json = exchange._dumps(signed).encode()
        payload = b"".join((prefix, cursor_json, _RESULTS, results, b"}"))
        etag = f'"{hashlib.sha256(payload).hexdigest()[:32]}"'
        if committed is None:
            status = 304 if if_none_match == etag else 200
            if status == 200:
                facts["size"] = len(payload)
            committed = _append(started, status=status, **caller, **facts)
        if if_none_match == etag:
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(payload, content_type="application/json")
        response["ETag"] = etag
        response["Allow"] = exchange.ALLOW
        response["Vary"] = "Accept"
    except BaseException:
        if committed is not None:
            committed()
        raise
    # Answered only once the trail row is durable: here, or — a call on the middleware lane — by the lane once the
    # middleware has processed the response (datahub.middleware.BearerApiLaneMiddleware), so that the commit's
    # flush also overlaps that work.
    before_answer = getattr(request, "lane_before_answer", None)
    if before_answer is None:
        committed()
    else:
        before_answer(committed)
    return response


_RESULTS = b',"results":'


@functools.lru_cache(maxsize=1024)
def _head_prefix(code: str, version: int, items: tuple[str, ...]) -> bytes:
    """The body's head up to its cursor, as the first call's path writes it: the same for every page of a shape."""
    head = exchange._dumps({"dataset": code, "version": version, "items": list(items), "next_cursor": None})
    return head[: -len("null}")].encode()  # the head ends with "next_cursor":null}


def _append(started: float, **facts):
    return services.trail_append_overlapped(duration_ms=int((time.monotonic() - started) * 1000), **facts)


@functools.lru_cache(maxsize=512)
def _statement(decl, decl_id, items: tuple[str, ...], masked: tuple[int, ...], scope_path, with_since, size: int):
    """(SQL, page parameters with stand-ins, index of the key, index of the time, rows writer) for a page shape,
    or None when the stand-ins cannot be told apart in the compiled parameters or the ORM converts a value it
    reads (the rows are read here as the database gives them). The SQL: the grant query's
    fingerprint compared with the kept one (``ok``), then — only if it holds — the page's rows as tuples, the
    items, then the key, then ``ok``; one row of NULLs and ``ok`` when it does not hold or the page is empty. The page is the same ORM
    query as the other paths' (exchange._page_query), compiled once per shape (``decl_id``: see
    exchange._compiled_json_page)."""
    fields = decl.fields()
    columns = [decl.lookups()[i] for i in items]
    query = exchange._page_query(
        decl, scope_path, exchange._SINCE if with_since else None, exchange._AFTER, columns, size
    )
    compiler = query.query.get_compiler(using=query.db)
    inner, params = compiler.as_sql()
    if compiler.get_converters([expression for expression, _sql, _alias in compiler.select]):
        return None  # the ORM would convert a value (a JSON field …): the first call's path reads it through the ORM
    at_after = [n for n, p in enumerate(params) if type(p) is int and p == exchange._AFTER]
    at_since = [n for n, p in enumerate(params) if isinstance(p, datetime) and p == exchange._SINCE]
    if len(at_after) != 1 or len(at_since) != (1 if with_since else 0):
        return None
    names = ", ".join(f"c{n}" for n in range(len(items) + 1))
    # The items first, then the key and ``ok``: a row's first values are what rows_writer writes. The two LIMITs
    # (no-ops: one row; the page's own size + 1; never OFFSET) keep both sides subqueries of their own: ``k``
    # pulled up put its ``ok`` in two places (the grant query ran twice), and the page's side kept apart keeps
    # ``k.ok`` a one-time filter (no row read unless it holds), not a filter on each row read.
    selected = "".join(f"q.c{n}, " for n in range(1, len(items) + 1))
    sql = (
        f"SELECT {selected}q.c0, k.ok FROM (SELECT (SELECT x.fingerprint FROM ({selectors.grant_for_token_sql()}) AS x) = %s"
        f" AS ok LIMIT 1) AS k LEFT JOIN LATERAL (SELECT i.* FROM ({inner}) AS i({names}) WHERE k.ok LIMIT {int(size) + 1}) AS q ON true"
    )
    write = exchange_json.rows_writer([(item, fields[item], n in masked) for n, item in enumerate(items)])
    return sql, tuple(params), at_after[0], (at_since[0] if with_since else None), write
