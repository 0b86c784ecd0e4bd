"""SafeLoop settings: one module, driven by environment variables (see .env.example)."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SAFELOOP_ENV = os.environ.get("SAFELOOP_ENV", "local")  # local | production
PRODUCTION = SAFELOOP_ENV == "production"
DATA_DIR = Path(os.environ.get("SAFELOOP_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when SAFELOOP_ENV=production")
    # Local mode: generate once and keep it beside the data so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
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
    "django_tasks",
    "django_tasks_db",
    "safeloop.core",
    "safeloop.accounts",
    "safeloop.registry",
    "safeloop.hazards",
    "safeloop.accidents",
    "safeloop.targets",
    "safeloop.workbench",
    "safeloop.demo",
    "safeloop.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'safeloop.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# ECharts comes from npm (package-lock.json, `npm ci`) and is served at /static/vendor/echarts/.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist")]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("SAFELOOP_MEDIA_ROOT", DATA_DIR / "media"))
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
SESSION_COOKIE_AGE = int(os.environ.get("SAFELOOP_SESSION_SECONDS", 8 * 3600))
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SAFELOOP_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Login protection, shared by pages and API (accounts.services.login_*).
SAFELOOP_LOGIN_MAX_FAILURES = int(os.environ.get("SAFELOOP_LOGIN_MAX_FAILURES", "5"))
SAFELOOP_LOGIN_LOCK_MINUTES = int(os.environ.get("SAFELOOP_LOGIN_LOCK_MINUTES", "15"))
SAFELOOP_TOKEN_HOURS = int(os.environ.get("SAFELOOP_TOKEN_HOURS", "12"))
SAFELOOP_IMPORT_MAX_BYTES = int(os.environ.get("SAFELOOP_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# Largest evidence file (photo or PDF) accepted, in bytes (20 MB); core.evidence.
SAFELOOP_EVIDENCE_MAX_BYTES = int(os.environ.get("SAFELOOP_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
SAFELOOP_DEMO_PASSWORD = os.environ.get("SAFELOOP_DEMO_PASSWORD", "Safe@2026demo")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Hazard loop (safeloop.hazards): look-back after closing, in calendar days; deadline
# supervision thresholds in working days (reminder before due; overdue → 督办, 挂牌督办 for
# major hazards, 约谈). Local practice differs (RULES.md §2.4), hence settings.
SAFELOOP_LOOK_BACK_DAYS_GENERAL = int(os.environ.get("SAFELOOP_LOOK_BACK_DAYS_GENERAL", "30"))
SAFELOOP_LOOK_BACK_DAYS_MAJOR = int(os.environ.get("SAFELOOP_LOOK_BACK_DAYS_MAJOR", "90"))
SAFELOOP_REMIND_WORKDAYS = int(os.environ.get("SAFELOOP_REMIND_WORKDAYS", "3"))
SAFELOOP_ESCALATE_WORKDAYS = [int(x) for x in os.environ.get("SAFELOOP_ESCALATE_WORKDAYS", "1,5,10").split(",")]
# Extra notification channels: dotted paths to callables (user, title, url), e.g. an SMS gateway.
SAFELOOP_NOTIFY_CHANNELS = env_list("SAFELOOP_NOTIFY_CHANNELS")
# Accidents and targets: facts RULES.md marks as "not found", kept as settings (docs/targets.md).
# Whether 失踪 counts with 死亡 when grading an accident (国务院令第493号 第三条 names deaths only).
SAFELOOP_GRADE_COUNTS_MISSING = env_bool("SAFELOOP_GRADE_COUNTS_MISSING", False)
# Whether 失踪 counts in 每百万人口因自然灾害死亡率 (RULES.md §4.2: definition not confirmed).
SAFELOOP_DISASTER_DEATHS_INCLUDE_MISSING = env_bool("SAFELOOP_DISASTER_DEATHS_INCLUDE_MISSING", False)
