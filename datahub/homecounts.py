"""The home page's counts (queues, ledger health, section cards) kept in the shared cache for a few seconds.

The home page asks a dozen scoped counts (each one statement compiled once per scope shape, the apps' ``home.py``
and datahub.compiled.CountStatement; before, each was a queryset built and compiled for this person, about half of
the page's CPU), and people come back to it after every action. The counts of one person are kept together under
three version tokens and used only while all three are those they were stored with:

- the person's own token and the units' token of datahub.auth.usercache (a grant or a unit changed: the scope of
  every count changed);
- a data token replaced after any transaction that saved or deleted a row through the ORM (an approval, a
  dispatch, a new request, a new person: the next home page counts again), except the rows that requests and
  sign-ins write and no count reads (sessions, the audit trail, lockout attempts, history copies, last_login).

Rows written in bulk (``bulk_create``, ``QuerySet.update``, COPY: GPS ingest, imports, the nightly office check)
send no signal: they show on the home page within settings.HOME_COUNTS_SECONDS. Off (0) without a shared cache.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .auth import usercache

DATA_TOKEN = "homecounts:data"
# Written on (nearly) every request or sign-in and read by no count.
QUIET_APPS = frozenset({"sessions", "axes", "admin", "contenttypes", "django_celery_beat", "oauth2_provider"})
QUIET_MODELS = frozenset({"datahub.auditentry", "portal.notification"})


def seconds() -> int:
    return getattr(settings, "HOME_COUNTS_SECONDS", 0)


def _key(user) -> str:
    return f"homecounts:{user.pk}"


def read(user) -> dict | None:
    """The counts stored for ``user`` if still valid, else None (and the tokens to store the next ones under)."""
    if not seconds() or not user.is_authenticated:
        return None
    found = cache.get_many([_key(user), DATA_TOKEN])
    # The person's and the units' tokens as this request read them with the user (one round trip fewer), or anew.
    tokens = (*(usercache.tokens_of(user) or usercache.tokens(user.pk)), _data_token(found))
    user._homecounts_tokens = tokens  # read before the counts are made: see usercache on why
    entry = found.get(_key(user))
    return entry[1] if entry is not None and entry[0] == tokens else None


def write(user, counts: dict) -> None:
    tokens = getattr(user, "_homecounts_tokens", None)
    if tokens is not None:
        cache.set(_key(user), (tokens, counts), timeout=seconds())


def _data_token(found: dict) -> str:
    return usercache.token(DATA_TOKEN, found)


def _replace_data_token() -> None:
    usercache.replace_now(DATA_TOKEN)


def on_row_written(sender, using=None, update_fields=None, **kwargs) -> None:
    """post_save / post_delete of any model: once per writing transaction, after its commit, the counts go."""
    if not seconds() or update_fields == frozenset({"last_login"}):  # a sign-in changes no count
        return
    meta = sender._meta
    if meta.app_label in QUIET_APPS or meta.label_lower in QUIET_MODELS or meta.model_name.startswith("historical"):
        return
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(f is _replace_data_token for _sids, f, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_replace_data_token, using=using)
