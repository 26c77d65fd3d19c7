"""``/health/``: is this installation able to serve? For load balancers, systemd watchdogs and the smoke test.

Checks the database, the cache, the Celery broker and that at least one worker answers a ping (each
with a short timeout), and answers 200 when all pass, 503 otherwise, as JSON. It needs no sign-in, so
it says only ok/fail per check: no host names, versions, error texts or counts (those go to the log).
Without REDIS_URL tasks run eagerly in the web process, so broker and worker report "eager".
"""

import logging
import uuid

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK, FAIL, EAGER = "ok", "fail", "eager"
BROKER_CONNECT_RETRIES = 1


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return OK if cursor.fetchone() == (1,) else FAIL


def check_cache() -> str:
    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        return OK if cache.get(key) == value else FAIL
    finally:
        cache.delete(key)


def check_broker(app) -> str:
    if app.conf.task_always_eager:
        return EAGER
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=BROKER_CONNECT_RETRIES, timeout=2)
    return OK


def check_worker(app) -> str:
    if app.conf.task_always_eager:
        return EAGER
    # A ping is a broadcast: without a limit it waits out the whole timeout for more answers, so a healthy
    # installation answered no sooner than a broken one. The first answer is enough to say "a worker is up".
    return OK if app.control.ping(timeout=settings.HEALTH_WORKER_PING_TIMEOUT, limit=1) else FAIL


def run_checks(celery_app=None) -> dict[str, str]:
    """Every check's result by name; ``celery_app`` defaults to the platform's, which config/ makes current
    (datahub imports nothing of ours, config included)."""
    if celery_app is None:
        celery_app = current_app
    checks = {
        "database": check_database,
        "cache": check_cache,
        "broker": lambda: check_broker(celery_app),
        "worker": lambda: check_worker(celery_app),
    }
    results = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception:
            logger.exception("health check %s failed", name)
            results[name] = FAIL
        if name == "broker" and results[name] == FAIL:
            results["worker"] = FAIL  # no broker, no way to reach a worker: do not wait for the ping
            break
    return results


@never_cache
@require_GET
def health(request):
    checks = run_checks()
    healthy = all(result in (OK, EAGER) for result in checks.values())
    body = {"status": OK if healthy else FAIL, "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
