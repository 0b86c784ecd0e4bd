"""The system administrator's page shows the ledger's published daily roots; nobody else opens it."""

import pytest
from django.urls import reverse

from safeloop.accounts.models import Role
from safeloop.core.ledger import ledger_publish
from safeloop.hazards.services import hazard_report
from tests.conftest import make_user


@pytest.mark.parametrize("role", [Role.CITY, Role.COUNTY, Role.ENTERPRISE])
def test_only_the_system_administrator_opens_the_system_page(login, reference, ziyang_enterprise, role):
    scope = {Role.CITY: {"region_id": "430900"}, Role.COUNTY: {"region_id": "430902"}}.get(role, {})
    user = make_user(role, **(scope or {"enterprise": ziyang_enterprise}))
    response = login(user).get(reverse("core:system"))
    assert response.status_code == 403
    assert "仅限系统管理员" in response.content.decode()


def test_the_system_page_shows_each_published_root(login, sysadmin_user, enterprise_user):
    hazard_report(
        actor=enterprise_user, data={"source": "self_check", "description": "配电箱未接地", "location": "车间"}
    )
    entry = ledger_publish()
    page = login(sysadmin_user).get(reverse("core:system")).content.decode()
    assert entry["root"] in page and "台账每日公示根" in page
    assert "数据安全" in page  # the menu offers it to the administrator
