"""Issue 20 item 3: webhooks. A receiver verifies every signature; a receiver that is down gets
the deliveries after it comes back; the request that made a change sends nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from safeloop.hazards.services import hazard_report
from safeloop.webhooks.delivery import backoff, send_due, webhooks_pump
from safeloop.webhooks.models import Delivery, DeliveryStatus
from safeloop.webhooks.services import delivery_replay, target_remove
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_enterprise


def committed(capture, write):
    """Run a service write as a request would: its transaction commits (on_commit callbacks run)."""
    with capture(execute=True):
        return write()


def report(user, enterprise):
    data = {"enterprise": enterprise.pk, "source": "regulator", "description": "消防通道堆放杂物"}
    return hazard_report(actor=user, data=data)


def pumps(backend):
    return [r for r in backend.results if r.task.name == webhooks_pump.name]


def test_every_delivery_is_signed_and_holds_only_the_subscribers_scope(
    hook, receiver, ziyang_user, heshan_user, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    ours = committed(capture, lambda: make_enterprise(region=ZIYANG_TOWN))
    theirs = committed(capture, lambda: make_enterprise(region=HESHAN_TOWN))
    hazard = committed(capture, lambda: report(ziyang_user, ours))
    committed(capture, lambda: report(heshan_user, theirs))
    webhooks_pump.call()
    assert receiver.bad == [] and len(receiver.received) >= 1
    seen = [(c["type"], c["id"]) for c in receiver.changes]
    assert seen == [("enterprise", ours.pk), ("hazard", hazard.pk)]  # nothing of 赫山区
    assert receiver.changes[1]["data"]["status"] == "reported"
    positions = [c["position"] for c in receiver.changes]
    assert positions == sorted(set(positions))
    assert {p["delivery"] for p in receiver.received} == {str(p["body"]["delivery"]) for p in receiver.received}
    assert Delivery.objects.filter(subscription=hook, status=DeliveryStatus.DELIVERED).count() == len(receiver.received)
    webhooks_pump.call()  # nothing new: nothing sent twice
    assert len(receiver.changes) == 2


def test_a_change_only_enqueues_the_pump_and_a_receiver_that_was_down_gets_everything_after(
    hook, receiver, ziyang_user, dummy_tasks, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    receiver.stop()
    enterprise = committed(capture, lambda: make_enterprise(region=ZIYANG_TOWN))
    assert len(pumps(dummy_tasks)) == 1  # the commit handed the work to the worker …
    assert not Delivery.objects.exists() and receiver.received == []  # … and sent nothing itself
    webhooks_pump.call()
    first = Delivery.objects.get()
    assert first.status == DeliveryStatus.PENDING and first.attempts == 1 and first.last_code is None
    assert first.last_error and first.next_attempt_at > timezone.now()
    retry = pumps(dummy_tasks)[-1]
    assert retry.task.run_after == first.next_attempt_at  # the worker will try again, not before
    hazard = committed(capture, lambda: report(ziyang_user, enterprise))
    webhooks_pump.call()  # collected, but not sent before the first: order holds
    second = Delivery.objects.exclude(pk=first.pk).get()
    assert second.attempts == 0 and second.status == DeliveryStatus.PENDING

    receiver.start()  # back, on the same port
    with time_machine.travel(first.next_attempt_at + timedelta(seconds=1)):
        assert send_due().done == 2
    assert receiver.bad == []
    assert [(c["type"], c["id"]) for c in receiver.changes] == [("enterprise", enterprise.pk), ("hazard", hazard.pk)]
    assert [p["delivery"] for p in receiver.received] == [str(first.pk), str(second.pk)]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}


def test_backoff_doubles_up_to_an_hour_and_gives_up_after_the_last_attempt(
    hook, receiver, settings, django_capture_on_commit_callbacks
):
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]
    settings.SAFELOOP_WEBHOOK_MAX_ATTEMPTS = 3
    receiver.status = 500
    committed(django_capture_on_commit_callbacks, lambda: make_enterprise(region=ZIYANG_TOWN))
    webhooks_pump.call()
    for _attempt in range(2):
        due = Delivery.objects.get().next_attempt_at
        with time_machine.travel(due + timedelta(seconds=1)):
            send_due()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_code) == (DeliveryStatus.FAILED, 3, 500)
    assert delivery.next_attempt_at is None and "500" in delivery.last_error
    assert len(receiver.received) == 3 and receiver.bad == []  # each attempt signed anew


def test_replay_sends_the_same_body_and_id_with_a_fresh_signature(
    hook, receiver, sysadmin_user, django_capture_on_commit_callbacks
):
    committed(django_capture_on_commit_callbacks, lambda: make_enterprise(region=ZIYANG_TOWN))
    webhooks_pump.call()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    committed(django_capture_on_commit_callbacks, lambda: delivery_replay(actor=sysadmin_user, delivery_id=delivery.pk))
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
    webhooks_pump.call()
    assert receiver.bad == [] and len(receiver.received) == 2
    assert receiver.received[0]["body"] == receiver.received[1]["body"]
    assert receiver.received[0]["delivery"] == receiver.received[1]["delivery"] == str(delivery.pk)
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


def test_an_address_taken_off_the_allow_list_is_not_sent_to(
    hook, receiver, sysadmin_user, django_capture_on_commit_callbacks
):
    from safeloop.webhooks.models import AllowedTarget

    target_remove(actor=sysadmin_user, target_id=AllowedTarget.objects.get().pk)
    committed(django_capture_on_commit_callbacks, lambda: make_enterprise(region=ZIYANG_TOWN))
    webhooks_pump.call()
    delivery = Delivery.objects.get()
    assert receiver.received == [] and receiver.bad == []
    assert delivery.status == DeliveryStatus.PENDING and "白名单" in delivery.last_error


def test_a_paused_subscription_catches_up_when_resumed(
    hook, receiver, sysadmin_user, django_capture_on_commit_callbacks
):
    from safeloop.webhooks.services import subscription_set_active

    subscription_set_active(actor=sysadmin_user, subscription_id=hook.pk, active=False)
    enterprise = committed(django_capture_on_commit_callbacks, lambda: make_enterprise(region=ZIYANG_TOWN))
    webhooks_pump.call()
    assert receiver.received == [] and not Delivery.objects.exists()
    subscription_set_active(actor=sysadmin_user, subscription_id=hook.pk, active=True)
    webhooks_pump.call()
    assert [(c["type"], c["id"]) for c in receiver.changes] == [("enterprise", enterprise.pk)]


@pytest.mark.parametrize("page", [3])
def test_a_large_batch_is_split_into_deliveries_without_gap_or_repeat(
    hook, receiver, page, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("safeloop.webhooks.delivery.PAGE", page)
    made = [
        committed(django_capture_on_commit_callbacks, lambda: make_enterprise(region=ZIYANG_TOWN)) for _ in range(7)
    ]
    webhooks_pump.call()
    assert receiver.bad == [] and len(receiver.received) == 3
    assert [c["id"] for c in receiver.changes] == [e.pk for e in made]
    assert [p["body"]["cursor"] for p in receiver.received] == sorted({p["body"]["cursor"] for p in receiver.received})


def test_listeners_hear_once_per_committed_transaction_and_never_of_a_rollback(
    reference, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from safeloop.core.changes import _committed

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        make_enterprise(region=ZIYANG_TOWN)
        make_enterprise(region=HESHAN_TOWN)
    assert [fn for fn in callbacks if fn is _committed] == [_committed]
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                make_enterprise(region=ZIYANG_TOWN)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert [fn for fn in callbacks if fn is _committed] == []


def test_the_pump_is_also_a_daily_pass():
    from safeloop.core.schedule import daily_tasks

    assert webhooks_pump in daily_tasks()
