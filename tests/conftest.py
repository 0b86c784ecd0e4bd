"""Shared fixtures: reference data, enterprises with valid codes, a user per role."""

from __future__ import annotations

import itertools
import os
import time
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import timezone

from safeloop.accounts.middleware import SEEN_AT, SIGNED_IN_AT
from safeloop.accounts.models import Role, User
from safeloop.accounts.services import user_create
from safeloop.core.codes import make_credit_code
from safeloop.core.db import allow_changes_sql, refuse_changes_sql, refuse_updates_and_young_deletes_sql
from safeloop.core.security_log import LEGAL_MINIMUM_DAYS
from safeloop.enforcement.models import ClueKind
from safeloop.experts.services import expert_assign
from safeloop.registry.models import Category, Department, Enterprise
from safeloop.registry.reference import reference_load
from safeloop.registry.services import enterprises_bulk_register
from safeloop.standards.catalogue import catalogue_load
from safeloop.standards.models import Clause
from tests.fuzz import tally as fuzz_tally

PASSWORD = "Test@pass-2026"
_serial = itertools.count(1)

# Two townships in different counties of the demo city, used throughout.
ZIYANG_TOWN = "430902005"  # 资阳区 大码头街道
HESHAN_TOWN = "430903003"  # 赫山区
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def in_a_year(days_before: int = 0) -> str:
    """A deadline that is not due for a long while, yet within the dates inputs accept (at
    most SAFELOOP_DATE_MAX_YEARS_AHEAD years ahead)."""
    return (timezone.localdate() + timedelta(days=365 - days_before)).isoformat()


