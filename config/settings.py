"""Settings for the 一网协同 platform.

Everything that differs between a laptop, CI and production comes from the
environment (django-environ); a `.env` file next to manage.py is read if present
(`make` writes one with a development key on first use). The embedded default is
SQLite with Celery running tasks eagerly; set DATABASE_URL and REDIS_URL for
PostgreSQL and a real Celery broker.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (production) or run `make` "
            "once to write a development .env."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "treebeard",
    "simple_history",
    "axes",
    "csp",
    "oauth2_provider",
    "datahub",
    "portal",
    "officespace",
    "assets",
    "vehicles",
    "telematics",
    "assetpool",
    "stocktake",
    "energy",
    "assessment",
    "datasharing",
    "commandcenter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A bearer-token API call with a lane of its own (the exchange) skips the session-based middleware below.
    "datahub.middleware.BearerApiLaneMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside the session middleware, so the stamp it writes is saved on the way out.
    "datahub.auth.middleware.IdleSessionMiddleware",
    "datahub.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads the input: a NUL in a path, query or form field is a 400 everywhere.
    "datahub.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the signed-in user, its unit and its grants from the shared cache (datahub/auth/usercache.py).
    "datahub.auth.middleware.CachedAuthenticationMiddleware",
    "datahub.auth.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the settings' policies built once (datahub/middleware.py).
    "datahub.middleware.SettingsCSPMiddleware",
    # Inside the CSP middleware, so the pages it renders carry the same policy.
    "datahub.middleware.PlatformErrorPagesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves collected static files itself; runserver does it in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "datahub.context_processors.navigation",
                "portal.context_processors.notifications",
            ],
            # The platform's number filters (money, area, qty, pct, time_limit, unit_path) in every template.
            "builtins": ["datahub.templatetags.yw_format"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Concurrent readers while a writer works, as a small office server needs.
            "init_command": "PRAGMA journal_mode=WAL;",
            # A transaction takes the write lock when it begins, so a second writer waits for it (up to
            # `timeout` seconds) instead of failing with "database is locked" when it upgrades a read to a
            # write half-way through (SQLite cannot wait at that point).
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Statements run through a server-binding cursor (datahub.catalog.prepared: the exchange's grant, page and
    # trail statements) are prepared on their 5th run on a connection, and PostgreSQL reuses the plan. Django's
    # own cursors bind on the client and never prepare. Off (DB_PREPARED_STATEMENTS=0) behind a pooler in
    # transaction mode, where a prepared statement does not outlive the transaction's server connection.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        5 if env.bool("DB_PREPARED_STATEMENTS", default=True) else None
    )
# A read replica (streaming replication of the primary) for the command center's pages and the lists: their
# reads go there (config.routers, datahub.replica); unset, everything reads the primary. Tests mirror it.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "datahub.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request; a session in use is renewed at most once a minute
# (datahub.auth.middleware.IdleSessionMiddleware), not written back on every request.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Credentials (等保 2.0 level 3, 身份鉴别; rules in datahub/auth/) -----------------------
# Password hashing: Argon2id sized for 2 cores (config/hashers.py; figures from bench/bench_hashing.py).
# Hashes written by the hashers below still verify and are rewritten with the first one at the next sign-in.
PASSWORD_HASHERS = [
    "config.hashers.SizedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Passwords: ≥ 10 characters from ≥ 3 of upper/lower/digit/special, none of the last
# PASSWORD_HISTORY_COUNT reused, changed every PASSWORD_MAX_AGE_DAYS (0 turns expiry off).
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=5)
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "datahub.auth.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "datahub.auth.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "datahub.auth.validators.PasswordHistoryValidator"},
]
# API tokens end after this many hours; each sign-in issues a new one.
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=8)
# Lockout (django-axes), pages and API alike: AXES_FAILURE_LIMIT wrong passwords for one user
# name from one address lock that name there; AXES_IP_FAILURE_LIMIT failures from one address
# across any names (password spraying) lock the address. Order matters to datahub.auth.lockout.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "datahub.auth.lockout.AxesHandler"
# Behind a reverse proxy every request comes from the proxy: count the address it saw instead
# (how many proxies append to X-Forwarded-For; 0 = clients connect directly).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "datahub.auth.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
# Failed sign-ins and reads of personal data are kept in datahub's own append-only audit trail for this many
# days (等保 2.0: at least six months; the code never keeps less than 183 days, whatever is set here).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)

# A 职级 without the matching 职务 does not raise the office-area standard (the standard is keyed to
# 职务; 《公务员职务与职级并行规定》) unless the province decided otherwise (REFERENCE §7.2 ❓): then set
# this and the 职级 rows of the rank mapping count. Every over-standard result records which one it used.
OFFICESPACE_RANK_RAISES_STANDARD = env.bool("OFFICESPACE_RANK_RAISES_STANDARD", default=False)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))  # collectstatic writes here
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))

# --- Redis: Celery broker and the shared cache when REDIS_URL is set -------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "datahub.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="yiwang"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# With Redis, a request reads its session from the shared cache (a read from the table costs four times the CPU);
# writes still go to the table, and a sign-out deletes both. Without it the cache is each process's own, where
# a session ended in one worker would live on in another: sessions stay in the table alone. The engine is cached_db,
# able to read the session and the signed-in user's entry in one round trip (datahub/auth/sessions.py).
if REDIS_URL:
    SESSION_ENGINE = "datahub.auth.sessions"
# The same reasoning for the signed-in user, its unit and its role grants: kept in the shared cache under version
# tokens that every worker sees replaced (datahub/auth/usercache.py); never in a per-process cache.
USER_CACHE = bool(REDIS_URL)
# The home page's counts are kept this long per person (datahub/homecounts.py: any write through the ORM drops
# them; rows written in bulk by imports and ingests show within these seconds). 0 = counted on every visit.
HOME_COUNTS_SECONDS = env.int("HOME_COUNTS_SECONDS", default=30) if REDIS_URL else 0

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker every task runs in the calling process, so the embedded default
# needs no worker; with REDIS_URL tasks go to real workers.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# How long /health/ waits for a worker to answer its ping (datahub/health.py): a live worker answers in
# milliseconds, and the first answer ends the wait; only an installation with no worker waits it out.
HEALTH_WORKER_PING_TIMEOUT = 1.0
from assetpool.schedule import BEAT as ASSETPOOL_BEAT  # noqa: E402
from assets.schedule import BEAT as ASSETS_BEAT  # noqa: E402
from commandcenter.schedule import BEAT as COMMANDCENTER_BEAT  # noqa: E402
from datahub.schedule import BEAT as DATAHUB_BEAT  # noqa: E402
from datasharing.schedule import BEAT as DATASHARING_BEAT  # noqa: E402
from energy.schedule import BEAT as ENERGY_BEAT  # noqa: E402
from stocktake.schedule import BEAT as STOCKTAKE_BEAT  # noqa: E402
from telematics.schedule import BEAT as TELEMATICS_BEAT  # noqa: E402
from vehicles.schedule import BEAT as VEHICLES_BEAT  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "directory-consistency-nightly": {
        "task": "datahub.tasks.check_directory_consistency",
        "schedule": 24 * 60 * 60,
    },
    "portal-escalate-overdue": {"task": "portal.tasks.escalate_overdue_tickets", "schedule": 15 * 60},
    "portal-supervise-deadlines": {"task": "portal.tasks.supervise_deadlines", "schedule": 15 * 60},
    "officespace-over-standard-nightly": {
        "task": "officespace.tasks.run_over_standard_check",
        "schedule": 24 * 60 * 60,
    },
    # Backstop for e-mails whose on-commit send was lost (a worker restart, a mail server outage).
    "portal-send-emails": {"task": "portal.tasks.send_notification_emails", "schedule": 5 * 60},
    # Domain apps that landed later keep their entries in <app>/schedule.py, next to their tasks.
    **DATAHUB_BEAT,
    **DATASHARING_BEAT,
    **VEHICLES_BEAT,
    **COMMANDCENTER_BEAT,
    **TELEMATICS_BEAT,
    **ASSETS_BEAT,
    **ASSETPOOL_BEAT,
    **STOCKTAKE_BEAT,
    **ENERGY_BEAT,
}

# --- API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Identity-provider tokens first: a Bearer value that is not one of them falls through to API tokens.
        "datahub.oidc.authentication.OAuth2TokenAuthentication",
        "datahub.auth.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "datahub.api.filters.ScopedFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # A JSON body must be an object (datahub/api/parsers.py); forms and uploads as DRF parses them.
    # DRF's JSON, written by orjson where the bytes are the same (datahub/api/renderers.py).
    "DEFAULT_RENDERER_CLASSES": [
        "datahub.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "datahub.api.negotiation.ContentNegotiation",
    "DEFAULT_PARSER_CLASSES": [
        "datahub.api.parsers.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "datahub.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "datahub.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "datahub.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": "20/min"},
    # The sign-in throttle counts the same address as the lockout (not a forgeable X-Forwarded-For).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# --- Unified identity: OpenID Connect provider and OAuth2 client credentials (datahub/oidc/) ---------------
# The ID-token signing key (RSA, PEM) comes from the environment, never from the repository: the PEM itself in
# OIDC_RSA_PRIVATE_KEY (newlines may be written as \n), or the path of a file holding it in
# OIDC_RSA_PRIVATE_KEY_FILE (`make` writes a development one next to .env). Without one, production refuses to
# start (system check datahub.E101); development signs with a key made at start-up, forgotten at exit.
OIDC_RSA_PRIVATE_KEY_FILE = env("OIDC_RSA_PRIVATE_KEY_FILE", default="")
OIDC_RSA_PRIVATE_KEY = env("OIDC_RSA_PRIVATE_KEY", default="").replace("\\n", "\n")
if not OIDC_RSA_PRIVATE_KEY and OIDC_RSA_PRIVATE_KEY_FILE:
    _key_path = Path(OIDC_RSA_PRIVATE_KEY_FILE)
    _key_path = _key_path if _key_path.is_absolute() else BASE_DIR / _key_path
    OIDC_RSA_PRIVATE_KEY = _key_path.read_text() if _key_path.is_file() else ""
OIDC_SIGNING_KEY_EPHEMERAL = not OIDC_RSA_PRIVATE_KEY and DEBUG
if OIDC_SIGNING_KEY_EPHEMERAL:
    from datahub.oidc.keys import ephemeral_private_key

    OIDC_RSA_PRIVATE_KEY = ephemeral_private_key()
# Not swapped: the data-sharing exchange and RegisteredSystem point at django-oauth-toolkit's own model.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": OIDC_RSA_PRIVATE_KEY,
    "OAUTH2_VALIDATOR_CLASS": "datahub.oidc.validator.Validator",
    "SCOPES_BACKEND_CLASS": "datahub.oidc.scopes.RegisteredScopes",
    "PKCE_REQUIRED": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"] if DEBUG else ["https"],
    # Lifetimes: a short access token, a code used within a minute, refresh tokens for a working day that
    # rotate on every use (a replayed one revokes its whole family).
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OIDC_ACCESS_TOKEN_SECONDS", default=10 * 60),
    "ID_TOKEN_EXPIRE_SECONDS": env.int("OIDC_ACCESS_TOKEN_SECONDS", default=10 * 60),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.int("OIDC_REFRESH_TOKEN_SECONDS", default=8 * 60 * 60),
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REQUEST_APPROVAL_PROMPT": "auto",
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": True,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "client_credentials", "refresh_token"],
    # RFC 9700 (OAuth 2.0 security best current practice), all adopted: tokens kept only as digests, S256
    # only, no implicit or password grant, tokens only in the Authorization header, `iss` in the response.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": not DEBUG,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "一网协同 API",
    "DESCRIPTION": "机关事务一网协同平台接口（统一身份、组织机构与各业务域）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Tag each operation by its resource (/api/v1/<resource>/...). Left to guess, drf-spectacular took
    # the common prefix of /api/v1 and /api/exchange/v1, "/api", and filed 158 operations under "v1".
    "SCHEMA_PATH_PREFIX": r"/api(/exchange)?/v[0-9]+",
    # The schema and Swagger UI are for signed-in people unless DEBUG (datahub.api.permissions).
    "SERVE_PERMISSIONS": ["datahub.api.permissions.DocsAccess"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: it would load an image from the internet (and the CSP refuses it).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every domain has a "status", a "way", an "energy_type": name each choice set after what it is.
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "portal.workflow.Status",
        "ImportJobStatusEnum": "datahub.models.ImportJob.Status",
        "StepDecisionEnum": "portal.models.TicketStep.Decision",
        "DecideActionEnum": ["approved", "rejected", "returned"],
        "VehicleStatusEnum": "vehicles.rules.VehicleStatus",
        "VehicleEnergyTypeEnum": "vehicles.rules.EnergyType",
        "LicenceClassEnum": "vehicles.rules.LicenceClass",
        "DriverStatusEnum": "vehicles.models.Driver.Status",
        "DispatchStatusEnum": "vehicles.models.Dispatch.Status",
        "AlertStatusEnum": "telematics.models.Alert.Status",
        "AssetStatusEnum": "assets.rules.AssetStatus",
        "AcquisitionWayEnum": "assets.rules.AcquisitionWay",
        "DisposalWayEnum": "assets.rules.DisposalWay",
        "PoolRequestWayEnum": "assetpool.models.RequestWay",
        "ListingStatusEnum": "assetpool.models.ListingStatus",
        "StocktakeStatusEnum": "stocktake.models.StocktakeStatus",
        "EnergyTypeEnum": "energy.rules.EnergyType",
        "GridRegionEnum": "energy.rules.GridRegion",
        "PostEndReasonEnum": "officespace.models.Occupancy.PostEnd",
    },
}

# --- Content-Security-Policy (django-csp 4) ---------------------------------------------
# Only the platform's own files run or style a page: no inline <script>/<style>, no on*=
# handlers, no style= attributes, nothing from another origin (the intranet has no internet
# anyway). Images may be data: URIs (the favicon placeholder, Swagger UI's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

GUARDIAN_RAISE_403 = True
ANONYMOUS_USER_NAME = None  # guardian: anonymous users hold no object permissions

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@yiwang.local")
# The intranet mail relay, for EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Production hardening (DEBUG=0) ----------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Probes (load balancer, monitoring, the smoke test) ask over plain HTTP on the host itself.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Used by the UI title bar and e-mails.
PLATFORM_NAME = _("一网协同 · 机关事务综合管理平台")
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=5000)
# What an uploaded .xlsx/.csv may hold before a row is parsed: overrides of datahub.rules.SheetLimits by name,
# e.g. SHEET_LIMITS='{"max_file_bytes": 52428800}'. The defaults fit the largest import (200,000 asset cards).
SHEET_LIMITS = env.json("SHEET_LIMITS", default={})
# Background jobs (datahub.jobs): a running job with no heartbeat for this many seconds lost its worker; a
# pending one not picked up within JOB_PENDING_TIMEOUT never reached one. Either is failed and can be retried.
JOB_HEARTBEAT_TIMEOUT = env.int("JOB_HEARTBEAT_TIMEOUT", default=120)
JOB_PENDING_TIMEOUT = env.int("JOB_PENDING_TIMEOUT", default=60 * 60)
# fsQCA engine (assessment.qca): a Boolean minimization that runs longer than this many seconds stops with
# TooComplexError (a clear message to the analyst) instead of holding a worker; minimize(time_limit=) overrides it.
QCA_TIME_LIMIT_SECONDS = env.float("QCA_TIME_LIMIT_SECONDS", default=10.0)
# fsQCA analyses (assessment.jobs): one with more conditions or cases than these runs as a background job
# with progress (the engine may take seconds on 10+ conditions); a smaller one runs inside the request.
ASSESSMENT_ASYNC_CONDITIONS = env.int("ASSESSMENT_ASYNC_CONDITIONS", default=8)
ASSESSMENT_ASYNC_CASES = env.int("ASSESSMENT_ASYNC_CASES", default=200)
# The most equally minimal models a solution may list before the engine gives up (None: the engine's default).
ASSESSMENT_MAX_MODELS = None
