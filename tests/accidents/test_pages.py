"""Accident, disaster and response pages: record, edit, 续报; bad input names the field and saves nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from safeloop.accidents.models import Accident, AccidentReport, Disaster, EmergencyResponse
from safeloop.accidents.services import accident_create
from tests.conftest import ZIYANG_TOWN


def _moment(delta: timedelta = timedelta(hours=3)) -> str:
    return timezone.localtime(timezone.now() - delta).strftime("%Y-%m-%dT%H:%M")


def _form(**fields) -> dict:
    data = {"title": "资阳某建筑工地坍塌", "occurred_at": _moment(), "region": ZIYANG_TOWN, "sector": "construction"}
    data.update(
        production_safety="on", deaths="1", missing="0", serious_injuries="2", injuries="0", direct_loss="120.5"
    )
    return data | fields


@pytest.fixture
def accident(ziyang_user):
    data = {"title": "资阳运输事故", "occurred_at": timezone.now() - timedelta(days=1), "region": ZIYANG_TOWN}
    return accident_create(actor=ziyang_user, data=data | {"sector": "road_transport", "deaths": 1})


def test_county_user_records_an_accident_through_the_form(login, ziyang_user, ziyang_enterprise):
    client = login(ziyang_user)
    assert client.get(reverse("accidents:accident_new")).status_code == 200
    response = client.post(reverse("accidents:accident_new"), _form(enterprise=str(ziyang_enterprise.pk)))
    accident = Accident.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("accidents:accident_detail", args=[accident.pk])
    assert (accident.enterprise, accident.deaths, str(accident.direct_loss)) == (ziyang_enterprise, 1, "120.50")
    assert accident.reports.get().kind == "initial"


def test_negative_deaths_are_refused_in_chinese_and_nothing_is_saved(login, ziyang_user):
    response = login(ziyang_user).post(reverse("accidents:accident_new"), _form(deaths="-1"))
    assert response.status_code == 200
    assert "死亡人数应为不小于0的整数" in response.content.decode()
    assert not Accident.objects.exists()


def test_accident_in_another_county_is_refused_on_the_region_field(login, heshan_user):
    response = login(heshan_user).post(reverse("accidents:accident_new"), _form())
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not Accident.objects.exists()


def test_enterprise_out_of_scope_is_refused(login, heshan_user, ziyang_enterprise):
    form = _form(region="430903003", enterprise=str(ziyang_enterprise.pk))
    response = login(heshan_user).post(reverse("accidents:accident_new"), form)
    assert "事故单位不存在或不在您的管辖范围内" in response.content.decode()
    assert not Accident.objects.exists()


@pytest.mark.parametrize("fixture", ["enterprise_user", "transport_user", "expert_user"])
def test_roles_that_do_not_record_accidents_get_403(fixture, request, login):
    client = login(request.getfixturevalue(fixture))
    assert client.get(reverse("accidents:accident_new")).status_code == 403
    assert client.get(reverse("accidents:disaster_new")).status_code == 403


def test_edit_keeps_the_road_factors_and_bumps_the_version(login, ziyang_user, accident):
    client = login(ziyang_user)
    page = client.get(reverse("accidents:accident_edit", args=[accident.pk]))
    assert page.context["form"].data["region"] == ZIYANG_TOWN
    form = _form(title="改名", sector="road_transport", deaths="1", serious_injuries="0", direct_loss="0")
    form.update(factor_road="弯道无警示标志", version=str(accident.version), occurred_at=_moment(timedelta(days=1)))
    assert client.post(reverse("accidents:accident_edit", args=[accident.pk]), form).status_code == 302
    accident.refresh_from_db()
    assert (accident.title, accident.factor_road, accident.version) == ("改名", "弯道无警示标志", 2)


def test_edit_with_a_stale_version_is_a_conflict_and_changes_nothing(login, ziyang_user, accident):
    form = _form(title="他人之后的修改", sector="road_transport", version=str(accident.version - 1 or 99))
    response = login(ziyang_user).post(reverse("accidents:accident_edit", args=[accident.pk]), form)
    assert "已被他人修改" in response.content.decode()
    accident.refresh_from_db()
    assert accident.title == "资阳运输事故"


def test_casualty_update_from_the_detail_page_is_a_report(login, ziyang_user, accident):
    client = login(ziyang_user)
    assert "提交续报" in client.get(reverse("accidents:accident_detail", args=[accident.pk])).content.decode()
    data = {"deaths": "3", "missing": "0", "serious_injuries": "0", "injuries": "1", "direct_loss": "10"}
    response = client.post(reverse("accidents:accident_casualties", args=[accident.pk]), data | {"note": "抢救无效"})
    assert response.status_code == 302
    accident.refresh_from_db()
    assert (accident.deaths, accident.grade) == (3, "larger")
    assert list(accident.reports.values_list("kind", flat=True)) == ["initial", "update"]


def test_casualty_update_after_the_road_window_shows_the_refusal(login, ziyang_user, accident):
    data = {"deaths": "2", "missing": "0", "serious_injuries": "0", "injuries": "0", "direct_loss": "0"}
    with time_machine.travel(timezone.now() + timedelta(days=7), tick=False):
        response = login(ziyang_user).post(reverse("accidents:accident_casualties", args=[accident.pk]), data)
    assert response.status_code == 200
    assert "已超过事故发生后7日的伤亡续报期限" in response.content.decode()
    accident.refresh_from_db()
    assert accident.deaths == 1
    assert AccidentReport.objects.filter(accident=accident).count() == 1


def test_list_and_detail_offer_the_buttons_to_writers_only(login, ziyang_user, transport_user, accident):
    body = login(ziyang_user).get(reverse("accidents:accident_list")).content.decode()
    assert reverse("accidents:accident_new") in body
    body = login(transport_user).get(reverse("accidents:accident_detail", args=[accident.pk])).content.decode()
    assert reverse("accidents:accident_edit", args=[accident.pk]) not in body


def test_disaster_is_recorded_and_edited_through_pages(login, ziyang_user):
    client = login(ziyang_user)
    data = {"title": "资阳洪涝", "kind": "flood", "occurred_on": timezone.localdate().isoformat(), "region": "430902"}
    data |= {"affected": "1200", "deaths": "0", "missing": "0", "direct_loss": "35"}
    assert client.post(reverse("accidents:disaster_new"), data).status_code == 302
    disaster = Disaster.objects.get()
    edit = reverse("accidents:disaster_edit", args=[disaster.pk])
    assert edit in client.get(reverse("accidents:disaster_list")).content.decode()
    assert client.post(edit, data | {"affected": "-5", "version": "1"}).context["form"].errors["affected"]
    assert client.post(edit, data | {"affected": "1500", "version": "1"}).status_code == 302
    disaster.refresh_from_db()
    assert (disaster.affected, disaster.version) == (1500, 2)
    assert client.post(edit, data | {"affected": "9", "version": "1"}).status_code == 200  # stale
    disaster.refresh_from_db()
    assert disaster.affected == 1500


def test_response_times_out_of_order_are_refused_naming_the_field(login, ziyang_user):
    client = login(ziyang_user)
    data = {"title": "资阳洪涝响应", "region": ZIYANG_TOWN, "reported_at": _moment(timedelta(hours=5))}
    data |= {"response_started_at": _moment(timedelta(hours=6)), "relief_needed": "on"}
    response = client.post(reverse("accidents:response_new"), data)
    assert "启动响应时间不能早于接报时间" in response.content.decode()
    assert not EmergencyResponse.objects.exists()
    data |= {"response_started_at": _moment(timedelta(hours=4)), "relief_arrived_at": _moment(timedelta(hours=2))}
    assert client.post(reverse("accidents:response_new"), data).status_code == 302
    response = EmergencyResponse.objects.get()
    edit = reverse("accidents:response_edit", args=[response.pk])
    late = client.post(edit, data | {"relief_distributed_at": _moment(timedelta(hours=3)), "version": "1"})
    assert "物资发放到户时间不能早于物资送达现场时间" in late.content.decode()
    assert (
        client.post(edit, data | {"relief_distributed_at": _moment(timedelta(hours=1)), "version": "1"}).status_code
        == 302
    )


def test_disaster_and_response_lists_use_a_fixed_number_of_queries(login, city_user, django_assert_max_num_queries):
    today = timezone.localdate()
    for i in range(30):
        Disaster.objects.create(title=f"灾害{i}", kind="flood", occurred_on=today, region_id=ZIYANG_TOWN)
        EmergencyResponse.objects.create(title=f"响应{i}", region_id=ZIYANG_TOWN, reported_at=timezone.now())
    client = login(city_user)
    for route in ("accidents:disaster_list", "accidents:response_list"):
        with django_assert_max_num_queries(8):
            assert client.get(reverse(route)).status_code == 200


@pytest.mark.parametrize("rows", [2, 30])
def test_the_accident_list_answers_in_a_fixed_number_of_queries(
    login, ziyang_user, city_user, rows, django_assert_max_num_queries
):
    data = {"occurred_at": timezone.now() - timedelta(days=1), "region": ZIYANG_TOWN, "sector": "road_transport"}
    for i in range(rows):
        accident_create(actor=ziyang_user, data=data | {"title": f"事故{i}", "deaths": i % 3})
    client = login(city_user)
    client.get(reverse("accidents:accident_list"))  # the scope's region picker is cached from here
    # session, user, count, page (regions with their parents in the same query), the top bar's
    # region, the bell
    with django_assert_max_num_queries(6):
        page = client.get(reverse("accidents:accident_list"))
    assert page.context["page"].paginator.count == rows
    html = page.content.decode()
    first = Accident.objects.order_by("-occurred_at", "-pk").first()
    assert f'<a href="{reverse("accidents:accident_detail", args=[first.pk])}">{first.title}</a>' in html
    assert 'data-label="发生地"' in html
