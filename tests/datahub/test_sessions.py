"""Sessions end after SESSION_COOKIE_AGE without a request, and a session in use is written at most once a minute."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from datahub.auth.middleware import RENEWED_KEY
from tests.factories import UserFactory

CACHED_DB = "django.contrib.sessions.backends.cached_db"
# cached_db, reading the session along with the signed-in user's cache entry (datahub/auth/sessions.py).
READ_ALONG = "datahub.auth.sessions"


def _expiry(client):
    return Session.objects.get(pk=client.session.session_key).expire_date


def test_clicking_through_pages_does_not_write_the_session_each_time(client, db):
    client.force_login(UserFactory())
    client.get(reverse("home"))
    renewed = _expiry(client)
    for _ in range(3):
        assert client.get(reverse("home")).status_code == 200
    assert _expiry(client) == renewed


def test_a_session_in_use_is_renewed_once_the_minute_has_passed(client, db):
    client.force_login(UserFactory())
    client.get(reverse("home"))
    session = client.session
    session[RENEWED_KEY] = session[RENEWED_KEY] - 61
    session.save()
    # Pretend the row was written 25 minutes ago, so a renewal shows as a later expiry.
    earlier = _expiry(client) - timedelta(minutes=25)
    Session.objects.filter(pk=session.session_key).update(expire_date=earlier)
    client.get(reverse("home"))
    assert _expiry(client) >= earlier + timedelta(minutes=24)
    assert client.session[RENEWED_KEY] > session[RENEWED_KEY]


def test_anonymous_visitors_get_no_session_row(client, db):
    client.get(reverse("login"))
    assert not Session.objects.exists()


@pytest.mark.parametrize("engine", ["django.contrib.sessions.backends.db", CACHED_DB, READ_ALONG])
def test_a_signed_out_session_is_gone_wherever_sessions_are_kept(client, db, settings, engine):
    from importlib import import_module

    settings.SESSION_ENGINE = engine
    client.force_login(UserFactory())
    key = client.session.session_key
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    # Read from the cache (cached_db, production with Redis): signing out empties it there too.
    assert import_module(engine).SessionStore(key).load() == {}
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    assert client.get(reverse("home")).status_code == 302


def test_production_reads_sessions_from_the_cache_only_when_the_cache_is_shared():
    import os

    from config import settings as production

    shared = bool(os.environ.get("REDIS_URL"))
    engine = getattr(production, "SESSION_ENGINE", "django.contrib.sessions.backends.db")  # Django's default
    assert (engine == READ_ALONG) is shared
