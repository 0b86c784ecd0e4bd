"""Two people acting on the same hazard at once: exactly one wins, the other gets a conflict."""

import threading

import pytest
from django.db import close_old_connections

from safeloop.core.errors import Conflict
from safeloop.hazards.models import Hazard, HazardEvent
from safeloop.hazards.workflow import hazard_act


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirmations_one_wins(general_self_found, boss, ziyang_user):
    hazard = general_self_found.hazard
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(user, action, data):
        barrier.wait()
        try:
            hazard_act(hazard_id=hazard.pk, actor=user, action=action, version=hazard.version, data=data)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=act, args=(boss, "confirm", {})),
        threading.Thread(target=act, args=(ziyang_user, "withdraw", {"reason": "误报"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    hazard.refresh_from_db()
    assert hazard.version == 2
    assert HazardEvent.objects.filter(hazard=hazard).count() == 2
    assert Hazard.objects.get(pk=hazard.pk).status in ("confirmed", "withdrawn")
