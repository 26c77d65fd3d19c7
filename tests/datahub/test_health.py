"""``/health/``: database, cache, broker and a live worker; 200 or 503, JSON, no sign-in, nothing sensitive."""

import os
import time

import pytest
from django.urls import reverse

from config.celery import app
from datahub.health import run_checks


def needs_redis(test):
    test = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: a real broker")(test)
    return pytest.mark.redis(pytest.mark.django_db(transaction=True)(test))


def test_health_answers_anonymously_in_eager_mode(client, db, eager_celery):
    """Eager mode on purpose: the embedded default has no broker or worker to ask."""
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "eager", "worker": "eager"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_reveals_only_ok_or_fail(client, db, settings, eager_celery):
    """Eager mode on purpose. A cache that cannot be reached: 503, and the body names no host or error."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "fail"
    assert response.json()["status"] == "fail"
    body = response.content.decode()
    assert "127.0.0.1" not in body and "Error" not in body and "redis" not in body


def test_health_is_read_only(client, db, eager_celery):
    assert client.post(reverse("health")).status_code == 405


def wait_until_listening(celery_app, seconds=30):
    """A started worker subscribes to the broadcasts a moment later, and a ping sent before is lost (Redis
    publishes it to whoever listens then): wait until it answers, as a load balancer's next probe would."""
    deadline = time.monotonic() + seconds
    while not celery_app.control.ping(timeout=0.5, limit=1):
        assert time.monotonic() < deadline, "the worker never answered a ping"


@needs_redis
def test_health_sees_a_live_worker_on_redis(client, settings):
    """A real worker (celery.contrib.testing) answers the ping through the Redis broker, and its answer ends the
    wait: with a 30-second timeout the page still answers at once (a broadcast ping without a limit waits it out)."""
    from celery.contrib.testing.worker import start_worker

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        wait_until_listening(app)
        settings.HEALTH_WORKER_PING_TIMEOUT = 30
        started = time.monotonic()
        response = client.get(reverse("health"))
        answered_in = time.monotonic() - started
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok", "worker": "ok"}
    assert answered_in < 15


@needs_redis
def test_health_fails_when_no_worker_answers():
    """Against the real Redis broker, in a key namespace of its own where no worker listens (so that a
    worker another test runs meanwhile cannot answer): the worker check fails after the short timeout."""
    from celery import Celery

    lonely = Celery("health-test", broker=os.environ["REDIS_URL"], set_as_current=False)
    lonely.conf.broker_transport_options = {"global_keyprefix": "health-test-no-worker:"}
    results = run_checks(celery_app=lonely)
    assert results == {"database": "ok", "cache": "ok", "broker": "ok", "worker": "fail"}


def test_health_fails_when_the_broker_is_down(db):
    """A broker that refuses connections (nothing listens on port 1): broker and worker fail at once."""
    from celery import Celery

    gone = Celery("health-test", broker="redis://127.0.0.1:1/0", set_as_current=False)
    results = run_checks(celery_app=gone)
    assert results == {"database": "ok", "cache": "ok", "broker": "fail", "worker": "fail"}
