"""The one throttle (core/throttle.py) as another door would use it: a public channel limited
per address, hits kept when cleared, old hits purged, a refusal never counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory, override_settings

from safeloop.core.errors import Locked, Throttled
from safeloop.core.http import client_address
from safeloop.core.models import ThrottleHit
from safeloop.core.throttle import Limits, Throttle, throttle_hits_purge

REPORTS = Throttle("public_report", lambda: Limits(window=timedelta(hours=1), per_address=3))
SPOT = Throttle("spot", lambda: Limits(window=timedelta(minutes=10), per_key=2, delay_seconds=4, max_delay_seconds=30))


@pytest.mark.django_db
def test_a_per_address_limit_refuses_only_that_address_until_its_oldest_hit_leaves_the_window():
    with time_machine.travel("2026-11-30 09:00 +0800", tick=False):
        for _ in range(3):
            REPORTS.admit(key="", address="10.1.1.1")
    with time_machine.travel("2026-11-30 09:20 +0800", tick=False):
        with pytest.raises(Locked) as refused:
            REPORTS.admit(key="", address="10.1.1.1")
        REPORTS.admit(key="", address="10.2.2.2")
    assert refused.value.retry_after == 40 * 60
    assert ThrottleHit.objects.filter(scope="public_report").count() == 4  # the refusal is not a hit
    with time_machine.travel("2026-11-30 10:00:01 +0800", tick=False):
        REPORTS.admit(key="", address="10.1.1.1")


@pytest.mark.django_db
def test_a_key_limit_delays_other_addresses_progressively_and_never_locks_them():
    with time_machine.travel("2026-11-30 09:00:00 +0800", tick=False):
        SPOT.admit(key="k", address="10.0.0.1")
        SPOT.admit(key="k", address="10.0.0.1")
        with pytest.raises(Locked):
            SPOT.admit(key="k", address="10.0.0.1")
        with pytest.raises(Throttled) as delayed:
            SPOT.admit(key="k", address="10.0.0.2")
    assert not isinstance(delayed.value, Locked) and delayed.value.retry_after == 4
    with time_machine.travel("2026-11-30 09:00:04 +0800", tick=False):
        SPOT.admit(key="k", address="10.0.0.2")  # third hit on the key: the next delay doubles
    with time_machine.travel("2026-11-30 09:00:09 +0800", tick=False), pytest.raises(Throttled) as doubled:
        SPOT.admit(key="k", address="10.0.0.3")
    assert doubled.value.retry_after == 3  # 8 s after 09:00:04


@pytest.mark.django_db
def test_cleared_hits_stay_and_stop_counting_and_old_ones_are_purged():
    with time_machine.travel("2026-05-01 09:00 +0800", tick=False):
        SPOT.admit(key="k", address="10.0.0.1")
    SPOT.admit(key="k", address="10.0.0.1")
    SPOT.admit(key="k", address="10.0.0.1")
    assert SPOT.clear(key="k", address="10.0.0.1") == 2
    SPOT.admit(key="k", address="10.0.0.1")
    assert ThrottleHit.objects.filter(scope="spot").count() == 4
    assert throttle_hits_purge(keep=timedelta(days=180)) == 1


@override_settings(SAFELOOP_CLIENT_ADDRESS_HEADER="X-Forwarded-For")
def test_the_client_address_is_the_last_forwarded_entry_or_the_connection():
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.9.9.9")
    assert client_address(request) == "10.9.9.9"
    assert (
        client_address(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="junk")) == "127.0.0.1"
    )
