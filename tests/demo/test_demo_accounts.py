"""The demo accounts: `enterprise_demo` is its enterprise's principal and `enterprise_safety` a
second account of the same enterprise, so the demo's double signatures and self-found loop work
as they would in a real enterprise."""

from __future__ import annotations

import random
from io import StringIO

from django.core.management import call_command

from safeloop.accounts.models import Position, User
from safeloop.accounts.selectors import signing_capacity
from safeloop.demo.registry import DEMO_USERNAMES, _accounts
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
