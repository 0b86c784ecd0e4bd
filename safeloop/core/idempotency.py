"""Exactly once: the `Idempotency-Key` header on any POST (docs/offline.md, docs/api.md).

A phone that sent a report with no signal, or whose upload broke off midway, cannot know whether
the server got it; it sends the same request again with the same key. The middleware keeps, per
caller and key, a hash of what was sent (the parsed fields, in order-free form, and the SHA-256
of every uploaded file) and the answer given:

- first time: the request runs, inside one transaction with the insert of its record, and the
  answer is stored with the record (the insert of a concurrent twin waits on the unique index
  and then finds the stored answer);
- a repeat with the same fields and files: the first answer again (`Idempotent-Replayed: true`),
  nothing runs, nothing is created;
- a repeat with other fields or files: 409 `idempotency_key_reused`, nothing runs.

What is not a result is not kept, so the same key may be sent again: a server error, a 401 /
a redirect to the sign-in page (the session expired: sign in, then send), 403 of the CSRF check,
429. The caller is the signed-in user (page or token alike, so a queue sent again after a new
sign-in meets its first answer) or, for the public forms, "anonymous"; another account never
meets someone else's record. `GET /offline/receipts/<key>` tells the signed-in caller what the
server answered a key (core/views.py), for a phone whose connection broke before the answer came.

Records older than SAFELOOP_IDEMPOTENCY_HOURS are removed by the daily `idempotency_purge`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from safeloop.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
FORM_FIELD = "_idempotency_key"  # a page form posted by the browser itself carries the key as a field
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
REPLAYED_HEADER = "Idempotent-Replayed"
REUSED_CODE = "idempotency_key_reused"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")
KEPT_BODY_BYTES = 512 * 1024
NOT_RESULTS = {401, 403, 408, 429}
KEPT_HEADERS = ("Content-Type", "Location", "SafeLoop-Refusal")
ANONYMOUS = "anonymous"

_principals: list[Callable[[HttpRequest], Any]] = []


def register_principal(resolver: Callable[[HttpRequest], Any]) -> None:
    """An app above core that authenticates requests another way (the API's bearer tokens)
    tells who the caller is; it returns a user or None. Registering twice keeps one."""
    if resolver not in _principals:
        _principals.append(resolver)


def principal_of(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    for resolver in _principals:
        found = resolver(request)
        if found is not None:
            return f"user:{found.pk}"
    return ANONYMOUS


def fingerprint_of(request: HttpRequest) -> str:
    """SHA-256 over the method, the path, the parsed fields (JSON canonicalised, form fields
    sorted, the CSRF token left out) and each uploaded file's SHA-256."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type == "application/json":
        try:
            parsed: Any = json.loads(request.body or b"null")
        except ValueError:
            parsed = request.body.decode("utf-8", "replace")
        digest.update(json.dumps(parsed, sort_keys=True, ensure_ascii=False).encode())
    elif request.content_type in FORM_TYPES:
        skipped = ("csrfmiddlewaretoken", FORM_FIELD)
        fields = sorted((k, v) for k in request.POST for v in request.POST.getlist(k) if k not in skipped)
        digest.update(json.dumps(fields, ensure_ascii=False).encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                file_hash = hashlib.sha256()
                for chunk in upload.chunks():
                    file_hash.update(chunk)
                upload.seek(0)
                digest.update(f"\n{name}:{file_hash.hexdigest()}".encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "fields": {HEADER: message}}}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["SafeLoop-Refusal"] = f"{status} {code}"
    return response


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status or 200, content_type=record.content_type or None)
    if record.location:
        response["Location"] = record.location
    if record.refusal:
        response["SafeLoop-Refusal"] = record.refusal
    response[REPLAYED_HEADER] = "true"
    return response


def _is_result(response: HttpResponseBase) -> bool:
    if response.status_code >= 500 or response.status_code in NOT_RESULTS:
        return False
    location = response.get("Location", "")
    return not (response.status_code in (301, 302, 303) and location.startswith(resolve_url(settings.LOGIN_URL)))


def _keep(record: IdempotencyRecord, response: HttpResponseBase) -> None:
    body = b""
    if not getattr(response, "streaming", False):
        content = response.content  # type: ignore[attr-defined]
        body = content if len(content) <= KEPT_BODY_BYTES else b""
    record.status = response.status_code
    record.content_type = response.get("Content-Type", "")[:120]
    record.location = response.get("Location", "")[:500]
    record.refusal = response.get("SafeLoop-Refusal", "")[:200]
    record.body = body
    record.save(update_fields=["status", "content_type", "location", "refusal", "body"])


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "POST":
            return self.get_response(request)
        key = request.headers.get(HEADER)
        if key is None and request.content_type in FORM_TYPES:
            key = request.POST.get(FORM_FIELD)
        if key is None:
            return self.get_response(request)
        if not KEY_PATTERN.match(key):
            message = gettext("幂等键应为 8 至 100 位字母、数字或 . _ : - 组成的字符串")
            return _error(request, 400, "invalid_input", message)
        principal = principal_of(request)
        fingerprint = fingerprint_of(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        principal=principal, key=key, fingerprint=fingerprint, method="POST", path=request.path[:500]
                    )
            except IntegrityError:
                return self._repeat(request, principal, key, fingerprint)
            response = self.get_response(request)
            if _is_result(response):
                _keep(record, response)
            else:
                record.delete()
        return response

    def _repeat(self, request: HttpRequest, principal: str, key: str, fingerprint: str) -> HttpResponse:
        record = IdempotencyRecord.objects.get(principal=principal, key=key)
        if record.fingerprint != fingerprint:
            message = gettext("该幂等键已用于另一份不同的提交，本次提交未被处理；请用新的幂等键重新提交")
            return _error(request, 409, REUSED_CODE, message)
        return _replay(record)


def receipt_of(principal: str, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(principal=principal, key=key, status__isnull=False).first()


def retention_hours() -> int:
    return int(getattr(settings, "SAFELOOP_IDEMPOTENCY_HOURS", 72))


@task()
def idempotency_purge() -> int:
    """Daily: remove the records older than SAFELOOP_IDEMPOTENCY_HOURS."""
    cutoff = timezone.now() - timedelta(hours=retention_hours())
    count, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return count
