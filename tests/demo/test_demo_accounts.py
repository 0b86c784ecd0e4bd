"""The demo accounts: `enterprise_demo` is its enterprise's principal and `enterprise_safety` a
second account of the same enterprise, so the demo's double signatures and self-found loop work
as they would in a real enterprise."""

from __future__ import annotations

import random
from datetime import date
from io import StringIO

from django.core.management import call_command

from safeloop.accounts.models import Position, User
from safeloop.accounts.selectors import signing_capacity
from safeloop.demo.hazards import seed_hazards
from safeloop.demo.registry import DEMO_USERNAMES, _accounts
from safeloop.hazards.models import Level, Status
from safeloop.hazards.selectors import todo
from safeloop.hazards.todo import step_of
from tests.conftest import PASSWORD, make_enterprise


def test_the_demo_enterprise_has_a_principal_and_a_safety_manager(reference):
    make_enterprise(region="430903003", category="hazchem", name="赫山演示化工有限公司")
    accounts = _accounts(random.Random(1), PASSWORD)
    assert set(DEMO_USERNAMES) == set(accounts.usernames)
    principal, safety = User.objects.get(username="enterprise_demo"), User.objects.get(username="enterprise_safety")
    assert principal.enterprise_id == safety.enterprise_id is not None
    assert (principal.position, safety.position) == (Position.PRINCIPAL, Position.SAFETY_MANAGER)
    assert signing_capacity(principal) is not None and signing_capacity(safety) is None
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    printed = out.getvalue()
    assert "enterprise_safety" in printed and "安全管理员" in printed and "主要负责人" in printed


def test_the_demo_expert_and_principal_find_signatures_waiting(reference, settings, tmp_path):
    """At every enterprise of the demo accounts a major hazard waits for the confirmation
    signatures and one for the acceptance signatures, on the expert's and the principal's to-do."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for n in range(4):
        make_enterprise(region="430903003", category="hazchem", name=f"赫山演示化工{n}有限公司")
    _accounts(random.Random(1), PASSWORD)
    seed_hazards(seed=3, progress=lambda line: None, today=date(2026, 11, 20))
    for username in ("expert_demo", "enterprise_demo"):
        user = User.objects.get(username=username)
        waiting = todo(user, date(2026, 11, 20)).filter(level=Level.MAJOR)
        statuses = set(waiting.values_list("status", flat=True))
        assert {Status.REPORTED, Status.AWAITING_ACCEPTANCE} <= statuses, username
        assert {step_of(h.awaiting).action for h in waiting} == {"sign"}, username
