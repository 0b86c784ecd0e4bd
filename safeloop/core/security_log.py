"""The security event log (等保2.0 8.1.4.3 安全审计): who did what security-relevant thing, when,
from which address, with which result — sign-ins and their failures, sign-outs, API tokens,
password and permission changes, exports and downloads, administration, refused access.

`record(kind, *, request=None, user=None, result, detail)` is the one write, called by every
place that does such a thing (see docs/architecture.md for the list). It costs one indexed read
of the chain's head and one INSERT. Events form one keyed hash chain (`core.chain`'s
`keyed_hash`, an HMAC under the ledger key, over `chain_content` plus the address; outside the
ledger's global sequence, whose daily roots a retention cut would contradict): `seq` is unique, so two writers that read the same head
cannot both append — the loser retries from the new head. The database refuses UPDATE, and
DELETE of anything younger than 180 days; `security_log_purge`, a daily job, removes
events older than SAFELOOP_SECURITY_LOG_DAYS (never fewer than 180) from the start of the chain
and records that it did, with the hash it cut after, so `security_log_problems` can tell a
retention cut from a deletion.

A refusal (403, 404) is recorded by the error handlers, after the view's transaction has ended,
so the record survives the rollback of what was refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from safeloop.core.chain import GENESIS, UnknownKey, chain_content, current_key_id, keyed_hash, plain
from safeloop.core.http import client_address, current_request
from safeloop.core.models import SecurityEvent, SecurityKind, SecurityResult

ANONYMOUS = "匿名"  # the actor name of an unidentified client; stored and hashed, so never translated
LEGAL_MINIMUM_DAYS = 180  # issue 9 item 10 (等保2.0 8.1.4.3): kept at least six months
_APPEND_TRIES = 5
_PATH_MAX = 200

__all__ = ["SecurityKind", "SecurityResult", "record", "security_log_problems", "security_log_purge"]


# ---------------------------------------------------------------- the one write


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    result: str,
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Append one event. `request` defaults to the request being served (its address and path);
    `user` to that request's signed-in user. Inside a transaction the event commits (or rolls
    back) with it."""
    request = request if request is not None else current_request()
    if user is None and request is not None:
        user = _signed_in(request)
    payload = plain(detail or {})
    if request is not None:
        payload.setdefault("path", request.path[:_PATH_MAX])
    event = SecurityEvent(
        action=kind,
        actor=user if getattr(user, "pk", None) else None,
        actor_name=_actor_name(user, payload),
        actor_role=str(getattr(user, "role", "") or "")[:20],
        from_status="",
        to_status=result,
        payload=payload,
        attachments=[],
        address=client_address(request) if request is not None else "",
    )
    return _append(event)


