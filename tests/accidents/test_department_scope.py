"""行业部门 users see the accidents of the categories they supervise in their region, derived from
the statistical sector (or the accident's enterprise), and respect an enterprise's assigned department."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeloop.accidents.selectors import AccidentFilters, accident_list
from safeloop.accidents.services import accident_create
from safeloop.registry.models import Department
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_enterprise


def _record(user, title, sector, region=ZIYANG_TOWN, **fields):
    data = {"title": title, "occurred_at": timezone.now() - timedelta(days=1), "region": region, "sector": sector}
    return accident_create(actor=user, data=data | fields)


@pytest.fixture
def city_accidents(city_user):
    overridden = make_enterprise(category="road_transport", name="指定住建监管的运输企业")
    overridden.supervising_department_override = Department.objects.get(region_id="430900", kind="housing")
    overridden.save(update_fields=["supervising_department_override"])
    return {
        "road": _record(city_user, "资阳客车侧翻", "road_transport"),
        "road_heshan": _record(city_user, "赫山货车追尾", "road_transport", region=HESHAN_TOWN),
        "building": _record(city_user, "资阳脚手架坍塌", "construction"),
        "traffic": _record(city_user, "资阳私家车碰撞", "road_traffic"),
        "overridden": _record(city_user, "指定部门的企业事故", "road_transport", enterprise=overridden.pk),
    }


def test_city_transport_department_sees_road_transport_accidents_of_the_city(transport_user, city_accidents):
    seen = set(accident_list(transport_user, AccidentFilters()).values_list("title", flat=True))
    assert seen == {"资阳客车侧翻", "赫山货车追尾"}


def test_department_opens_its_accident_but_not_another_sectors(login, transport_user, city_accidents):
    client = login(transport_user)
    assert client.get(reverse("accidents:accident_detail", args=[city_accidents["road"].pk])).status_code == 200
    for name in ("building", "traffic", "overridden"):
        assert client.get(reverse("accidents:accident_detail", args=[city_accidents[name].pk])).status_code == 404


def test_county_department_sees_only_its_county(city_accidents):
    from tests.conftest import make_user

    county_transport = make_user("department", department=Department.objects.get(region_id="430903", kind="transport"))
    seen = set(accident_list(county_transport, AccidentFilters()).values_list("title", flat=True))
    assert seen == {"赫山货车追尾"}


def test_correcting_the_sector_moves_the_accident_to_the_right_department(city_user, transport_user, city_accidents):
    from safeloop.accidents.services import accident_update

    building = city_accidents["building"]
    accident_update(actor=city_user, accident=building, data={"sector": "road_transport"})
    assert accident_list(transport_user, AccidentFilters()).filter(pk=building.pk).exists()
    road = city_accidents["overridden"]
    accident_update(actor=city_user, accident=road, data={"enterprise": None, "sector": "road_transport"})
    assert accident_list(transport_user, AccidentFilters()).filter(pk=road.pk).exists()