def credit_code(county: str = "430902") -> str:
    return make_credit_code(f"91{county}{next(_serial):09d}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data is loaded once into the test database, like a migration would."""
    with django_db_blocker.unblock():
        reference_load()


def pytest_collection_modifyitems(items):
    """Browser tests flush the database (transactional); run them last so the rest keep the
    reference data loaded once at set-up."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def reference(db):
    """Reference data and the standards catalogue (a data migration loads it); reloaded when a
    transactional test has flushed them."""
    if not Category.objects.exists():
        reference_load()
    if not Clause.objects.exists():
        catalogue_load(force=True)
    if not ClueKind.objects.exists():  # loaded by a data migration, flushed like the rest
        import_module("safeloop.enforcement.migrations.0002_clue_kinds_and_append_only").load_kinds(django_apps, None)


def make_enterprise(*, region: str = ZIYANG_TOWN, category: str = "hazchem", **fields) -> Enterprise:
    fields.setdefault("name", f"测试企业{next(_serial)}有限公司")
    fields.setdefault("credit_code", credit_code(region[:6]))
    enterprise = Enterprise(region_id=region, category_id=category, **fields)
    enterprises_bulk_register(enterprises=[enterprise])
    return Enterprise.objects.get(credit_code=enterprise.credit_code)


def make_user(role: str, username: str | None = None, **scope) -> User:
    return user_create(username=username or f"{role}{next(_serial)}", password=PASSWORD, role=role, **scope)


@pytest.fixture
def ziyang_enterprise(reference) -> Enterprise:
    return make_enterprise(region=ZIYANG_TOWN, category="hazchem", name="资阳安达化工有限公司")


@pytest.fixture
def heshan_enterprise(reference) -> Enterprise:
    return make_enterprise(region=HESHAN_TOWN, category="road_transport", name="赫山顺达运输有限公司")


@pytest.fixture
def city_user(reference) -> User:
    return make_user(Role.CITY, region_id="430900")


@pytest.fixture
def ziyang_user(reference) -> User:
    return make_user(Role.COUNTY, region_id="430902")


@pytest.fixture
def heshan_user(reference) -> User:
    return make_user(Role.COUNTY, region_id="430903")


@pytest.fixture
def township_user(reference) -> User:
    return make_user(Role.TOWNSHIP, region_id=ZIYANG_TOWN)


@pytest.fixture
def transport_user(reference) -> User:
    return make_user(Role.DEPARTMENT, department=Department.objects.get(region_id="430900", kind="transport"))


@pytest.fixture
def enterprise_user(ziyang_enterprise) -> User:
    return make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise)


@pytest.fixture
def expert_user(reference, heshan_enterprise) -> User:
    user = make_user(Role.EXPERT)
    expert_assign(expert=user, enterprise_ids=[heshan_enterprise.pk])
    return user


@pytest.fixture
def sysadmin_user(reference) -> User:
    return make_user(Role.SYSADMIN)


def signed_in(client, user: User):
    """`force_login`, and the session marks the login page sets (accounts.middleware), so a
    page's first request is like any later one (no renewal write)."""
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = session[SEEN_AT] = int(time.time())
    session.save()
    return client


@pytest.fixture
def login(client):
    def _login(user: User):
        return signed_in(client, user)

    return _login


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files (evidence, sealed documents) go to the test's own folder, never var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def board_store(settings, tmp_path):
    """The map board's stored figures (issue 19) per test, never var/."""
    settings.SAFELOOP_BOARD_STORE = tmp_path / "board"


@pytest.fixture(autouse=True)
def ledger_roots_file(settings, tmp_path):
    """The published ledger roots go to the test's own file, never var/."""
    settings.SAFELOOP_LEDGER_ROOTS_FILE = tmp_path / "ledger_roots.jsonl"


APPEND_ONLY = (
    "core_sealedrecord",
    "hazards_hazardevent",
    "checklists_checklistevent",
    "experts_stationingevent",
    "reporting_reportevent",
    "inspections_inspectionevent",
    "campaigns_campaignevent",
    "campaigns_taskevent",
    "enforcement_clueevent",  # issue 17
    "enforcement_caseevent",
    "flood_dangerevent",
    "flood_alertevent",
    "duties_taskevent",
    "briefings_briefingevent",
)  # tables whose triggers refuse UPDATE and DELETE


def _guards(vendor: str) -> dict[str, list[str]]:
    """Each append-only table and the statements that put its triggers back; the security log
    refuses only the DELETE of young rows (core.db.refuse_updates_and_young_deletes_sql)."""
    guards = {table: refuse_changes_sql(vendor, table) for table in APPEND_ONLY}
    guards["core_securityevent"] = refuse_updates_and_young_deletes_sql(
        vendor, "core_securityevent", column="at", days=LEGAL_MINIMUM_DAYS
    )
    return guards


@pytest.fixture(autouse=True)
def append_only_cleared(request):
    """Sealed records, events and security events refuse DELETE (on SQLite a flush is DELETE): a
    test that commits them (transactional) has them removed, triggers lifted for that moment,
    before the flush."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    present = set(connection.introspection.table_names())  # a migration test may have unmade a table
    with connection.cursor() as cursor:
        for table, restore in _guards(connection.vendor).items():
            if table not in present:
                continue
            for statement in [*allow_changes_sql(connection.vendor, table), f"DELETE FROM {table}", *restore]:  # noqa: S608
                cursor.execute(statement)


@pytest.fixture
def tamperable(db):
    """Lift the append-only triggers for this test (its transaction is rolled back after it):
    tests that play the attacker with raw SQL."""
    with connection.cursor() as cursor:
        for table in APPEND_ONLY:
            for statement in allow_changes_sql(connection.vendor, table):
                cursor.execute(statement)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 at production strength costs ~0.3 s a user; tests create hundreds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def caches_cleared():
    """What a page caches (the list pickers, registry.pickers) outlives a test's rolled-back data:
    every test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    """SAFELOOP_FEED_CHECK=1 (or "all", counting objects the feed never saw): after each database
    test, before its rollback, every registered type's feed must equal the database
    (tests/feed/consistency.py), written to SAFELOOP_FEED_CHECK_LOG — a way to find a write path
    without `changed()` by running an app's tests."""
    outcome = yield
    mode = os.environ.get("SAFELOOP_FEED_CHECK")
    uses_db = {"db", "transactional_db"} & set(pyfuncitem.fixturenames) or pyfuncitem.get_closest_marker("django_db")
    if not mode or outcome.excinfo is not None or not uses_db:
        return
    from tests.feed.consistency import feed_problems

    problems = feed_problems(missing=mode == "all")
    if problems:
        with open(os.environ.get("SAFELOOP_FEED_CHECK_LOG", "/dev/null"), "a") as log:
            log.write(f"{pyfuncitem.nodeid}\n" + "".join(f"    {p}\n" for p in problems[:20]))


# ---------------------------------------------------------------- the fuzzers' tally (tests/fuzz/tally.py)


def pytest_sessionfinish(session):
    """A pytest-xdist worker hands its fuzz tally to the controller."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["fuzz"] = fuzz_tally.handed_over()


def pytest_testnodedown(node, error):
    fuzz_tally.take(getattr(node, "workeroutput", {}).get("fuzz"))


def pytest_terminal_summary(terminalreporter):
    for line in fuzz_tally.summary_lines():
        terminalreporter.write_line(line)
