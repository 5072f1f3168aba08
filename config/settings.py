"""One settings module for every environment; everything that differs comes from the environment."""

import os
import secrets
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)


def _local_secret_key() -> str:
    # A key generated once per checkout keeps sessions valid across restarts of a local run
    # without ever committing a secret.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, on a site that only superusers may enter (config/admin.py).
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "config.apps.LockoutsConfig",
    "csp",
    "django_otp",
    "config.apps.AuthenticatorAppsConfig",
    "config.apps.RecoveryCodesConfig",
    "core",
    "accounts",
    "schools",
    "compacts",
    "reports",
    "history",
    "reminders",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body (CSRF does, on every POST): an oversized one is refused.
    "core.request_limits.BoundedRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a signed-in GET reads its session, user, roles and page in one cache read.
    "core.read_ahead.ReadAheadMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with request.user loaded here rather than a lazy proxy (accounts/middleware.py).
    "accounts.middleware.AuthenticationMiddleware",
    # Early, so that its header lands on every answer to a signed-in user, redirects included.
    "accounts.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: an ended session says why on the sign-in page.
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.SecondStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out sign-in is answered after authentication has run.
    "axes.middleware.AxesMiddleware",
]

# The largest body a request may have: the largest upload (an NCES directory, 16 MB) and the rest
# of its form. Set a body limit on the proxy in front too (README).
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", str(17 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = ["core.request_limits.BoundedUploadHandler"]

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
                "core.context_processors.demo_banner",
                "core.context_processors.navigation",
            ],
        },
    },
    # The list tables, city cards and portfolio rows only (templates/jinja2/): core/jinja2.py says
    # why, and how escaping is on. "libraries": Django template libraries whose filters Jinja2
    # shares.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "core.jinja2.environment",
            "libraries": ["reports.templatetags.reports_extras"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'compact_tracker.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout keep the embedded database usable while a page and a write overlap.
    # IMMEDIATE: a transaction takes the write lock when it begins, so it waits for another
    # writer (a report page keeping its rollups) instead of failing with "database is locked"
    # when its first read turns into a write (hostile review).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs more than it saves on the short aggregate queries of the dashboards.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# e.g. "accounts.W001" for a deployment that runs a single worker process without Redis.
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")

REDIS_URL = os.environ.get("REDIS_URL", "")
# Django's Redis and local-memory caches, reading a request's keys ahead (core/read_ahead.py).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.read_ahead.ReadAheadRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ct",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "core.read_ahead.ReadAheadLocMemCache",
            "LOCATION": "compact-tracker",
            # Per-city dashboard entries for a hundred cities outgrow the default of 300.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Fragments of base.html that change only with the templates (asset links, the navigation per
# section): kept in each process's memory, cheaper than a Redis round trip and never stale, as a
# release restarts the processes. Not while developing, where templates change under a running
# server.
CACHES["layout"] = {
    "BACKEND": (
        "django.core.cache.backends.dummy.DummyCache"
        if DEBUG
        else "django.core.cache.backends.locmem.LocMemCache"
    ),
    "LOCATION": "layout",
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with the signed-in user read from the cache on every request.
    "accounts.backends.CachedUserBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after SESSION_IDLE_TIMEOUT without a request, and SESSION_ABSOLUTE_TIMEOUT after
# sign-in whatever the activity (accounts/middleware.py); the next request says so on sign-in.
SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "120")))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")))
# A day past the absolute limit: the middleware ends a session first, and says why; this only
# bounds how long a forgotten session stays in the browser and the session table.
SESSION_COOKIE_AGE = int((SESSION_ABSOLUTE_TIMEOUT + timedelta(days=1)).total_seconds())
# Every request reads the session: from the cache, falling back to the table (which stays the
# record, so a restart or another worker without the entry still knows the session).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Two-step sign-in (TOTP apps, recovery codes): required for superusers, optional for everyone.
OTP_TOTP_ISSUER = "Compact Tracker"
# The admin's device pages never show another person's secret or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
RECOVERY_CODE_COUNT = 10

# Password reset emails: at most this many per account, and reset requests per client address,
# each hour. Over the limit the page answers as usual and nothing is sent.
PASSWORD_RESET_LIMIT_PER_ACCOUNT = 3
PASSWORD_RESET_LIMIT_PER_ADDRESS = 10

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# One way to write a date or a time, in the admin, in templates and in the list tables (issue 15):
# config/formats/en/formats.py, read by core/formats.py too.
FORMAT_MODULE_PATH = ["config.formats"]

