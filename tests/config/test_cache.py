"""The shared cache keeps one Redis client per pool and still reads and writes through it (runs where REDIS_URL
is set: the PostgreSQL + Redis run of .ci/run)."""

import os
import uuid

import pytest
import redis
from django.core.cache import caches

from datahub.rediscache import RedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis that REDIS_URL names")


def test_the_shared_cache_reuses_its_client_for_every_call():
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)


def test_what_the_shared_client_writes_is_what_redis_holds():
    cache = caches["default"]
    key = f"test-cache-{uuid.uuid4()}"
    cache.set(key, {"单位": "办公室"}, 30)
    assert cache.get(key) == {"单位": "办公室"}
    # A separate client on its own connection sees the row, under Django's versioned key.
    other = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert other.exists(cache.make_and_validate_key(key)) == 1
    cache.delete(key)
    assert cache.get(key) is None
    assert other.exists(cache.make_and_validate_key(key)) == 0
    other.close()