def _signed_in(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _actor_name(user: Any, payload: dict[str, Any]) -> str:
    """The account's name; for an unidentified client the user name it tried, else 匿名."""
    name = str(user) if user is not None else str(payload.get("username") or ANONYMOUS)
    return name[:60]


def security_content(event: SecurityEvent) -> dict[str, Any]:
    """Everything an event asserts; its hash covers exactly this."""
    return {**chain_content(event, owner="log", key="security"), "address": event.address}


def _append(event: SecurityEvent) -> SecurityEvent:
    for attempt in range(_APPEND_TRIES):
        try:
            with transaction.atomic():
                last_seq, event.prev_hash = _head()
                event.seq, event.at, event.key_id = last_seq + 1, timezone.now(), current_key_id()
                event.hash = keyed_hash(event.key_id, event.prev_hash, security_content(event))
                event.save(force_insert=True)
            return event
        except IntegrityError:
            event.pk = None
            if attempt == _APPEND_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def _head() -> tuple[int, str]:
    return SecurityEvent.objects.order_by("-seq").values_list("seq", "hash").first() or (0, GENESIS)


# ---------------------------------------------------------------- refused access


def record_refusal(request: HttpRequest, status: int, exception: object = None) -> SecurityEvent | None:
    """A 403 or 404 answered to `request` (the error pages and the API's error handlers call
    this); the object when the refusal names one (`core.scope.NotVisible`). Requests for static
    files and the browser's favicon are not access decisions and are not recorded."""
    if request.path.startswith((settings.STATIC_URL or "/static/", "/favicon.ico")):
        return None
    detail: dict[str, Any] = {"status": status, "method": request.method}
    object_name = getattr(exception, "object_name", "")
    if object_name:
        detail |= {"object": object_name, "id": getattr(exception, "object_id", "")}
    return record(SecurityKind.ACCESS_REFUSED, request=request, result=SecurityResult.REFUSED, detail=detail)


# ---------------------------------------------------------------- sign-in, sign-out (Django's auth signals)


def on_logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(
        SecurityKind.LOGIN,
        request=request,
        user=user,
        result=SecurityResult.SUCCESS,
        detail={"username": user.username},
    )


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    record(SecurityKind.LOGIN, request=request, result=SecurityResult.FAILURE, detail={"username": username})


def on_logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(SecurityKind.LOGOUT, request=request, user=user, result=SecurityResult.SUCCESS)


# ---------------------------------------------------------------- retention


def retention_days() -> int:
    return max(getattr(settings, "SAFELOOP_SECURITY_LOG_DAYS", LEGAL_MINIMUM_DAYS), LEGAL_MINIMUM_DAYS)


@task()
def security_log_purge() -> int:
    """Remove the events older than the retention period (daily), from the start of the chain
    up to the first event inside the period, and record the cut; never anything younger."""
    cutoff = timezone.now() - timedelta(days=retention_days())
    first_kept = SecurityEvent.objects.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
    if first_kept is None:
        first_kept = (_head()[0] or 0) + 1
    last = SecurityEvent.objects.filter(seq__lt=first_kept).order_by("-seq").values_list("seq", "hash").first()
    if last is None:
        return 0
    with transaction.atomic():
        count, _by_model = SecurityEvent.objects.filter(seq__lte=last[0]).delete()
        detail = {"through": last[0], "last_hash": last[1], "count": count, "before": cutoff, "days": retention_days()}
        record(SecurityKind.LOG_PURGE, result=SecurityResult.SUCCESS, detail=detail)
    return count


# ---------------------------------------------------------------- verification


@dataclass(frozen=True)
class SecurityLogProblem:
    seq: int
    problem: str

    def __str__(self) -> str:
        return _("安全日志 #%(seq)s：%(problem)s") % {"seq": self.seq, "problem": self.problem}


def security_log_problems(*, chunk_size: int = 2000) -> Iterator[SecurityLogProblem]:
    """Walk the chain in order; report every break (resynchronising after each). The start must
    be the first event ever, or the event right after a recorded retention cut."""
    first = SecurityEvent.objects.order_by("seq").first()
    if first is None:
        return
    prev_hash, expected_seq = _start(first)
    if (prev_hash, expected_seq) != (first.prev_hash, first.seq):
        yield SecurityLogProblem(first.seq, _("日志开头的事件被删除（不是按保留期清理的）"))
        prev_hash, expected_seq = first.prev_hash, first.seq
    for event in SecurityEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        problem = _link_problem(event, prev_hash, expected_seq)
        if problem:
            yield SecurityLogProblem(event.seq, problem)
        prev_hash, expected_seq = event.hash, event.seq + 1


def _start(first: SecurityEvent) -> tuple[str, int]:
    """Where the chain must start: the genesis, or the recorded cut just before `first`."""
    if first.seq == 1:
        return GENESIS, 1
    cuts = (
        SecurityEvent.objects.filter(action=SecurityKind.LOG_PURGE).order_by("-seq").values_list("payload", flat=True)
    )
    for cut in cuts:
        if cut.get("through") == first.seq - 1:
            return str(cut.get("last_hash", "")), first.seq
    return GENESIS, 1


def _link_problem(event: SecurityEvent, prev_hash: str, expected_seq: int) -> str:
    if event.seq != expected_seq:
        return _("序号不连续（应为 #%(seq)s），事件被删除或插入") % {"seq": expected_seq}
    if event.prev_hash != prev_hash:
        return _("前序哈希不符，事件被删除、插入或重排")
    if not event.key_id:
        return _("事件没有密钥签名，被无密钥地重算")
    try:
        expected = keyed_hash(event.key_id, event.prev_hash, security_content(event))
    except UnknownKey:
        return _("事件使用了未知的密钥编号")
    if expected != event.hash:
        return _("内容与哈希不符，事件被修改")
    return ""
