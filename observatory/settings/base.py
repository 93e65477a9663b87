"""Settings read from environment variables, with defaults that run the embedded site.

Without any variable the site runs on SQLite with Celery tasks executed in-process, so a newcomer
needs no service. Production sets DJANGO_SETTINGS_MODULE=observatory.settings.production.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-do-not-use-in-production")
# Off unless asked for: tracebacks and settings are never shown to visitors by accident (`make run` turns it on).
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served by the site itself (no CDN)
    "axes",
    "territories",
    "indicators",
]

MIDDLEWARE = [
    "observatory.http.HostileInputMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "observatory.http.RequestBodyLimitMiddleware",  # before CsrfViewMiddleware reads a body (in process_view)
    "observatory.cache.GenerationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "observatory.urls"
WSGI_APPLICATION = "observatory.wsgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default runs an import in a thread while pages are read: readers never wait on the writer (WAL),
    # and a writer waits its turn instead of failing with "database is locked". A 64 MB page cache (2 MB by default)
    # keeps the indexes of an import's ~850 000 new rows in memory: its writes take a third less time.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA cache_size=-65536;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_cache(url: str) -> dict:
    """A Redis that is down or hangs makes pages slower, never wrong (observatory/cache.py)."""
    return {
        "BACKEND": "observatory.cache.FailSafeRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": redis_cache(REDIS_URL) if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# How many reverse proxies in front of the site append to X-Forwarded-For (1 behind the compose file's nginx, 0 when
# gunicorn or runserver face the visitors). The client's address is the one the last trusted proxy saw; the API
# throttle and the login lockout both use it (observatory.http.client_ip), so a forged header changes nothing.
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 0)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/editeur/connexion/"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
# Per username and address: someone guessing passwords locks themselves out, not the editors they name.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "observatory.http.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"  # French lockout page (editor area)
AXES_VERBOSE = False  # no "AXES: BEGIN…" banner on every command

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded bundles are private: kept outside STATIC/any served path and never served back.
MEDIA_ROOT = Path(os.environ.get("OBSERVATORY_MEDIA_ROOT", BASE_DIR / "var" / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Request bodies are refused before they are read when larger than this (anonymous visitors: a login form at most),
# or than the bundle limit for logged-in editors (observatory.http.RequestBodyLimitMiddleware; nginx too).
ANONYMOUS_BODY_MAX_BYTES = 64 * 1024
BUNDLE_UPLOAD_MAX_BYTES = env_int("BUNDLE_UPLOAD_MAX_BYTES", 200 * 1024 * 1024)
# Uploaded bundles of failed or discarded imports are deleted after this many days (published ones are kept).
UPLOAD_RETENTION_DAYS = env_int("UPLOAD_RETENTION_DAYS", 30)

FIXTURES_DIR = BASE_DIR / "fixtures"

# Who publishes the site and under which licence its figures are reused (footer, legal notice, every file).
OBSERVATORY_PUBLISHER = os.environ.get("OBSERVATORY_PUBLISHER", "Observatoire Climat Hauts-de-France")
OBSERVATORY_CONTACT_EMAIL = os.environ.get("OBSERVATORY_CONTACT_EMAIL", "contact@observatoire.example")
OBSERVATORY_HOST = os.environ.get("OBSERVATORY_HOST", "l'hébergeur déclaré par l'éditeur du site")
DATA_LICENCE_NAME = os.environ.get("DATA_LICENCE_NAME", "Licence Ouverte / Open Licence version 2.0 (Etalab)")
DATA_LICENCE_URL = os.environ.get("DATA_LICENCE_URL", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/")

# Celery: without a broker the tasks run in-process (embedded default). The broker is RabbitMQ
# (amqp://user:password@host:5672/vhost): a job whose worker dies is given back to the queue as soon as the worker's
# connection drops, and a worker outlives a broker restart by reconnecting (README, "Imports under faults").
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Without a broker an import runs in a thread of the web process, so that an upload answers at once.
IMPORTS_IN_THREAD = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a job whose worker dies is redelivered, and the task is idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A job that was running when the broker went away finishes; its redelivered copy finds it done or still held
# (indicators.services.job_lock) and is dropped, so nothing is computed twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits for the broker for as long as it takes
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_HEARTBEAT = 30
# A web request that cannot reach the broker gives up within seconds; the job then waits (indicators.services).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0}
# Under RabbitMQ's consumer_timeout (30 minutes), past which it would take back an unacknowledged job.
CELERY_TASK_SOFT_TIME_LIMIT = 15 * 60
CELERY_TASK_TIME_LIMIT = 20 * 60
# A worker process that grew past this (KiB) after a job is replaced; docker-compose.yml caps the container too.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 2 * 1024 * 1024)
CELERY_BEAT_SCHEDULE = {
    "recover-stalled-imports": {
        "task": "indicators.tasks.recover_stalled_imports_task",
        "schedule": env_int("IMPORT_RECOVERY_SECONDS", 60),
    },
    "warm-territory-pages": {"task": "indicators.tasks.warm_territory_pages_task", "schedule": 5 * 60},
    "purge-rejected-uploads": {"task": "indicators.tasks.purge_rejected_uploads_task", "schedule": 24 * 3600},
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["observatory.http.ClientAddressThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "120/min")},
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API de l'Observatoire Climat Hauts-de-France",
    "DESCRIPTION": (
        "Indicateurs carbone (ALDO) par territoire. Convention de signe : une séquestration nette est "
        "négative, une émission nette est positive."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"MeasureEnum": "indicators.api.serializers.MEASURE_CHOICES"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "observatory.http.document_refused_input",
    ],
}

# Content Security Policy: no inline script; scripts only from this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # plotly.js sets inline styles on the SVG it draws
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # "Task … succeeded in 4.2 s" after every import says nothing the job's own state and message do not.
    "loggers": {"celery.app.trace": {"level": "WARNING"}},
}
