"""The demo city obeys the rules it shows: every event of every generated hazard is a move the
workflow table allows, by a party it allows, with what the move requires (signatures, proof)."""

from collections import Counter, defaultdict
from datetime import date

import pytest

from safeloop.demo.hazards import seed_hazards
from safeloop.hazards.events import verify_all
from safeloop.hazards.models import DEADLINE_STATUSES, Attachment, EvidenceKind, Hazard, HazardEvent, Level, Status
from safeloop.hazards.workflow import ENTERPRISE, EXPERT, HAZARD_FLOW, REGULATOR, SUPERVISOR
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_enterprise

TODAY = date(2026, 11, 20)
TABLE = {(source, t.action): t for t in HAZARD_FLOW.transitions for source in t.sources}
PARTIES = {
    "enterprise": {ENTERPRISE},
    "expert": {EXPERT},
    "township": {REGULATOR},
    "county": {REGULATOR, SUPERVISOR},
    "city": {REGULATOR, SUPERVISOR},
    "department": {REGULATOR, SUPERVISOR},
}
TOWNS = [ZIYANG_TOWN, HESHAN_TOWN, "430902006", "430902102"]


@pytest.fixture
def demo(reference, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for n in range(300):
        make_enterprise(region=TOWNS[n % len(TOWNS)], principal_name=f"负责人{n}", safety_contact_name=f"安全员{n}")
    seed_hazards(seed=7, progress=lambda line: None, today=TODAY)
    events = defaultdict(list)
    for event in HazardEvent.objects.order_by("hazard_id", "seq"):
        events[event.hazard_id].append(event)
    return {h.pk: (h, events[h.pk]) for h in Hazard.objects.all()}


def _check_move(hazard: Hazard, event: HazardEvent, status: str) -> None:
    if event.action == "report":
        assert status == "" and event.to_status == Status.REPORTED
        return
    if event.action == "escalate":
        assert status in DEADLINE_STATUSES and event.to_status == status
        return
    row = TABLE.get((status, event.action))
    assert row is not None, f"{hazard.code}: {event.action} from {status}"
    assert event.to_status in (row.targets or (status,)), f"{hazard.code}: {event.action} → {event.to_status}"
    assert PARTIES[event.actor_role] & row.who(hazard), f"{hazard.code}: {event.action} by {event.actor_role}"


def _signed(events: list[HazardEvent], stage: str) -> set[str]:
    return {e.payload["party"] for e in events if e.action == "sign" and e.payload["stage"] == stage}


def _check_requirements(hazard: Hazard, events: list[HazardEvent], index: int, proofs: dict[str, Attachment]) -> None:
    event, before = events[index], events[:index]
    if hazard.level == Level.MAJOR and event.action == "confirm":
        assert _signed(before, "confirmation") == {ENTERPRISE, EXPERT}, hazard.code
    if hazard.level == Level.MAJOR and event.action == "accept":
        last_submission = max(i for i, e in enumerate(before) if e.action == "submit_rectification")
        assert _signed(before[last_submission:], "acceptance") == {ENTERPRISE, EXPERT}, hazard.code
    if event.action == "submit_rectification":
        started = next(e.at for e in before if e.action == "start")
        assert event.attachments, f"{hazard.code}: a rectification without proof"
        for sha in event.attachments:
            assert proofs[sha].kind == EvidenceKind.RECTIFICATION and proofs[sha].uploaded_at >= started
    if event.action in ("accept", "reject"):
        fixer = next(e.actor_name for e in reversed(before) if e.action == "submit_rectification")
        assert event.actor_name != fixer, f"{hazard.code}: accepted by its fixer"


def test_every_demo_event_is_a_move_the_table_allows(demo):
    proofs = {a.sha256: a for a in Attachment.objects.all()}
    for hazard, events in demo.values():
        status = ""
        for index, event in enumerate(events):
            assert event.from_status == status, hazard.code
            _check_move(hazard, event, status)
            _check_requirements(hazard, events, index, proofs)
            status = event.to_status
        assert status == hazard.status, hazard.code


def test_the_demo_shows_every_state_and_its_history_verifies(demo):
    statuses = Counter(hazard.status for hazard, _ in demo.values())
    missing = set(Status.values) - set(statuses)
    assert not missing, f"states the demo never reaches: {missing}"
    assert list(verify_all()) == []


def test_recurrences_link_both_ways_and_ordered_hazards_have_their_review(demo):
    hazards = [hazard for hazard, _ in demo.values()]
    for hazard in hazards:
        if hazard.status == Status.RECURRED:
            assert hazard.recurrences.count() == 1, hazard.code
        if hazard.recurrence_of_id:
            assert hazard.recurrence_of.status == Status.RECURRED
        if hazard.order_no and hazard.status in (Status.ACCEPTED, Status.CLOSED, Status.VERIFIED):
            assert hazard.review_no, f"{hazard.code}: accepted without its 整改复查意见书"
    verified_major = [h for h in hazards if h.status == Status.VERIFIED and h.level == Level.MAJOR]
    assert verified_major and all(
        h.attachments.filter(kind=EvidenceKind.RECTIFICATION).exists() for h in verified_major
    )


def test_each_hazards_events_happen_in_the_order_of_its_history(demo):
    """A history read by time tells the same story as by sequence (a plan before 开始整改)."""
    for hazard, events in demo.values():
        times = [event.at for event in events]
        assert times == sorted(times), f"{hazard.code}: " + ", ".join(f"{e.action} {e.at:%m-%d %H:%M}" for e in events)
