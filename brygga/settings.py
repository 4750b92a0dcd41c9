"""Brygga's one settings module. Every knob is an environment variable.

With nothing set this is a local development/demo install (DEBUG on, SQLite under
``var/``, a generated secret kept in ``var/secret_key``, mail to the console).
``DEBUG=False`` switches to production, which then requires SECRET_KEY and
ALLOWED_HOSTS. See docs/operations.md for the full list.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from brygga.core.env import database_from_url, env_bool, env_int, env_list, env_str

# Lets generic classes (ModelAdmin[User]) be subscripted at run time, as the stubs allow.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BRYGGA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development: generate once and keep it, so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "brygga.core",
    "brygga.accounts",
    "brygga.register",
    "brygga.actionplan",
    "brygga.visits",
    "brygga.insights",
    "brygga.events",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "brygga.urls"
WSGI_APPLICATION = "brygga.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "brygga.core.context_processors.brygga",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "brygga.sqlite3"),
            "OPTIONS": {
                # WAL lets the worker write while the web server reads.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "insights:staff_home"
LOGOUT_REDIRECT_URL = "core:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska"))]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "brygga" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: without EMAIL_HOST, mail is written to the console.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Brygga <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# Background work: Redis in production; a file-system broker under var/ otherwise,
# so the demo install runs its worker without any service.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {}
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
)
if not REDIS_URL:
    (VAR_DIR / "broker").mkdir(parents=True, exist_ok=True)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The outbox (brygga/core/outbox*.py): every e-mail is a row, delivered by the worker.
# A claimed message is another worker's to take once its lease has run out.
BRYGGA_OUTBOX_LEASE_SECONDS = env_int("BRYGGA_OUTBOX_LEASE_SECONDS", 300)
BRYGGA_OUTBOX_BATCH_SIZE = env_int("BRYGGA_OUTBOX_BATCH_SIZE", 50)
# How many delivery tasks a large fan-out starts at once (one per worker process helps).
BRYGGA_OUTBOX_PARALLEL = env_int("BRYGGA_OUTBOX_PARALLEL", 4)
BRYGGA_OUTBOX_MAX_ATTEMPTS = env_int("BRYGGA_OUTBOX_MAX_ATTEMPTS", 8)
# How long one delivery task runs before it hands over to a fresh one.
BRYGGA_OUTBOX_TASK_SECONDS = env_int("BRYGGA_OUTBOX_TASK_SECONDS", 120)
# How often the periodic sweep looks for mail the after-commit nudge missed, and retries.
BRYGGA_OUTBOX_SWEEP_SECONDS = env_int("BRYGGA_OUTBOX_SWEEP_SECONDS", 60)
# Sent messages (they hold personal data and links) are deleted after this many days.
BRYGGA_OUTBOX_KEEP_DAYS = env_int("BRYGGA_OUTBOX_KEEP_DAYS", 30)
for _name in (
    "LEASE_SECONDS",
    "BATCH_SIZE",
    "PARALLEL",
    "MAX_ATTEMPTS",
    "TASK_SECONDS",
    "SWEEP_SECONDS",
):
    if globals()[f"BRYGGA_OUTBOX_{_name}"] < 1:
        raise ImproperlyConfigured(f"BRYGGA_OUTBOX_{_name} must be at least 1.")

CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "outbox-deliver": {
        "task": "core.outbox_deliver",
        "schedule": float(BRYGGA_OUTBOX_SWEEP_SECONDS),
    },
    "outbox-purge": {"task": "core.outbox_purge", "schedule": 6 * 3600.0},
    "actionplan-fanout-sweep": {"task": "actionplan.fanout_sweep", "schedule": 120.0},
    # Hourly; each subscriber gets one digest a week, on Monday morning (the task decides).
    "actionplan-digests": {"task": "actionplan.digests", "schedule": 3600.0},
    "actionplan-purge": {"task": "actionplan.purge_unconfirmed", "schedule": 6 * 3600.0},
    # Hourly; each open follow-up is reminded once when it falls due.
    "visits-follow-up-reminders": {"task": "visits.remind_follow_ups", "schedule": 3600.0},
    # Every 10 minutes: reminders before events, evaluation links after them, and the
    # series' occurrences made ahead (each task decides what is due; repeating is safe).
    "events-reminders": {"task": "events.send_reminders", "schedule": 600.0},
    "events-evaluations": {"task": "events.send_evaluations", "schedule": 600.0},
    "events-series": {"task": "events.extend_series", "schedule": 6 * 3600.0},
}
CELERY_TIMEZONE = TIME_ZONE

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        # File-based so the web server and the worker see the same entries
        # (import progress, rate limits) on a single-machine install.
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Anonymous callers may read the public action plan, at this pace per IP address.
    "DEFAULT_THROTTLE_RATES": {"anon": env_str("BRYGGA_API_ANON_RATE", "1000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Brygga API",
    "DESCRIPTION": "The company register and the public action plan of the business office.",
    "VERSION": "1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# Brygga's own knobs.
BRYGGA_MUNICIPALITY_NAME = env_str("BRYGGA_MUNICIPALITY_NAME", "Strängnäs kommun")
BRYGGA_CORRECTION_LINK_DAYS = env_int("BRYGGA_CORRECTION_LINK_DAYS", 30)
BRYGGA_PUBLIC_RATE_LIMIT = env_int("BRYGGA_PUBLIC_RATE_LIMIT", 10)  # requests/hour/IP
# How long the link that confirms a comment, an idea or a subscription is valid; what
# was never confirmed is deleted after that.
BRYGGA_VERIFY_LINK_DAYS = env_int("BRYGGA_VERIFY_LINK_DAYS", 7)
# The public action plan's pages are cached for anonymous visitors and rendered again
# as soon as anything on them changes; this bounds an entry's age (0: no cache).
BRYGGA_PUBLIC_PAGE_CACHE_SECONDS = env_int("BRYGGA_PUBLIC_PAGE_CACHE_SECONDS", 300)
# The company counts behind the visit coverage and suggestions are cached under the
# register's and the visits' data versions (brygga/insights/group_counts.py); this
# bounds an entry's age (0: no cache, every page counts afresh).
BRYGGA_FIGURES_CACHE_SECONDS = env_int("BRYGGA_FIGURES_CACHE_SECONDS", 7 * 24 * 3600)
# Imports parse files larger than this in worker processes (0: one per CPU core).
BRYGGA_IMPORT_PARALLEL_MIN_BYTES = env_int("BRYGGA_IMPORT_PARALLEL_MIN_BYTES", 8 * 1024 * 1024)
BRYGGA_IMPORT_WORKERS = env_int("BRYGGA_IMPORT_WORKERS", 0)
# Meetings (brygga/events): the default hours before an event that registered people
# are reminded (each event may set its own; 0: no reminder), how many months of a
# series' occurrences are made ahead, and how many days after an event the evaluation
# link is still sent and accepted.
BRYGGA_EVENT_REMINDER_HOURS = env_int("BRYGGA_EVENT_REMINDER_HOURS", 48)
BRYGGA_EVENT_SERIES_MONTHS = env_int("BRYGGA_EVENT_SERIES_MONTHS", 12)
BRYGGA_EVENT_EVALUATION_DAYS = env_int("BRYGGA_EVENT_EVALUATION_DAYS", 30)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
