"""A small world for the fuzzers: a user per demo role, two enterprises, a hazard with its
documents' kinds, an accident; and the values path parameters may take."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings

from safeloop.accidents.services import accident_create
from safeloop.accounts.models import Position, Role, User
from safeloop.experts.services import expert_assign
from safeloop.hazards.documents import TITLES
from safeloop.hazards.services import hazard_report
from safeloop.hazards.workflow import TRANSITIONS
from safeloop.inspections.services import inspection_create
from safeloop.inspections.workflow import FLOW as INSPECTION_FLOW
from safeloop.registry.models import Department, Enterprise, OfficerCertificate
from safeloop.workbench.dossier import TABS
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_enterprise, make_user
from tests.fuzz import tally

# The budget: examples per fuzz test (pages, API), about a minute and a half each on a 2-core
# machine; CI can raise or lower them without touching the code.
PAGE_EXAMPLES = int(os.environ.get("SAFELOOP_FUZZ_PAGE_EXAMPLES", "800"))
API_EXAMPLES = int(os.environ.get("SAFELOOP_FUZZ_API_EXAMPLES", "900"))
FUZZ = settings(
    deadline=None,
    database=None,  # nothing written into the work tree; a failure prints its reproduction blob
    print_blob=True,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.generate, Phase.target, Phase.shrink),
)


STATS, ANSWERS = tally.STATS, tally.ANSWERS  # what the fuzzers tried (tests/fuzz/tally.py)


@dataclass
class World:
    users: dict[str, User]
    ints: list[int] = field(default_factory=list)  # ids of records that exist
    strings: dict[str, list[str]] = field(default_factory=dict)  # by path parameter name


@pytest.fixture
def world(reference, media_root) -> World:
    ziyang = make_enterprise(region=ZIYANG_TOWN, category="hazchem", name="资阳安达化工有限公司")
    heshan = make_enterprise(region=HESHAN_TOWN, category="road_transport", name="赫山顺达运输有限公司")
    expert = make_user(Role.EXPERT)
    expert_assign(expert=expert, enterprise_ids=[ziyang.pk, heshan.pk])
    users = {
        "city": make_user(Role.CITY, region_id="430900"),
        "county": make_user(Role.COUNTY, region_id="430902"),
        "township": make_user(Role.TOWNSHIP, region_id=ZIYANG_TOWN),
        "department": make_user(
            Role.DEPARTMENT, department=Department.objects.get(region_id="430900", kind="transport")
        ),
        "enterprise": make_user(Role.ENTERPRISE, enterprise=ziyang, position=Position.PRINCIPAL),
        "expert": expert,
        "sysadmin": make_user(Role.SYSADMIN),
    }
    hazard_report(
        actor=users["city"],
        data={"enterprise": str(ziyang.pk), "source": "regulator", "description": "消防通道堵塞", "level": "general"},
    )
    _inspection(users["department"], heshan)
    accident_create(
        actor=users["county"],
        data={
            "title": "资阳运输事故",
            "occurred_at": timezone.now() - timedelta(days=1),
            "region": ZIYANG_TOWN,
            "sector": "road_transport",
            "deaths": 1,
        },
    )
    return World(users=users, ints=_existing_ids(), strings=_path_words(ziyang))


def _inspection(officer: User, enterprise: Enterprise) -> None:
    """An inspection (two certified officers of the city's transport bureau), so the inspection
    routes reach a real record."""
    colleague = make_user(Role.DEPARTMENT, department=officer.department)
    for n, user in enumerate((officer, colleague)):
        OfficerCertificate.objects.create(user=user, certificate_no=f"430900{n:03d}")
    data = {
        "enterprise": enterprise.pk,
        "enforcement_body": officer.department_id,
        "officers": [officer.pk, colleague.pk],
    }
    inspection_create(actor=officer, data=data)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _existing_ids() -> list[int]:
    """A few primary keys of every table with an integer key (so paths reach real records)."""
    found: set[int] = set()
    tables = set(connection.introspection.table_names())  # not the throwaway models other tests declare
    for model in apps.get_models():
        if isinstance(model._meta.pk, models.IntegerField) and model._meta.db_table in tables:
            found.update(model.objects.values_list("pk", flat=True)[:3])
    return sorted(found)


def _path_words(enterprise: Enterprise) -> dict[str, list[str]]:
    return {
        "action": sorted({t.action for t in TRANSITIONS} | {t.action for t in INSPECTION_FLOW.transitions}),
        "kind": sorted(TITLES),
        "variant": ["file", "thumb"],
        "table": ["indicators", "ranking", "sectors"],
        "tab": [tab.key for tab in TABS],
        "code": [getattr(enterprise, "public_code", "")],
        "region": ["430900", "430902", ZIYANG_TOWN],
    }
