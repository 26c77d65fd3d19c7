"""Django's Redis cache backend with one ``redis.Redis`` client per connection pool, made once per process.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` around the same pool on every cache call,
and each one fills its ~170 response callbacks into a fresh case-insensitive dict: a signed-in page's two cache
reads (the session, the user) spent more CPU there than in the round trips (#17). A client holds no connection
of its own (it borrows one from the pool for each command), so one client per pool serves every thread.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientCacheClient
