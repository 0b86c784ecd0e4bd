"""SafeLoop settings: one module, driven by environment variables (see .env.example)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.local_setup import backup_key_path, data_dir, is_production, ledger_keys_path, secret_key_path

# Reading the environment and files is all this module does: no directory or file is created
# on import (docs/adr/0010-settings-without-side-effects.md). A bad value stops the start-up
# with ImproperlyConfigured naming the variable, instead of silently becoming a default.
BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _env(name: str) -> str | None:
    """The variable's value, or None when unset or blank (as in a copied .env.example)."""
    value = os.environ.get(name, "").strip()
    return value or None


def env_bool(name: str, default: bool = False) -> bool:
    raw = _env(name)
    if raw is None:
        return default
    if raw.lower() not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true/false, yes/no, on/off or 1/0")
    return raw.lower() in _TRUE


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = _env(name)
    if raw is None:
        return default
    return _parse_int(name, raw, minimum)


def env_int_list(name: str, default: list[int], *, length: int, minimum: int = 0) -> list[int]:
    """Exactly `length` comma-separated integers, at least `minimum`, in strictly ascending order."""
    raw = _env(name)
    if raw is None:
        return default
    try:
        values = [int(item) for item in raw.split(",")]
    except ValueError:
        values = []
    if len(values) != length or values != sorted(set(values)) or values[0] < minimum:
        raise ImproperlyConfigured(
            f"{name}={raw!r} must be {length} comma-separated ascending integers, the first at least {minimum}"
        )
    return values


def _parse_int(name: str, raw: str, minimum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (_env(name) or default).split(",") if item.strip()]


SAFELOOP_ENV = _env("SAFELOOP_ENV") or "local"  # local | production
if SAFELOOP_ENV not in {"local", "production"}:
    raise ImproperlyConfigured(f"SAFELOOP_ENV={SAFELOOP_ENV!r} must be local or production")
PRODUCTION = is_production()
DATA_DIR = data_dir()


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when SAFELOOP_ENV=production")
    # Local mode: generated once beside the data (config.local_setup) so sessions survive restarts.
    path = secret_key_path()
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"{path} does not exist: run `python -m config.local_setup` (manage.py and make do it), or set SECRET_KEY"
        ) from None


SECRET_KEY = _secret_key()


def _local_file(path: Path) -> str:
    """A key generated into the data directory in local mode (config.local_setup); '' when absent."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return ""


def _ledger_keys() -> dict[str, bytes]:
    """The HMAC keys of the hash chains (core.chain), `id:secret` separated by commas or lines;
    the first is the one new events are keyed with, the others verify older events (rotation).
    They live outside the database, so someone who can write to it cannot recompute a chain."""
    raw = _env("SAFELOOP_LEDGER_KEYS") or ("" if PRODUCTION else _local_file(ledger_keys_path()))
    keys: dict[str, bytes] = {}
    for item in raw.replace("\n", ",").split(","):
        kid, sep, secret = item.strip().partition(":")
        if not item.strip():
            continue
        if not sep or not kid or len(kid) > 20 or len(secret) < 16:
            raise ImproperlyConfigured("SAFELOOP_LEDGER_KEYS: each key is id:secret (id ≤ 20 chars, secret ≥ 16)")
        keys[kid] = secret.encode()
    return keys


# Hash-chain keys (docs/adr/0012): required in production (a system check says so when missing).
SAFELOOP_LEDGER_KEYS = _ledger_keys()
# The append-only file the daily ledger roots are published to; keep it (or a copy) off the
# database server, e.g. on write-once storage or forwarded to syslog (docs/deploy.md).
SAFELOOP_LEDGER_ROOTS_FILE = Path(_env("SAFELOOP_LEDGER_ROOTS_FILE") or DATA_DIR / "ledger_roots.jsonl")
# Backups (manage.py backup / restore): the Fernet key they are encrypted with, and where they go.
SAFELOOP_BACKUP_KEY = _env("SAFELOOP_BACKUP_KEY") or ("" if PRODUCTION else _local_file(backup_key_path()))
SAFELOOP_BACKUP_DIR = Path(_env("SAFELOOP_BACKUP_DIR") or DATA_DIR / "backups")
DEBUG = env_bool("DEBUG", False)
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("DEBUG must be off when SAFELOOP_ENV=production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "ninja",
    "csp",
    "django_tasks",
    "safeloop.core.tasks_app.TasksDatabaseConfig",  # django_tasks_db, with a Chinese name
    "safeloop.core",
    "safeloop.accounts",
    "safeloop.registry",
    "safeloop.hazards",
    "safeloop.standards",
    "safeloop.accidents",
    "safeloop.targets",
    "safeloop.checklists",
    "safeloop.experts",
    "safeloop.enforcement",  # 打非治违 (issue 17)
    "safeloop.reporting",
    "safeloop.inspections",
    "safeloop.campaigns",
    "safeloop.flood",
    "safeloop.duties",
    "safeloop.board",  # issue 19: 挂图作战
    "safeloop.briefings",
    "safeloop.workbench",
    "safeloop.demo",
    "safeloop.api",
    "safeloop.webhooks",  # issue 20 item 3: the change feed pushed to subscribers
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "safeloop.core.http.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safeloop.accounts.middleware.SessionRules",
    "safeloop.core.idempotency.IdempotencyMiddleware",  # offline: after the session rules, so a key belongs to its user
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "safeloop.core.middleware.SecurityMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "safeloop.core.middleware.RefusalMiddleware",
]
# A POST with the header SafeLoop-Dry-Run: 1 is rolled back, session included (core/middleware.py):
# for the browser role walk, which presses every button it is shown. Never in production.
SAFELOOP_DRY_RUN = env_bool("SAFELOOP_DRY_RUN", False)
if SAFELOOP_DRY_RUN and PRODUCTION:
    raise ImproperlyConfigured("SAFELOOP_DRY_RUN must be off when SAFELOOP_ENV=production")
if SAFELOOP_DRY_RUN:  # outside the session middleware, so its writes roll back too
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "safeloop.core.middleware.DryRunMiddleware",
    )

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
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeloop.workbench.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        _env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'safeloop.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue instead of failing halfway through a transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file, not the shared-cache in-memory database: shared-cache SQLite fails
    # concurrent writers at once ("table is locked") instead of queueing them as production does.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test_safeloop.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2id first (argon2-cffi); older PBKDF2 hashes still verify and are re-hashed at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# 等保 level 3: at least 10 characters of at least three classes (accounts.passwords, in Chinese).
SAFELOOP_PASSWORD_MIN_LENGTH = env_int("SAFELOOP_PASSWORD_MIN_LENGTH", 10, minimum=8)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": SAFELOOP_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "safeloop.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LOCALE_PATHS = [BASE_DIR / "locale"]  # words the framework's and libraries' catalogues lack
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# ECharts comes from npm (package-lock.json, `npm ci`) and is served at /static/vendor/echarts/.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist")]
# offline: Workbox (the service worker), idb (the queue), exifr + piexifjs (photo time and GPS), from npm too.
STATICFILES_DIRS += [
    ("vendor/workbox", BASE_DIR / "node_modules" / "workbox-core" / "build"),
    ("vendor/workbox", BASE_DIR / "node_modules" / "workbox-routing" / "build"),
    ("vendor/workbox", BASE_DIR / "node_modules" / "workbox-strategies" / "build"),
    ("vendor/idb", BASE_DIR / "node_modules" / "idb" / "build"),
    ("vendor/exifr", BASE_DIR / "node_modules" / "exifr" / "dist"),
    ("vendor/piexifjs", BASE_DIR / "node_modules" / "piexifjs"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(_env("SAFELOOP_MEDIA_ROOT") or DATA_DIR / "media")
# issue 19: the map board's precomputed figures per scope (served at once, refreshed behind)
SAFELOOP_BOARD_STORE = Path(_env("SAFELOOP_BOARD_STORE") or DATA_DIR / "board")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

SESSION_COOKIE_HTTPONLY = True
# A session ends after 30 idle minutes (the cookie's age, renewed by accounts.middleware at most
# once a minute, not a write per request) and at the latest SAFELOOP_SESSION_SECONDS after sign-in.
SAFELOOP_SESSION_IDLE_MINUTES = env_int("SAFELOOP_SESSION_IDLE_MINUTES", 30, minimum=2)
SESSION_COOKIE_AGE = SAFELOOP_SESSION_IDLE_MINUTES * 60
SAFELOOP_SESSION_SECONDS = env_int("SAFELOOP_SESSION_SECONDS", 8 * 3600, minimum=60)
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "safeloop.core.errorpages.csrf_failure"  # in Chinese, inside the layout
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp): scripts, styles, images, fonts and connections from this
# host only; no inline script, no inline event handler, no eval, no framing, no plugins. Pages
# put their JS in static/js and chart data in json_script blocks (docs/architecture.md).
# style-src is 'self' too: no template carries a style attribute or a <style> block, and the
# libraries that style elements do it through the CSSOM (element.style), which CSP allows.
# img-src allows data: for the icons Swagger UI's stylesheet embeds (an image cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# HTTPS. In production nginx terminates TLS on the intranet and passes requests to the app on
# 127.0.0.1 (docs/deploy.md); the defaults assume exactly that and pass `check --deploy`.
# Local mode (a laptop or an office PC on plain HTTP) turns all of it off.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SESSION_COOKIE_SECURE)
# Trust X-Forwarded-Proto to tell HTTPS from HTTP. Safe only because nobody but nginx reaches
# the app and nginx overwrites the header (`proxy_set_header X-Forwarded-Proto $scheme`).
BEHIND_PROXY = env_bool("SAFELOOP_BEHIND_PROXY", PRODUCTION)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# A monitor probing the app directly on 127.0.0.1 gets its answer, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
# Covers names under SafeLoop's own host name only (e.g. *.safeloop.example.gov.cn), not siblings.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SILENCED_SYSTEM_CHECKS = [
    # security.W021 asks for SECURE_HSTS_PRELOAD. The browsers' preload list is for public
    # names registered at their apex domain; an intranet host of a government domain cannot be
    # listed by this deployment, so the `preload` directive would claim a consent it cannot give.
    "security.W021",
]

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SAFELOOP_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Login protection, shared by pages and API (accounts.login, core.throttle; docs/accounts.md):
# failures on one account lock it for the addresses they came from (others wait a progressive
# delay, up to SAFELOOP_LOGIN_MAX_DELAY_SECONDS); failures from one address lock that address;
# a flood of failures overall slows down every address that has failed.
SAFELOOP_LOGIN_MAX_FAILURES = env_int("SAFELOOP_LOGIN_MAX_FAILURES", 5, minimum=1)
SAFELOOP_LOGIN_LOCK_MINUTES = env_int("SAFELOOP_LOGIN_LOCK_MINUTES", 15, minimum=1)
SAFELOOP_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("SAFELOOP_LOGIN_MAX_FAILURES_PER_ADDRESS", 30, minimum=1)
SAFELOOP_LOGIN_MAX_FAILURES_OVERALL = env_int("SAFELOOP_LOGIN_MAX_FAILURES_OVERALL", 300, minimum=1)
SAFELOOP_LOGIN_MAX_DELAY_SECONDS = env_int("SAFELOOP_LOGIN_MAX_DELAY_SECONDS", 60, minimum=1)
# Throttle records (sign-in failures, cleared or not) are kept this long, then purged daily.
SAFELOOP_THROTTLE_KEEP_DAYS = env_int("SAFELOOP_THROTTLE_KEEP_DAYS", 180, minimum=1)
# The public report channel (reporting, docs/reporting.md): reports one address may send per
# window (the throttle of core.throttle; other addresses are not affected), lookups of tracking
# codes one address may make per window, and how far back a similar report counts as a duplicate.
SAFELOOP_REPORT_WINDOW_MINUTES = env_int("SAFELOOP_REPORT_WINDOW_MINUTES", 60, minimum=1)
SAFELOOP_REPORT_MAX_PER_ADDRESS = env_int("SAFELOOP_REPORT_MAX_PER_ADDRESS", 5, minimum=1)
SAFELOOP_REPORT_LOOKUPS_PER_ADDRESS = env_int("SAFELOOP_REPORT_LOOKUPS_PER_ADDRESS", 60, minimum=1)
SAFELOOP_REPORT_DUPLICATE_DAYS = env_int("SAFELOOP_REPORT_DUPLICATE_DAYS", 30, minimum=1)
# 防汛: a patrol whose coordinates lie farther than this from its township's centre is refused;
# the daily zero report of a township is due by this hour.
SAFELOOP_FLOOD_PATROL_MAX_KM = env_int("SAFELOOP_FLOOD_PATROL_MAX_KM", 15, minimum=1)
SAFELOOP_FLOOD_ZERO_REPORT_HOUR = env_int("SAFELOOP_FLOOD_ZERO_REPORT_HOUR", 9, minimum=0)


# The header a trusted reverse proxy sets to the client's address (e.g. X-Forwarded-For with
# nginx's $proxy_add_x_forwarded_for, or X-Real-IP); its last entry is taken (core.http.client_address).
# Empty: REMOTE_ADDR. Behind the proxy (production) the default is X-Forwarded-For, which the
# nginx configuration in docs/deploy.md sets; it is trusted only because nothing else reaches the app.
SAFELOOP_CLIENT_ADDRESS_HEADER = _env("SAFELOOP_CLIENT_ADDRESS_HEADER") or ("X-Forwarded-For" if BEHIND_PROXY else "")
# Security log (core.security_log): days an event is kept; at least 180 (等保2.0 8.1.4.3, six months).
SAFELOOP_SECURITY_LOG_DAYS = env_int("SAFELOOP_SECURITY_LOG_DAYS", 180, minimum=180)
SAFELOOP_TOKEN_HOURS = env_int("SAFELOOP_TOKEN_HOURS", 12, minimum=1)
# offline: how long a POST's Idempotency-Key and its first answer are kept (docs/offline.md). A
# phone may stay without signal for a shift and its owner sign in again the next morning: 72 h.
SAFELOOP_IDEMPOTENCY_HOURS = env_int("SAFELOOP_IDEMPOTENCY_HOURS", 72, minimum=1)
# A token's last use is written at most this often (not a write per request).
SAFELOOP_TOKEN_TOUCH_SECONDS = env_int("SAFELOOP_TOKEN_TOUCH_SECONDS", 60, minimum=1)
# Webhooks (safeloop.webhooks, ADR 0036): how long one POST may take, and the attempts before a
# delivery is failed (backoff from 30 s doubling to an hour: 12 attempts span about 5 hours).
SAFELOOP_WEBHOOK_TIMEOUT_SECONDS = env_int("SAFELOOP_WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)
SAFELOOP_WEBHOOK_MAX_ATTEMPTS = env_int("SAFELOOP_WEBHOOK_MAX_ATTEMPTS", 12, minimum=1)
# Excel imports and the workbook guard (core/xlsx_guard.py): the upload's size; what its zip may
# unpack to and the compression ratio of large members (zip bombs); the rows (data rows) and
# columns a sheet may reach; the memory and CPU seconds of the child process that parses it.
SAFELOOP_IMPORT_MAX_BYTES = env_int("SAFELOOP_IMPORT_MAX_BYTES", 50 * 1024 * 1024, minimum=1)
SAFELOOP_IMPORT_MAX_UNPACKED_BYTES = env_int("SAFELOOP_IMPORT_MAX_UNPACKED_BYTES", 300 * 1024 * 1024, minimum=1)
SAFELOOP_IMPORT_MAX_RATIO = env_int("SAFELOOP_IMPORT_MAX_RATIO", 100, minimum=1)
SAFELOOP_IMPORT_MAX_ROWS = env_int("SAFELOOP_IMPORT_MAX_ROWS", 100_000, minimum=1)
SAFELOOP_IMPORT_MAX_COLUMNS = env_int("SAFELOOP_IMPORT_MAX_COLUMNS", 100, minimum=1)
SAFELOOP_IMPORT_PARSE_MEMORY_MB = env_int("SAFELOOP_IMPORT_PARSE_MEMORY_MB", 1024, minimum=128)
SAFELOOP_IMPORT_PARSE_SECONDS = env_int("SAFELOOP_IMPORT_PARSE_SECONDS", 300, minimum=1)
# Largest evidence file (photo or PDF) accepted, in bytes (20 MB); core.evidence.
SAFELOOP_EVIDENCE_MAX_BYTES = env_int("SAFELOOP_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
# Largest image accepted, in pixels (width × height); Pillow's decompression-bomb check uses it too.
SAFELOOP_IMAGE_MAX_PIXELS = env_int("SAFELOOP_IMAGE_MAX_PIXELS", 40_000_000, minimum=1_000_000)
# Per hazard: at most this many evidence files, and this many bytes in all (default 50 and 300 MB).
SAFELOOP_HAZARD_ATTACHMENTS = env_int("SAFELOOP_HAZARD_ATTACHMENTS", 50, minimum=1)
SAFELOOP_HAZARD_ATTACHMENT_BYTES = env_int("SAFELOOP_HAZARD_ATTACHMENT_BYTES", 300 * 1024 * 1024, minimum=1)
SAFELOOP_DEMO_PASSWORD = os.environ.get("SAFELOOP_DEMO_PASSWORD", "Safe@2026demo")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The default notification channel writes one line per message; an operator sees them.
    "loggers": {"safeloop.notify": {"level": os.environ.get("SAFELOOP_NOTIFY_LOG_LEVEL", "INFO")}},
}

# The latest date any input may name (deadlines, extensions, imported dates), in years after
# today (core/inputs.py); the working-day calendar covers up to the year after it.
SAFELOOP_DATE_MAX_YEARS_AHEAD = env_int("SAFELOOP_DATE_MAX_YEARS_AHEAD", 3, minimum=1)
# Hazard loop (safeloop.hazards): look-back after closing, in calendar days; deadline
# supervision thresholds in working days (reminder before due; overdue → 督办, 挂牌督办 for
# major hazards, 约谈). Local practice differs (RULES.md §2.4), hence settings.
SAFELOOP_LOOK_BACK_DAYS_GENERAL = env_int("SAFELOOP_LOOK_BACK_DAYS_GENERAL", 30)
SAFELOOP_LOOK_BACK_DAYS_MAJOR = env_int("SAFELOOP_LOOK_BACK_DAYS_MAJOR", 90)
SAFELOOP_REMIND_WORKDAYS = env_int("SAFELOOP_REMIND_WORKDAYS", 3)
SAFELOOP_ESCALATE_WORKDAYS = env_int_list("SAFELOOP_ESCALATE_WORKDAYS", [1, 5, 10], length=3, minimum=1)
# Who accepts a self-found general hazard when its enterprise has no other active account (the
# fixer may not accept their own work): "township" (属地) or "department" (the supervising one).
SAFELOOP_SELF_ACCEPT_FALLBACK = os.environ.get("SAFELOOP_SELF_ACCEPT_FALLBACK", "").strip() or "township"
if SAFELOOP_SELF_ACCEPT_FALLBACK not in ("township", "department"):
    raise ImproperlyConfigured(
        f"SAFELOOP_SELF_ACCEPT_FALLBACK={SAFELOOP_SELF_ACCEPT_FALLBACK!r} must be 'township' or 'department'"
    )
# 挂牌督办 (hazards/data/listing_levels.csv): the government levels in use, and the working days
# within which a listing and a de-listing are published (empty: the file's values).
SAFELOOP_LISTING_LEVELS = env_list("SAFELOOP_LISTING_LEVELS", "county,city,province")
SAFELOOP_LISTING_PUBLISH_WORKDAYS = env_int("SAFELOOP_LISTING_PUBLISH_WORKDAYS", 0) or None
# Background jobs (core/jobs.py): exports over this many rows and imports over this many rows run
# in the task worker with a progress page; the result may be downloaded for this many hours.
SAFELOOP_EXPORT_JOB_ROWS = env_int("SAFELOOP_EXPORT_JOB_ROWS", 3000)
SAFELOOP_IMPORT_JOB_ROWS = env_int("SAFELOOP_IMPORT_JOB_ROWS", 2000)
SAFELOOP_JOB_HOURS = env_int("SAFELOOP_JOB_HOURS", 24, minimum=1)
# The writer of every export (core/xlsx_write.py, ADR 0019): "rust" (rustpy-xlsxwriter),
# "xlsxwriter" (the fallback), or "auto": the Rust writer when it is installed.
SAFELOOP_XLSX_WRITER = _env("SAFELOOP_XLSX_WRITER") or "auto"
if SAFELOOP_XLSX_WRITER not in ("auto", "rust", "xlsxwriter"):
    raise ImproperlyConfigured(f"SAFELOOP_XLSX_WRITER={SAFELOOP_XLSX_WRITER!r} must be 'auto', 'rust' or 'xlsxwriter'")
# To-do lists: the escalation level (hazards.Escalation: 1 督办, 2 挂牌督办, 3 约谈) from which a
# hazard is also the city's work (docs/hazards.md); the years the year pickers offer.
SAFELOOP_TODO_CITY_ESCALATION = env_int("SAFELOOP_TODO_CITY_ESCALATION", 2, minimum=1)
SAFELOOP_PICKER_YEARS = env_int("SAFELOOP_PICKER_YEARS", 10, minimum=1)
# Extra notification channels: dotted paths to callables (user, title, url), e.g. an SMS gateway.
# The address printed in documents' QR codes (verification page); empty: the issuing request's host.
SAFELOOP_PUBLIC_BASE_URL = os.environ.get("SAFELOOP_PUBLIC_BASE_URL", "").rstrip("/")
SAFELOOP_NOTIFY_CHANNELS = env_list("SAFELOOP_NOTIFY_CHANNELS", "safeloop.accounts.notifications.log_channel")
# Accidents and targets: facts RULES.md marks as "not found", kept as settings (docs/targets.md).
# Whether 失踪 counts with 死亡 when grading an accident and in the accident death indicators: on
# by default, as the statistical system counts "死亡和失踪（含下落不明）人数" as one figure
# (《生产安全事故统计报表制度》 2016-10; RULES.md §3.2); the record keeps the two apart.
SAFELOOP_GRADE_COUNTS_MISSING = env_bool("SAFELOOP_GRADE_COUNTS_MISSING", True)
# Whether 失踪 counts in 每百万人口因自然灾害死亡率 (RULES.md §4.2: definition not confirmed).
SAFELOOP_DISASTER_DEATHS_INCLUDE_MISSING = env_bool("SAFELOOP_DISASTER_DEATHS_INCLUDE_MISSING", False)
