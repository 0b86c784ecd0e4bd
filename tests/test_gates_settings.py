"""Settings refuse a bad environment at start-up, and reading them writes nothing (ADR 0010)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from config.local_setup import ensure_local_setup

ROOT = Path(__file__).resolve().parent.parent
READ_SETTINGS = "import django; from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY[:4])"


def start(tmp_path: Path, code: str = READ_SETTINGS, **env: str) -> subprocess.CompletedProcess[str]:
    """Read the settings in a fresh interpreter with only these variables (and PATH) set."""
    base = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SAFELOOP_DATA_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "k" * 50,
    }
    base.update(env)
    environ = {name: value for name, value in base.items() if value != "<unset>"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )


def test_good_environment_starts_django(tmp_path):
    result = start(tmp_path, "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "ture"),
        ("SESSION_COOKIE_SECURE", "maybe"),
        ("SAFELOOP_GRADE_COUNTS_MISSING", "2"),
        ("SAFELOOP_LOGIN_MAX_FAILURES", "five"),
        ("SAFELOOP_LOGIN_MAX_FAILURES", "0"),
        ("SAFELOOP_TOKEN_HOURS", "1.5"),
        ("DATABASE_CONN_MAX_AGE", "-1"),
        ("SECURE_HSTS_SECONDS", "a year"),
        ("SAFELOOP_ESCALATE_WORKDAYS", "1,5"),
        ("SAFELOOP_ESCALATE_WORKDAYS", "1,x,10"),
        ("SAFELOOP_ESCALATE_WORKDAYS", "10,5,1"),
        ("SAFELOOP_ESCALATE_WORKDAYS", "0,5,10"),
        ("SAFELOOP_ENV", "prod"),
    ],
)
def test_bad_value_is_refused_naming_the_variable_and_value(tmp_path, name, value):
    result = start(tmp_path, **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name}={value!r}" in result.stderr


def test_blank_value_means_the_default(tmp_path):
    result = start(tmp_path, DEBUG="", SAFELOOP_LOGIN_MAX_FAILURES=" ")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False ")


def test_valid_values_are_read(tmp_path):
    code = "from django.conf import settings as s; print(s.DEBUG, s.SAFELOOP_ESCALATE_WORKDAYS, s.SAFELOOP_TOKEN_HOURS)"
    result = start(tmp_path, code, DEBUG="Yes", SAFELOOP_ESCALATE_WORKDAYS="2, 4, 8", SAFELOOP_TOKEN_HOURS="24")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True [2, 4, 8] 24"


def test_production_requires_secret_key(tmp_path):
    result = start(tmp_path, SAFELOOP_ENV="production", SECRET_KEY="<unset>")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug(tmp_path):
    result = start(tmp_path, SAFELOOP_ENV="production", DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_refuses_the_dry_run_and_local_mode_installs_it_only_when_asked(tmp_path):
    result = start(tmp_path, SAFELOOP_ENV="production", SAFELOOP_DRY_RUN="true")
    assert result.returncode != 0 and "SAFELOOP_DRY_RUN must be off" in result.stderr
    code = "from django.conf import settings as s; print('DryRunMiddleware' in ' '.join(s.MIDDLEWARE))"
    assert start(tmp_path, code).stdout.strip() == "False"
    assert start(tmp_path, code, SAFELOOP_DRY_RUN="true").stdout.strip() == "True"


def test_production_defaults_are_https_behind_the_proxy(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)"
    )
    result = start(tmp_path, code, SAFELOOP_ENV="production")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True ('HTTP_X_FORWARDED_PROTO', 'https') 31536000 True"


def test_reading_settings_creates_nothing(tmp_path):
    result = start(tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "var").exists()


def test_local_mode_without_key_file_says_how_to_make_one(tmp_path):
    result = start(tmp_path, SECRET_KEY="<unset>")
    assert result.returncode != 0
    assert "config.local_setup" in result.stderr


def test_local_setup_makes_a_private_key_that_settings_read(tmp_path):
    environ = {"SAFELOOP_DATA_DIR": str(tmp_path / "var")}
    ensure_local_setup(environ)
    key_file = tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert (tmp_path / "var" / "static").is_dir()
    result = start(tmp_path, SECRET_KEY="<unset>")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == key_file.read_text()[:4]


def test_local_setup_keeps_an_existing_key(tmp_path):
    environ = {"SAFELOOP_DATA_DIR": str(tmp_path / "var")}
    ensure_local_setup(environ)
    first = (tmp_path / "var" / "secret_key").read_text()
    ensure_local_setup(environ)
    assert (tmp_path / "var" / "secret_key").read_text() == first
    assert len(first) >= 50


def test_local_setup_writes_nothing_in_production(tmp_path):
    ensure_local_setup({"SAFELOOP_ENV": "production", "SAFELOOP_DATA_DIR": str(tmp_path / "var")})
    assert not (tmp_path / "var").exists()
