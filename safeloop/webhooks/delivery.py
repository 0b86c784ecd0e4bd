"""Webhooks (issue 20 item 3, ADR 0036): each change of the feed, as its subscriber's account
sees it, POSTed to the subscriber's address, signed, retried with backoff, logged.

The request that makes a change never sends anything: `core.changes.on_changes` tells
`changes_committed` after the commit, which enqueues `webhooks_pump` for the task worker. The
pump first *collects*: for each active subscription, under its row lock, it reads
`feed_page(owner, since=cursor)` a page at a time, stores each page as a `Delivery` (the exact
body) and moves the cursor, in one transaction — so a change is never missed and never put in
two deliveries (the feed's commit-order guarantee, `core.changes`). Then it *sends*: a
subscription's pending deliveries in position order, one pump at a time (`sending_until`, a
claim that lapses if a worker dies), stopping at the first failure so that the receiver gets
them in order. A failure is tried again after `backoff(attempts)` (a deferred pump task, and
the daily pass as a backstop); after `SAFELOOP_WEBHOOK_MAX_ATTEMPTS` it is failed, kept in the
log, and an administrator may replay it.

Headers (docs/api.md): `X-SafeLoop-Delivery` (the delivery's id, the same on every retry and
replay: the receiver's dedup key), `X-SafeLoop-Timestamp` (Unix seconds of this attempt) and
`X-SafeLoop-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime, timedelta
from typing import Any

import urllib3
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from safeloop.accounts.models import User
from safeloop.core.changes import feed_page
from safeloop.core.schedule import Tally, each
from safeloop.webhooks.models import Delivery, DeliveryStatus, Subscription
from safeloop.webhooks.targets import url_allowed

logger = logging.getLogger("safeloop.webhooks")
PAGE = 200  # changes per delivery
PAGES_PER_PASS = 50  # per subscription and pump; more: the pump enqueues itself again
CLAIM = timedelta(minutes=5)  # how long a pump's claim on a subscription's sending lasts
RESPONSE_READ = 64 * 1024  # bytes of a receiver's answer read (and dropped)
FIRST_DELAY, LONGEST_DELAY = 30, 3600  # seconds: 30 s, 1 min, 2 min … then hourly
SIGNATURE_HEADER, TIMESTAMP_HEADER, DELIVERY_HEADER = (
    "X-SafeLoop-Signature",
    "X-SafeLoop-Timestamp",
    "X-SafeLoop-Delivery",
)
_pool: urllib3.PoolManager | None = None


# ---------------------------------------------------------------- signing


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def signed_headers(delivery: Delivery, secret: str, body: bytes, timestamp: str | None = None) -> dict[str, str]:
    stamp = timestamp or str(int(time.time()))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "SafeLoop-Webhooks/1",
        DELIVERY_HEADER: str(delivery.pk),
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: signature(secret, stamp, body),
    }


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: doubling from 30 s, at most an hour."""
    return timedelta(seconds=min(FIRST_DELAY * 2 ** max(attempts - 1, 0), LONGEST_DELAY))


def max_attempts() -> int:
    return max(1, getattr(settings, "SAFELOOP_WEBHOOK_MAX_ATTEMPTS", 12))


# ---------------------------------------------------------------- the pump


def changes_committed() -> None:
    """After a commit that wrote changes (`core.changes.on_changes`): the worker's turn."""
    if Subscription.objects.filter(active=True).exists():
        webhooks_pump.enqueue()


def wake_pump(at: datetime | None = None) -> None:
    """Enqueue the pump (not before `at`, where the task backend can defer; else the next
    commit's pump or the daily pass sends it). Call after the writing transaction commits."""
    if at is not None and webhooks_pump.get_backend().supports_defer:
        webhooks_pump.using(run_after=at).enqueue()
    elif at is None:
        webhooks_pump.enqueue()


@task()
def webhooks_pump() -> dict[str, Any]:
    ids = list(Subscription.objects.filter(active=True).values_list("pk", flat=True))
    collected = each(ids, collect, job="webhooks collect")
    sent = send_due()
    return {"subscriptions": collected.done, "failed": collected.failed + sent.failed, "sent": sent.done}


def collect(subscription_id: int) -> int:
    """Store what the feed has for the subscription after its cursor as deliveries, and move
    the cursor, in one transaction under the subscription's row lock. Returns the deliveries made."""
    made, more = 0, False
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().filter(pk=subscription_id, active=True).first()
        if sub is None:
            return 0
        owner = User.objects.get(pk=sub.owner_id)
        for _page in range(PAGES_PER_PASS):
            rows, cursor = feed_page(owner, since=sub.cursor, types=sub.types, page_size=PAGE)
            if not rows:
                break
            _store(sub, rows, cursor)
            sub.cursor, made = cursor, made + 1
            more = len(rows) == PAGE and _page == PAGES_PER_PASS - 1
            if len(rows) < PAGE:
                break
        Subscription.objects.filter(pk=sub.pk).update(cursor=sub.cursor)
    if more:
        transaction.on_commit(wake_pump)
    return made


