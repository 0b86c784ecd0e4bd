"""Response headers and transport: a strict Content-Security-Policy on every page, nothing a
signed-in user sees kept in a cache, HTTPS in production; no template or script of ours needs
an inline script, style or event handler (so the policy can stay strict)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.test_gates_settings import start

ROOT = Path(__file__).resolve().parent.parent.parent


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


# ---------------------------------------------------------------- Content-Security-Policy


@pytest.mark.parametrize("path", ["/accounts/login/", "/verify/unknown/", "/hazards/"])
def test_every_page_carries_the_strict_policy(client, db, path):
    policy = directives(client.get(path, follow=True))
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


def test_signed_in_pages_and_the_api_docs_carry_it_too(login, city_user):
    client = login(city_user)
    for path in ("/", "/targets/", "/api/v1/docs"):
        assert directives(client.get(path))["script-src"] == ["'self'"], path


def test_the_500_page_has_no_inline_style_or_handler(client, db):
    from django.test import RequestFactory

    from safeloop.core.errorpages import server_error

    html = server_error(RequestFactory().get("/")).content.decode()
    assert "<style" not in html and "onclick" not in html and "/static/css/error.css" in html


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
SCRIPTS = sorted((ROOT / "static").rglob("*.js"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_needs_an_inline_script_style_or_handler(template):
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to static/js"
    assert not HANDLER.search(text), "inline event handler: bind it in static/js (data attributes)"
    assert not STYLE_ATTRIBUTE.search(text) and "<style" not in text, "inline style: move it to static/css"
    assert "javascript:" not in text


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_script_of_ours_evaluates_text_or_writes_inline_styles(script):
    text = script.read_text()
    assert not re.search(r"\beval\(|new Function\(|setAttribute\(\s*[\"']style", text)
    assert not re.search(r"""innerHTML\s*=.*style=""", text)


# ---------------------------------------------------------------- caches


def test_a_signed_in_page_is_never_stored(login, city_user):
    response = login(city_user).get("/")
    assert response["Cache-Control"] == "no-store"


def test_every_api_answer_is_never_stored(client, city_user):
    body = json.dumps({"username": city_user.username, "password": PASSWORD})
    issued = client.post("/api/v1/auth/token", body, content_type="application/json")
    refused = client.get("/api/v1/regions")
    listed = client.get("/api/v1/regions", HTTP_AUTHORIZATION=f"Bearer {issued.json()['token']}")
    assert [r.status_code for r in (issued, refused, listed)] == [200, 401, 200]
    assert {r["Cache-Control"] for r in (issued, refused, listed)} == {"no-store"}


def test_a_public_page_may_be_cached(client, db):
    response = client.get(reverse("public:listed_hazards"))
    assert "no-store" not in response.get("Cache-Control", "")


# ---------------------------------------------------------------- transport (production)


def test_production_sends_hsts_redirects_to_https_and_trusts_the_proxys_headers(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER[0], s.SECURE_HSTS_SECONDS, "
        "s.SAFELOOP_CLIENT_ADDRESS_HEADER, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['frame-ancestors'])"
    )
    result = start(tmp_path, code, SAFELOOP_ENV="production")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True HTTP_X_FORWARDED_PROTO 31536000 X-Forwarded-For [\"'none'\"]"


def test_local_mode_trusts_no_forwarded_address(tmp_path):
    result = start(tmp_path, "from django.conf import settings as s; print(repr(s.SAFELOOP_CLIENT_ADDRESS_HEADER))")
    assert result.stdout.strip() == "''"


@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
def test_behind_the_proxy_plain_http_is_redirected_and_https_gets_hsts(client, db):
    plain = client.get("/accounts/login/")
    secure = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_security_log_retention_cannot_be_set_below_six_months(tmp_path):
    result = start(tmp_path, SAFELOOP_SECURITY_LOG_DAYS="30")
    assert result.returncode != 0 and "SAFELOOP_SECURITY_LOG_DAYS" in result.stderr
