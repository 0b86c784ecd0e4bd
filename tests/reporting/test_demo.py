"""The demo city's reporting state: a minority with a mechanism, key sectors ahead, some late,
reports in several states, all through the services (the chains verify)."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from safeloop.accounts.models import User
from safeloop.core.chain import chain_verify_all
from safeloop.demo.registry import _accounts
from safeloop.demo.reporting import seed_reporting
from safeloop.reporting.models import Report, ReportEvent, RewardMechanism
from safeloop.reporting.stats import compliance
from tests.conftest import PASSWORD, make_enterprise

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_plausible_state(reference):
    make_enterprise(region="430903003", category="hazchem", name="赫山演示化工有限公司")
    for i in range(40):
        make_enterprise(region="430903003", category="hazchem" if i % 2 else "education")
    _accounts(random.Random(1), PASSWORD)
    names = seed_reporting(seed=3, progress=lambda _s: None, password=PASSWORD)
    assert names == ["township_demo"] and User.objects.filter(username="township_demo").exists()
    city = User.objects.get(username="city_admin")
    result = compliance(city, year=timezone.localdate().year, by="category", today=timezone.localdate())
    assert 0 < result.total.established < result.total.total / 2
    assert result.total.established == RewardMechanism.objects.filter(established=True).count()
    assert result.total.late > 0
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {"received", "checking", "verified", "rejected"} <= statuses
    assert Report.objects.filter(reward_status="paid").count() == 1
    assert list(chain_verify_all(ReportEvent)) == []
