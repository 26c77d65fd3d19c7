"""The nightly directory check, run through Celery.

Two ways on purpose: eager mode (the embedded default, no broker), and a real worker
consuming from Redis when REDIS_URL is set (CI sets it).
"""

import os

import pytest
from django.conf import settings

from config.celery import app
from datahub.models import DirectoryCheck, OrgUnit
from datahub.tasks import check_directory_consistency


def test_directory_check_in_eager_mode(people, tree, eager_celery):
    """Eager mode on purpose: this is how the platform runs without Redis."""
    OrgUnit.objects.filter(pk=tree.b.pk).update(staffing_quota=0)
    result = check_directory_consistency.delay().get()
    assert result["findings"] == 1
    assert DirectoryCheck.objects.get(pk=result["check_id"]).findings[0]["unit_id"] == tree.b.pk


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: a real Celery worker on Redis")
@pytest.mark.django_db(transaction=True)
def test_directory_check_through_a_real_worker_on_redis(tree):
    """A real worker (celery.contrib.testing) consumes the task from the Redis broker."""
    from celery.contrib.testing.worker import start_worker

    assert not settings.CELERY_TASK_ALWAYS_EAGER
    OrgUnit.objects.filter(pk=tree.a.pk).update(staffing_quota=0)
    from tests.factories import UserFactory

    UserFactory(org_unit=tree.a1)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = check_directory_consistency.delay().get(timeout=30)
    assert result["findings"] == 1
    assert DirectoryCheck.objects.filter(pk=result["check_id"]).exists()
