"""Crawls signed in as production is with Redis: the session and the signed-in user (its unit, its grants) read
through datahub.auth.sessions and settings.USER_CACHE from a cache of the crawl's own.

The suite's way reads them from the tables, three queries a request: a quarter of a crawl's CPU and a third of its
server's. A crawl that pins no query count and writes nothing a session or a user is read from (or empties the
cache after a request that wrote, as the leak crawler does) meets the same rows either way. Sessions are not saved
on every request (the idle timeout): that write is no crawl's subject and would wake the leak crawler's tripwire.
"""

from contextlib import contextmanager

from django.core.cache import cache
from django.test import override_settings

SETTINGS = {
    "SESSION_SAVE_EVERY_REQUEST": False,
    "SESSION_ENGINE": "datahub.auth.sessions",
    "USER_CACHE": True,
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "crawl"}},
}


@contextmanager
def signed_in_as_production():
    """The block's requests read sessions and users through an empty cache of their own."""
    with override_settings(**SETTINGS):
        cache.clear()
        yield
