"""Settings for the test suite, fixed by the test configuration rather than by a developer's `.env`.

The suite runs the development shape of the settings (static files from the finders, no HTTPS
redirect); the production shape is checked on its own in tests/config/. DATABASE_URL and REDIS_URL
still come from the environment, so the same suite runs on SQLite and on PostgreSQL + Redis.
"""

import os

# Set before config.settings reads the environment; a value in `.env` does not override these.
os.environ["DEBUG"] = "1"
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from config.settings import *  # noqa: F403

# Passwords are hashed for real in production; in tests the slow hasher only costs time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Sessions from the table, as on SQLite, whatever REDIS_URL says: the suite pins query counts that include the
# session's read (production reads it from Redis when REDIS_URL is set; tests/datahub/test_sessions.py checks
# that engine on its own).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Likewise the signed-in user is read from the database on every request (the pins count its query);
# tests/datahub/auth/test_usercache.py turns the cache on.
USER_CACHE = False
HOME_COUNTS_SECONDS = 0
# The crawls ask for /health/ once per role on PostgreSQL + Redis, where no worker listens: each waited out the
# whole second. Tests that start a worker wait for it to answer first (tests/datahub/test_health.py).
HEALTH_WORKER_PING_TIMEOUT = 0.2
