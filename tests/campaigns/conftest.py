"""Campaign fixtures: a dust-explosion cluster in 资阳区 with a major seed hazard, and helpers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from safeloop.hazards.models import Level, Source
from safeloop.hazards.services import hazard_create
from safeloop.standards.models import Clause
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_enterprise


@pytest.fixture
def dust(reference):
    """The seed enterprise, two similar ones in 资阳区, one unlike, and a similar one in 赫山区."""
    return {
        "seed": make_enterprise(region=ZIYANG_TOWN, category="machinery", industry_code="3311", dust_explosion=True),
        "twin": make_enterprise(region=ZIYANG_TOWN, category="machinery", industry_code="3312", dust_explosion=True),
        "cousin": make_enterprise(region=ZIYANG_TOWN, category="textile", industry_code="1711", dust_explosion=True),
        "unlike": make_enterprise(region=ZIYANG_TOWN, category="hazchem", industry_code="2614"),
        "far": make_enterprise(region=HESHAN_TOWN, category="machinery", industry_code="3311", dust_explosion=True),
    }


@pytest.fixture
def seed_hazard(dust, city_user):
    values = {
        "enterprise": dust["seed"],
        "description": "除尘系统未采用泄爆、隔爆措施",
        "location": "打磨车间",
        "nature": "",
        "level": Level.MAJOR,
        "clause": Clause.objects.get(pk="GM10-11-03"),
        "source": Source.REGULATOR,
        "finder_name": "检查组",
        "found_on": timezone.localdate(),
    }
    with transaction.atomic():  # hazard_create runs inside its caller's transaction
        hazard, _event = hazard_create(actor=city_user, values=values)
    return hazard


def later(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def campaign_data(**overrides):
    data = {
        "title": "工贸企业安全隐患排查整治百日攻坚行动",
        "kind": "hundred_days",
        "starts_on": timezone.localdate().isoformat(),
        "ends_on": later(100),
        "task_days": 10,
        "target_filter": {"features": ["dust_explosion"]},
    }
    data.update(overrides)
    return data
