"""The migrations of 一企一码 give every enterprise registered before them its own code."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safeloop.registry.models import PUBLIC_CODE_LENGTH, Enterprise
from tests.conftest import ZIYANG_TOWN, credit_code

BEFORE = [("registry", "0003_enterprise_public_code")]
AFTER = [("registry", "0005_public_code_unique")]


@pytest.mark.django_db(transaction=True)
def test_existing_enterprises_get_distinct_codes(reference):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("registry", "Enterprise")
    for i in range(5):
        old.objects.create(name=f"旧企业{i}", credit_code=credit_code(), region_id=ZIYANG_TOWN, category_id="hazchem")
    assert set(old.objects.values_list("public_code", flat=True)) == {None}
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    codes = list(Enterprise.objects.values_list("public_code", flat=True))
    assert len(codes) == 5 and len(set(codes)) == 5
    assert all(len(code) == PUBLIC_CODE_LENGTH for code in codes)


@pytest.fixture(autouse=True)
def latest_schema_after():
    """Going back to 0003 unapplied every later migration of the registry and of the apps that
    depend on them: the tests after this one need the whole schema again."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
