"""The signed-in person, their unit and their role grants, read from the shared cache instead of two or three
queries on every request — and never a request late after a change.

Every page loads the same three things before its own content: the user row, the user's unit (the top bar) and the
role grants (the reader check, the navigation, the rows' scope). They change a few times a year per person and are
read on every click, so they are kept in the cache under the user's id, stamped with two version tokens:

- the person's own token, replaced whenever their user row or one of their grants is saved or deleted;
- one platform-wide token, replaced whenever any unit is saved, deleted or moved (a grant's reach is the unit's
  path and its ``is_active``; the top bar shows the unit's name).

A request reads the entry and both tokens in one cache round trip and uses the entry only if both tokens are those
it was stored with; otherwise it reads the database as before. Tokens are replaced after the writing transaction
commits, and an entry is stored with the tokens read *before* its rows were read, so an entry filled from a state
older than a change can never carry the token that follows the change: a revoked role stops working on the very
next request (tests/datahub/test_usercache.py). The session's password hash is checked on every request as
Django does, so a password change still signs the person's other sessions out.

Only with a cache every worker shares (``REDIS_URL``; settings.USER_CACHE): a per-process cache would keep a token
that another worker has replaced. Writes that bypass the model signals (``QuerySet.update``, ``bulk_create``,
``bulk_update``, ``_raw_delete``, raw SQL) on users, units or grants must call ``user_changed`` / ``units_changed``
themselves, in the same function (tests/config/test_usercache_writes.py fails otherwise). ``QuerySet.delete`` needs
nothing: with post_delete connected to them (datahub.apps), Django's Collector sends it per row on these models.
"""

import uuid

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import constant_time_compare

from ..memo import Bounded

# The sessions this cache serves: signed in through the model backend, whose get_user() is a row read by id.
CACHED_BACKEND = "django.contrib.auth.backends.ModelBackend"
UNITS_TOKEN = "usercache:units"
ENTRY_SECONDS = 10 * 60
# Session key → the user id its session held when this process last read it: the next request of that session
# reads the session and this user's keys in one round trip (datahub.auth.sessions), and uses them only if the
# session holds that id still. A session's key never passes to another person (Django makes a new key at every
# sign-in and sign-out), so a kept id is right or the session is gone.
_SESSION_USERS = Bounded(20_000)


def _user_token_key(user_id) -> str:
    return f"usercache:v:{user_id}"


def _entry_key(user_id) -> str:
    return f"usercache:u:{user_id}"


def enabled() -> bool:
    return getattr(settings, "USER_CACHE", False)


def _replace(key: str) -> None:
    # A new random token, never a counter: a token lost from the cache (restart, eviction) is re-made at random
    # too, so no entry stored before can match it again. Replaced now (this transaction's own later reads) and
    # again after the commit (an entry another request filled from the rows before the commit).
    replace_now(key)
    transaction.on_commit(lambda: replace_now(key))


def on_user_saved(sender, instance, **kwargs):
    """post_save / post_delete of the user model."""
    user_changed(instance.pk)


def on_grant_saved(sender, instance, **kwargs):
    """post_save / post_delete of a role grant (OrgUnitUserPermission)."""
    user_changed(instance.user_id)


def on_units_changed(sender, **kwargs):
    """post_save / post_delete of a unit, and org_unit_moved (a move rewrites the subtree's paths in one UPDATE)."""
    units_changed()


def user_changed(user_id) -> None:
    """After the commit, no cached entry of this person is used any more (their row or a grant changed)."""
    if enabled() and user_id is not None:
        _replace(_user_token_key(user_id))


def units_changed() -> None:
    """After the commit, no cached entry of anybody is used any more (a unit's name, path or state changed)."""
    if enabled():
        _replace(UNITS_TOKEN)


def token(key: str, found: dict | None = None) -> str:
    """The current token under ``key`` (``found``: what a get_many already read); a missing one is made anew."""
    value = found.get(key) if found is not None else cache.get(key)
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(key, value, timeout=None):  # another worker made it first: use theirs
            value = cache.get(key) or value
    return value


def tokens(user_id, found: dict | None = None) -> tuple[str, str]:
    """This person's token and the units' token (datahub.homecounts keys the home page's counts on them too)."""
    if found is None:
        found = cache.get_many([_user_token_key(user_id), UNITS_TOKEN])
    return token(_user_token_key(user_id), found), token(UNITS_TOKEN, found)


def replace_now(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, timeout=None)


def _session_verified(request, user) -> bool:
    session_hash = request.session.get(HASH_SESSION_KEY)
    return bool(session_hash) and constant_time_compare(session_hash, user.get_session_auth_hash())


def get_user(request):
    """``django.contrib.auth.get_user`` with the user, its unit and its grants from the cache when still valid."""
    from ..scoping import role_grants  # scoping imports the models; this module is imported by the middleware

    session = request.session
    hinted = _SESSION_USERS.get(session.session_key) if enabled() and session.session_key else None
    read_along = getattr(session, "load_with", None)
    prefetched = read_along(_keys(hinted)) if hinted is not None and read_along is not None else None
    user_id = session.get(auth.SESSION_KEY)
    if not enabled() or user_id is None or session.get(BACKEND_SESSION_KEY) != CACHED_BACKEND:
        return auth.get_user(request)
    keys = _keys(user_id)
    found = prefetched if prefetched is not None and hinted == user_id else cache.get_many(keys)
    if hinted != user_id:
        _SESSION_USERS.keep(session.session_key, user_id)
    entry = found.get(keys[0])
    user_token, units_token = tokens(user_id, found)
    if entry is not None and entry[0] == user_token and entry[1] == units_token:
        user, grants = entry[2], entry[3]
        # As Django's get_user: an inactive account is signed out, and the session must carry the current
        # password's hash (anything else, e.g. a key fallback, takes Django's own path).
        if user.is_active and _session_verified(request, user):
            user._role_grants = grants
            user._cache_tokens = (user_token, units_token)
            return user
    user = auth.get_user(request)
    if not user.is_authenticated:
        return user
    if user.org_unit_id:
        user.org_unit  # noqa: B018  (read now, so the entry carries it: the top bar shows it on every page)
    snapshot = {k: v for k, v in user.__dict__.items() if not k.startswith("_") or k == "_state"}
    grants = role_grants(user)
    stored = user.__class__.__new__(user.__class__)
    stored.__dict__.update(snapshot)
    cache.set(keys[0], (user_token, units_token, stored, grants), timeout=ENTRY_SECONDS)
    user._cache_tokens = (user_token, units_token)
    return user


def _keys(user_id) -> list[str]:
    return [_entry_key(user_id), _user_token_key(user_id), UNITS_TOKEN]


def tokens_of(user) -> tuple[str, str] | None:
    """The person's and the units' tokens this request read before the user's rows (None without the cache,
    or for a user not loaded through it). What is derived from the user's grants and the units alone can be
    kept under them: it is never used again once either is replaced (datahub.pages keeps unit filters so)."""
    return getattr(user, "_cache_tokens", None)
