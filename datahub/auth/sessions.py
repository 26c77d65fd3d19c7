"""The session engine with Redis (settings.SESSION_ENGINE when REDIS_URL is set): Django's cached_db, whose session
can be read in the same cache round trip as other keys.

Every signed-in request reads its session and then the user's entry (datahub.auth.usercache) from the cache: two
round trips, the second waiting on the first for the user's id. ``load_with`` reads the session and the keys given
in one ``get_many``; usercache names the keys of the user the session held the last time this process saw it, and
checks the session's own user id before using them (#17). Everything else is cached_db's: writes go to the table
and the cache, a session missing from the cache is read from the table, sign-out deletes both.
"""

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.core.cache import DEFAULT_CACHE_ALIAS, caches


class SessionStore(CachedDBStore):
    def load_with(self, keys: list[str]) -> dict:
        """Load the session (as ``load`` would, unless it is loaded already) and read ``keys`` of the default cache,
        in one round trip when the sessions are kept there too; returns what was found of ``keys``."""
        shared = settings.SESSION_CACHE_ALIAS == DEFAULT_CACHE_ALIAS
        if hasattr(self, "_session_cache") or not self.session_key or not shared:
            self._get_session()
            return caches[DEFAULT_CACHE_ALIAS].get_many(keys)
        session_key = self.cache_key
        try:
            found = self._cache.get_many([session_key, *keys])
        except Exception:  # as cached_db's load: a key the backend refuses reads as a miss
            found = {}
        data = found.pop(session_key, None)
        # Missing from the cache (evicted, or never there): cached_db's own way, from the table, refilling the cache.
        self._session_cache = data if data is not None else self.load()
        self.accessed = True
        return found