def _store(sub: Subscription, rows: list[dict[str, Any]], cursor: int) -> Delivery:
    delivery = Delivery(subscription=sub, first=rows[0]["position"], last=cursor, count=len(rows))
    payload = {"delivery": str(delivery.pk), "subscription": sub.pk, "cursor": cursor, "changes": rows}
    delivery.body = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    delivery.next_attempt_at = timezone.now()
    delivery.save(force_insert=True)
    return delivery


def send_due() -> Tally:
    """Send the due deliveries of every active subscription (the retry pass)."""
    due = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now(), subscription__active=True
    )
    ids = sorted(set(due.values_list("subscription_id", flat=True)))
    tally = Tally()
    for pk in ids:
        try:
            tally.done += send_subscription(pk)
        except Exception:  # noqa: BLE001 - one subscriber's trouble must not stop the others
            tally.failure("webhooks send", pk)
    return tally


def send_subscription(subscription_id: int) -> int:
    """Send the subscription's pending deliveries in position order while they are due and
    answered 2xx; one pump at a time per subscription. Returns how many were delivered."""
    now = timezone.now()
    free = Q(sending_until__isnull=True) | Q(sending_until__lt=now)
    if not Subscription.objects.filter(free, pk=subscription_id).update(sending_until=now + CLAIM):
        return 0  # another pump is sending for it
    sent = 0
    try:
        sub = Subscription.objects.get(pk=subscription_id)
        while sub.active:
            delivery = sub.deliveries.filter(status=DeliveryStatus.PENDING).order_by("first", "created_at").first()
            if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > timezone.now()):
                break
            if not attempt(sub, delivery):
                break
            sent += 1
            Subscription.objects.filter(pk=sub.pk).update(sending_until=timezone.now() + CLAIM)
    finally:
        Subscription.objects.filter(pk=subscription_id).update(sending_until=None)
    return sent


# ---------------------------------------------------------------- one attempt


def attempt(sub: Subscription, delivery: Delivery) -> bool:
    """POST the delivery once and record the outcome; no transaction is held during the call."""
    code, error = _post(sub, delivery)
    now = timezone.now()
    tries = delivery.attempts + 1
    values: dict[str, Any] = {"attempts": tries, "attempted_at": now, "last_code": code, "last_error": error[:300]}
    ok = not error
    if ok:
        values |= {"status": DeliveryStatus.DELIVERED, "delivered_at": now, "next_attempt_at": None}
    elif tries >= max_attempts():
        values |= {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
    else:
        values["next_attempt_at"] = now + backoff(tries)
    Delivery.objects.filter(pk=delivery.pk).update(**values)
    if values.get("next_attempt_at") and not ok:
        wake_pump(values["next_attempt_at"])
    return ok


def _post(sub: Subscription, delivery: Delivery) -> tuple[int | None, str]:
    """(response code, "" on success or why it failed, in words the log page shows)."""
    if not url_allowed(sub.url):
        return None, _("推送地址不在白名单中，未发送")
    body = delivery.body.encode()
    seconds = max(1, getattr(settings, "SAFELOOP_WEBHOOK_TIMEOUT_SECONDS", 10))
    try:
        response = _http().request(
            "POST",
            sub.url,
            body=body,
            headers=signed_headers(delivery, sub.secret, body),
            timeout=urllib3.Timeout(connect=min(3, seconds), read=seconds),
            retries=False,
            redirect=False,
            preload_content=False,
        )
    except urllib3.exceptions.TimeoutError:
        return None, _("对方未在限定时间内响应")
    except urllib3.exceptions.HTTPError as exc:
        logger.info("webhook %s to %s: %r", delivery.pk, sub.url, exc)
        return None, _("无法连接对方地址")
    try:
        response.read(RESPONSE_READ)
    except urllib3.exceptions.HTTPError:
        pass  # the status is what counts
    finally:
        response.release_conn()
    if 200 <= response.status < 300:
        return response.status, ""
    return response.status, _("对方返回 %(code)s") % {"code": response.status}


def _http() -> urllib3.PoolManager:
    global _pool  # noqa: PLW0603 - one connection pool per process
    if _pool is None:
        _pool = urllib3.PoolManager(num_pools=20, maxsize=2)
    return _pool
