"""One throttle for every door that can be knocked on repeatedly: sign-in (pages, API, password
confirmations), and next the public reporting channel and service accounts' rate limits.

    LOGIN = Throttle("login", login_limits)
    hit = LOGIN.admit(key=username, address=client_address(request))   # or Locked / Throttled
    ...                                                                 # the attempt itself
    LOGIN.clear(key=username, address=address)                         # it succeeded

`admit` records a hit *before* the attempt is made, holding the throttle's lock row, so parallel
requests queue for their count and the sixth of five allowed is refused however fast they come
(on SQLite the immediate transaction is the lock, on PostgreSQL `SELECT … FOR UPDATE`). A hit
counts until it leaves the window or is cleared; cleared hits are kept, marked, as a record.

The rules (docs/adr/0012-own-throttle.md says why they are not django-axes' or django-ratelimit's):
- `per_address` hits from one address (any key) refuse that address for the window;
- `per_key` hits on one key (an account) lock it *for the addresses that made them*; every other
  address meets a progressive delay after the key's last hit, never a lock, so nobody can lock an
  account out from elsewhere;
- `overall` hits in the whole scope: each address that has hits meets a progressive delay after
  its own last hit (an address that has not knocked yet passes).
A refusal is not a hit: a refused address cannot push its own lock, or the delay, further.

Addresses are the callers' (`core.http.client_address`: the trusted proxy's header,
SAFELOOP_CLIENT_ADDRESS_HEADER, else REMOTE_ADDR); an unknown address ("" or None) counts as one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from safeloop.core.errors import Locked, Throttled
from safeloop.core.models import ThrottleHit, ThrottleLock


@dataclass(frozen=True)
class Limits:
    window: timedelta
    per_key: int | None = None
    per_address: int | None = None
    overall: int | None = None
    delay_seconds: float = 1.0  # the first delay; each further hit doubles it…
    max_delay_seconds: float = 60.0  # …up to this

    def delay(self, beyond: int) -> float:
        """The wait after the `beyond`-th hit over a limit (1, 2, 4 … seconds, capped)."""
        return min(self.delay_seconds * 2 ** max(beyond - 1, 0), self.max_delay_seconds)


# What a refusal says; {wait} is "30秒" or "15分钟". A throttle may word its own (marked with
# gettext_noop where it is declared; translated when the refusal is made).
MESSAGES = {
    "key_locked": gettext_noop("尝试次数过多，已暂时锁定，请{wait}后再试"),
    "address_locked": gettext_noop("来自您所在地址的尝试次数过多，已暂时锁定，请{wait}后再试"),
    "delayed": gettext_noop("尝试过于频繁，请{wait}后再试"),
}


@dataclass(frozen=True)
class Throttle:
    scope: str
    limits: Callable[[], Limits]  # read at each call: the settings may change (tests, operators)
    messages: Mapping[str, str] | None = None

    def admit(self, *, key: str, address: str | None) -> ThrottleHit:
        """Record an attempt, or refuse it (`Locked`, `Throttled`) without recording it."""
        limits, now, address = self.limits(), timezone.now(), address or None
        with transaction.atomic():
            ThrottleLock.objects.select_for_update().get_or_create(name=self.scope)
            refusal = self._refusal(limits, key, address, now)
            if refusal is None:
                return ThrottleHit.objects.create(scope=self.scope, key=key, address=address, at=now)
        assert refusal is not None
        raise refusal

    def clear(self, *, key: str, address: str | None) -> int:
        """The attempt succeeded: this key's hits from this address stop counting (they stay)."""
        address = address or None
        return (
            self._open(timezone.now() - self.limits().window)
            .filter(key=key, address=address)
            .update(cleared_at=timezone.now())
        )

    def _open(self, since: datetime) -> QuerySet[ThrottleHit]:
        return ThrottleHit.objects.filter(scope=self.scope, at__gt=since, cleared_at__isnull=True)

    def _refusal(self, limits: Limits, key: str, address: str | None, now: datetime) -> Throttled | None:
        hits = self._open(now - limits.window)
        mine = Q(address=address) if address is not None else Q(address__isnull=True)
        # Aliases differ from the field names: an alias named like a field would shadow it.
        n = hits.aggregate(
            n_all=Count("pk"), n_key=Count("pk", filter=Q(key=key)), n_address=Count("pk", filter=mine),
            n_pair=Count("pk", filter=Q(key=key) & mine),
        )  # fmt: skip
        window_end = _window_end(limits.window, now)
        if limits.per_address and n["n_address"] >= limits.per_address:
            return self._locked("address_locked", window_end(hits.filter(mine), limits.per_address))
        if limits.per_key and n["n_key"] >= limits.per_key and n["n_pair"]:
            until = min(window_end(hits.filter(key=key), limits.per_key), window_end(hits.filter(mine, key=key), 1))
            return self._locked("key_locked", until)
        refusal = None
        if limits.per_key and n["n_key"] >= limits.per_key:
            refusal = self._delayed(hits.filter(key=key), limits.delay(n["n_key"] - limits.per_key + 1), now)
        if refusal is None and limits.overall and n["n_all"] >= limits.overall and n["n_address"]:
            refusal = self._delayed(hits.filter(mine), limits.delay(n["n_address"]), now)
        return refusal

    def _locked(self, reason: str, seconds: float) -> Locked:
        return Locked(self._message(reason, seconds), retry_after=math.ceil(seconds))

    def _delayed(self, hits: QuerySet[ThrottleHit], delay: float, now: datetime) -> Throttled | None:
        last = hits.order_by("-at").values_list("at", flat=True).first()
        wait = (last + timedelta(seconds=delay) - now).total_seconds() if last else 0
        if wait <= 0:
            return None
        return Throttled(self._message("delayed", wait), retry_after=math.ceil(wait))

    def _message(self, reason: str, seconds: float) -> str:
        words = (self.messages or {}).get(reason) or MESSAGES[reason]
        return _(words).format(wait=wait_words(seconds))


def _window_end(window: timedelta, now: datetime) -> Callable[[QuerySet[ThrottleHit], int], float]:
    """Seconds until fewer than `limit` of these hits are left in the window: until the
    `limit`-th newest leaves it."""

    def seconds(hits: QuerySet[ThrottleHit], limit: int) -> float:
        times = list(hits.order_by("-at").values_list("at", flat=True)[:limit])
        return max((times[-1] + window - now).total_seconds(), 1) if times else 1

    return seconds


def wait_words(seconds: float) -> str:
    if seconds < 60:
        return _("%(n)d秒") % {"n": max(1, math.ceil(seconds))}
    return _("%(n)d分钟") % {"n": math.ceil(seconds / 60)}


def throttle_hits_purge(*, keep: timedelta) -> int:
    """Hits older than `keep` are dropped: the security log keeps the sign-in record itself."""
    deleted, _by_model = ThrottleHit.objects.filter(at__lt=timezone.now() - keep).delete()
    return deleted


@task()
def throttle_purge() -> int:
    """Daily: hits past `SAFELOOP_THROTTLE_KEEP_DAYS` (they no longer count long before)."""
    return throttle_hits_purge(keep=timedelta(days=settings.SAFELOOP_THROTTLE_KEEP_DAYS))
