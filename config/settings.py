"""Praxis settings: one module, every value from the environment.

The environment picks the mode. With nothing set you get the embedded default
(SQLite in WAL mode, in-memory channel layer, local-memory cache, console email);
``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and Redis. ``DEBUG`` is off
unless set, so a production deployment cannot inherit a development default.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import ImproperEnv, email_settings, env_bool, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
# Every mode switch below is its own environment variable, never "are we under
# pytest?": the test run sets them in pyproject.toml ([tool.pytest.ini_options] env).

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperEnv("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    "community",
    "events",
    "api",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "community.content_security.ContentSecurityPolicyMiddleware",  # CSP + Permissions-Policy on every response
    "api.middleware.ProblemErrorsMiddleware",  # every error under /api/ as problem+json
    "community.request_guard.RefuseNulBytesMiddleware",  # NUL in a query string: 400, not a database error
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "community.admin_access.AdminNeedsARoleMiddleware",  # a member without an admin role: 403, not a login loop
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "community.site_lookup.RememberedSiteMiddleware",  # Wagtail's site lookup, once per process and site change
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes; IMMEDIATE avoids
    # "database is locked" on upgrade from a read to a write transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    # A file, not :memory:, so that tests can run the real task worker against it;
    # one per process, so that concurrent test runs never lock each other out.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperEnv(f"DATABASE_URL: unsupported engine {DATABASES['default']['ENGINE']!r}")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache -----------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "praxis"),
        }
    }
else:
    # The chat reaches a process's members through one layer message per room, so the
    # layer's queues hold room messages, not one per member; 1,000 absorbs a burst.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1000}}}
    # Room for a feed's per-event VEVENT blocks (events/ical/blocks.py): at the default 300
    # entries a 10,000-event feed would evict its own blocks; still bounded, per process.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("LOCMEM_CACHE_MAX_ENTRIES", 50_000)},
        }
    }

# --- Background tasks (Django's Tasks API, database backend) ----------------
# TASKS_BACKEND=immediate runs tasks inline (the test run sets it; tests/test_worker.py
# starts a real db_worker against the database backend).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperEnv(f"TASKS_BACKEND={TASKS_BACKEND!r}: expected one of {', '.join(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# --- Auth and accounts (django-allauth) -------------------------------------
AUTH_USER_MODEL = "community.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "community.forms.SignupForm"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Praxis] "
# Confirming the address signs the member in (in the browser that signed up) and takes them to
# their profile to finish it.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USER_DISPLAY = "community.members.display_name_of"  # messages name the member by display name
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "/members/me/edit/"
ACCOUNT_SIGNUP_REDIRECT_URL = "/members/me/edit/"
# Counted in the cache, so shared by every process when REDIS_URL is set. allauth's
# own values, spelled out because every way to sign in (the admins' login pages lead
# here: community/views/sign_in.py) shares them: 5 wrong passwords lock an account for
# 5 minutes; one address gets 10 failures and 30 attempts a minute.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
}
# An organisation's invitation link works this many days after it was sent.
INVITATION_EXPIRY_DAYS = env_int("INVITATION_EXPIRY_DAYS", 14)
if INVITATION_EXPIRY_DAYS < 1:
    raise ImproperEnv(f"INVITATION_EXPIRY_DAYS={INVITATION_EXPIRY_DAYS}: expected at least 1 day")
# Live personal API tokens a member may hold at once (community/personal_tokens.py).
PERSONAL_TOKENS_MAX = env_int("PERSONAL_TOKENS_MAX", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Praxis <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
globals().update(email_settings(env_str("EMAIL_URL", "console://")))

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("sl", _("Slovenian"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # dates per language: "23. december 2026" in Slovenian
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=True)
# Static files straight from the source folders (no collectstatic, no manifest).
STATIC_FROM_SOURCE = env_bool("STATIC_FROM_SOURCE", default=DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if STATIC_FROM_SOURCE
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development WhiteNoise serves straight from the finders, so no collectstatic.
WHITENOISE_USE_FINDERS = STATIC_FROM_SOURCE
WHITENOISE_AUTOREFRESH = DEBUG
MAX_UPLOAD_IMAGE_BYTES = env_int("MAX_UPLOAD_IMAGE_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Security ---------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Outbound fetches (feed federation) refuse private and loopback addresses unless
# the host is listed here; the test suite lists 127.0.0.1 for its local servers.
FETCH_ALLOWED_HOSTS = env_list("FETCH_ALLOWED_HOSTS")

# Demo accounts share one known password: `load_demo` refuses unless DEBUG or this is on.
ALLOW_DEMO_DATA = env_bool("ALLOW_DEMO_DATA", default=False)

# --- Feed federation (events/federation/) ------------------------------------
FEED_MAX_BYTES = env_int("FEED_MAX_BYTES", 10 * 1024 * 1024)
FEED_MAX_FAILURES = env_int("FEED_MAX_FAILURES", 10)  # consecutive failures before a feed is paused
FEED_POLL_BATCH = env_int("FEED_POLL_BATCH", 20)  # feeds one worker claims per poll round
FEED_POLL_TICK_SECONDS = env_int("FEED_POLL_TICK_SECONDS", 60)  # pause between poll rounds
PARTNER_API_THROTTLE = env_str("PARTNER_API_THROTTLE", "600/min")  # per API key

# --- Wagtail ----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Praxis"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = MAX_UPLOAD_IMAGE_BYTES
# Stories are translated with Wagtail's own i18n and the built-in simple_translation
# contrib (copy a page to a locale, translate it by hand); see community/models/stories.py.
WAGTAIL_I18N_ENABLED = True
# Wagtail's login and password-reset forms bypass allauth's limits: sign in and reset there.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# The admin makes no request to another host (its Content-Security-Policy would refuse them anyway):
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no Gravatar for a staff member's avatar
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no release check from the dashboard

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A signed-in browser (session + CSRF) or a member's personal token (Bearer prt_…).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "api.auth.PersonalTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    # Counted in the cache (Redis with REDIS_URL: one count for every process); api/throttles.py.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.AnonymousRateThrottle", "api.throttles.MemberRateThrottle"],
    # Identify clients by REMOTE_ADDR only: uvicorn already set it from X-Forwarded-For when
    # the peer is a trusted proxy (FORWARDED_ALLOW_IPS). DRF's default (None) would believe
    # any client's own X-Forwarded-For and let it pick a fresh identity per request.
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_RATE_ANON", "120/min"),
        "user": env_rate("API_RATE_USER", "600/min"),
        "partner": PARTNER_API_THROTTLE,  # per API key (api/throttles.py)
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Praxis API",
    "DESCRIPTION": "Events, conferences and organisations of the Praxis community of practice.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Only /api/v1/ is described, wherever the generator runs (schema view, check --deploy).
    "PREPROCESSING_HOOKS": ["api.openapi.only_this_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.openapi.empty_query_values_are_absent",
    ],
    # Swagger UI and ReDoc from this site's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Calendar feeds ---------------------------------------------------------
CALENDAR_PAST_DAYS = env_int("CALENDAR_PAST_DAYS", 90)
CALENDAR_REFRESH_HOURS = env_int("CALENDAR_REFRESH_HOURS", 6)
# A feed body is kept (gzip-compressed, in the shared cache) only up to this many compressed
# bytes; a larger one is streamed from the stored VEVENT blocks each time (events/views/calendars.py).
CALENDAR_BODY_CACHE_MAX_BYTES = env_int("CALENDAR_BODY_CACHE_MAX_BYTES", 8_000_000)
# Occurrences are expanded when an event is written, over this horizon (events/occurrences.py).
OCCURRENCE_PAST_DAYS = env_int("OCCURRENCE_PAST_DAYS", 365)
# The zone the month view draws its days in (bounds, grouping and the times shown).
CALENDAR_TIME_ZONE = env_str("CALENDAR_TIME_ZONE", "Europe/Brussels")
OCCURRENCE_FUTURE_DAYS = env_int("OCCURRENCE_FUTURE_DAYS", 730)

# --- Live session chat --------------------------------------------------------
CHAT_OPENS_MINUTES_BEFORE = env_int("CHAT_OPENS_MINUTES_BEFORE", 30)
CHAT_ARCHIVES_MINUTES_AFTER = env_int("CHAT_ARCHIVES_MINUTES_AFTER", 60)
CHAT_RATE_MESSAGES = env_int("CHAT_RATE_MESSAGES", 5)
CHAT_RATE_SECONDS = env_int("CHAT_RATE_SECONDS", 10)
CHAT_MAX_CHARS = env_int("CHAT_MAX_CHARS", 2000)
# Visitors who are not signed in may post under a display name (off: members only).
CHAT_GUEST_POSTING = env_bool("CHAT_GUEST_POSTING", default=False)

# --- Logging: one line per record; JSON in production -----------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperEnv(f"LOG_FORMAT={LOG_FORMAT!r}: expected text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Discussions and notifications ------------------------------------------
POST_RATE_LIMIT = env_int("POST_RATE_LIMIT", 10)  # posts per member per 10 minutes
POST_RATE_LIMIT_NEW_ACCOUNT = env_int("POST_RATE_LIMIT_NEW_ACCOUNT", 3)  # for accounts younger than a day
NOTIFICATION_EMAIL_DELAY_MINUTES = env_int("NOTIFICATION_EMAIL_DELAY_MINUTES", 15)  # digest batching window

# --- Data rights (issue #18) --------------------------------------------------
EXPORT_LINK_MAX_AGE = env_int("EXPORT_LINK_MAX_AGE", 7 * 24 * 3600)  # seconds a data-archive link works
EXPORT_REQUESTS_PER_DAY = env_int("EXPORT_REQUESTS_PER_DAY", 1)  # data-archive requests per member per 24 h
AUDIT_LOG_RETENTION_DAYS = env_int("AUDIT_LOG_RETENTION_DAYS", 365)  # prune_audit_log deletes older entries
ACCOUNT_DELETION_LINK_MAX_AGE = env_int("ACCOUNT_DELETION_LINK_MAX_AGE", 3600)  # seconds an emailed confirmation works