# Django 6.0's default: a URL typed without a scheme (admin forms) is read as https://. Django 5.2
# notes once that this transitional setting goes in 6.0 (where it is ignored): nothing to do then.
FORMS_URLFIELD_ASSUME_HTTPS = True
warnings.filterwarnings(
    "ignore", message="The FORMS_URLFIELD_ASSUME_HTTPS transitional setting is deprecated."
)

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Django's and whitenoise's, working out each file's URL once per process (core/staticfiles.py)
    "staticfiles": {
        "BACKEND": (
            "core.staticfiles.RememberedCompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("STATIC_MANIFEST", default=False)
            else "core.staticfiles.RememberedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "compact-tracker@localhost")

# Reminders and digests (reminders/): EMAIL_URL (smtp://user:password@host:587/?tls=1, or
# smtps://... for implicit TLS) overrides the EMAIL_HOST/... variables above; without either the
# console backend prints mail, so `make run` needs nothing. SITE_URL makes links in mail absolute.
if os.environ.get("EMAIL_URL"):
    from urllib.parse import parse_qs, unquote, urlsplit

    _email = urlsplit(os.environ["EMAIL_URL"])
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = parse_qs(_email.query).get("tls", ["0"])[0] in {"1", "true"}
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
REMINDERS_CLAIM_MINUTES = 30  # a claim older than this was left by a crashed run: retake it
REMINDERS_MAX_ATTEMPTS = 5  # then a mail stays failed, for an admin to look at

# Production hardening. HTTPS settings follow SECURE_SSL from the environment so that a local
# `make run` over plain HTTP keeps working.
SECURE_SSL = env_bool("SECURE_SSL", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = SECURE_SSL and env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

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
    }
}

# Sign-in lockout: 5 failures lock that username from that address for 15 minutes, and 20
# failures from one address, whatever the usernames, lock that address for 15 minutes. Attempts
# live in the database, so every app server sees them and an admin can lift a lock
# ("Access attempts" in the admin).
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The pause runs 15 minutes from the lockout, whatever is tried meanwhile, as the page says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_VERBOSE = False
# How many proxies we trust in front of the app (their X-Forwarded-For entries name the client).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# Health thresholds of DESIGN.md ("Metrics"); change them here, not in code.
HEALTH_MIN_SIGNATORY_RETENTION = 0.5
HEALTH_MAX_OVERDUE_SHARE = 0.25
NAME_ONLY_MIN_ACTIVITIES = 6
STALE_COMMITMENT_DAYS = 90
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "600"))


# Release id: part of every report cache key, so a deploy never serves pages or figures cached by
# the code before it. RELEASE_ID from the environment, else the checked-out git commit (read from
# .git once, here: no subprocess), else "dev".
def _git_commit(root: Path) -> str:
    git = root / ".git"
    try:
        if git.is_file():  # a worktree: ".git" names the real git directory
            git = Path(git.read_text().split(":", 1)[1].strip())
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        common = git / "commondir"
        base = (git / common.read_text().strip()).resolve() if common.is_file() else git
        for directory in (git, base):
            if (directory / ref).is_file():
                return (directory / ref).read_text().strip()
        for line in (base / "packed-refs").read_text().splitlines():
            if line.endswith(f" {ref}"):
                return line.split(" ", 1)[0]
    except (OSError, IndexError):
        pass
    return ""


RELEASE_ID = os.environ.get("RELEASE_ID") or _git_commit(BASE_DIR)[:12] or "dev"

LIST_PAGE_SIZE = 50

# The REST API (api/, issue 17): personal tokens, or the session for the browsable API; signed
# in or nothing (401); a rate per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    # DRF's defaults, the JSON parser bounded: forms and the browsable API post the other two.
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_RATE", "600/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Compact Tracker API",
    "DESCRIPTION": "Read a city's compacts, records and figures, and log its work, with the "
    "same scope and rules as the pages. Authenticate with a personal token "
    "(`Authorization: Bearer ct_...`, created on your account page).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.error_answers",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CompactStatusEnum": "compacts.choices.CompactStatus",
        "CommitmentStatusEnum": "compacts.choices.CommitmentStatus",
        "MilestoneStatusEnum": "compacts.choices.MilestoneStatus",
        "ActivityKindEnum": "compacts.choices.ActivityKind",
        "OrganizationKindEnum": "schools.choices.OrganizationKind",
        "DatePrecisionEnum": "schools.choices.DatePrecision",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
