"""Every hazard route, tried by a user of another county: 404 for objects, nothing in lists."""

import pytest
from django.urls import reverse

from safeloop.hazards.models import HazardEvent
from safeloop.hazards.services import hazard_report
from tests.conftest import in_a_year
from tests.hazards.conftest import Loop


@pytest.fixture
def secret(ziyang_user, ziyang_enterprise, worker):
    """A Ziyang regulator finding with an order (a sealed document) and an attachment."""
    loop = Loop(
        hazard_report(
            actor=ziyang_user,
            data={"enterprise": ziyang_enterprise.pk, "source": "regulator", "description": "消防通道堆放杂物"},
        )
    )
    loop.act(ziyang_user, "confirm")
    loop.act(ziyang_user, "assign", responsible_unit="车间", responsible_person="王", deadline=in_a_year())
    attachment_id = loop.upload(worker)
    return loop.hazard, attachment_id


@pytest.mark.parametrize(
    "name, method, kwargs",
    [
        ("hazards:detail", "get", lambda h, a: {"pk": h.pk}),
        ("hazards:act", "post", lambda h, a: {"pk": h.pk, "action": "start"}),
        ("hazards:upload", "post", lambda h, a: {"pk": h.pk}),
        ("hazards:document", "get", lambda h, a: {"pk": h.pk, "kind": "order"}),
        ("hazards:attachment", "get", lambda h, a: {"pk": a, "variant": "file"}),
    ],
)
def test_other_county_gets_404_for_every_hazard_object_route(name, method, kwargs, login, heshan_user, secret):
    hazard, attachment_id = secret
    before = HazardEvent.objects.count()
    response = getattr(login(heshan_user), method)(
        reverse(name, kwargs=kwargs(hazard, attachment_id)), {"version": hazard.version}
    )
    assert response.status_code == 404
    assert HazardEvent.objects.count() == before


@pytest.mark.parametrize(
    "name, params",
    [
        ("hazards:ledger", {}),
        ("hazards:export", {}),
        ("hazards:todo", {}),
        ("hazards:enterprise_options", {"q": "资阳"}),
        ("hazards:ledger", {"q": "YH-430902"}),
    ],
)
def test_other_county_lists_do_not_mention_the_hazard(name, params, login, heshan_user, secret):
    hazard, _ = secret
    response = login(heshan_user).get(reverse(name), params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert hazard.code.encode() not in body
    assert hazard.enterprise.name.encode() not in body


def test_owner_can_reach_every_object_route(login, boss, secret):
    hazard, attachment_id = secret
    client = login(boss)
    assert client.get(reverse("hazards:detail", args=[hazard.pk])).status_code == 200
    assert client.get(reverse("hazards:document", args=[hazard.pk, "order"])).status_code == 200
    assert client.get(reverse("hazards:attachment", args=[attachment_id, "thumb"])).status_code == 200


def test_the_on_spot_page_does_not_name_an_enterprise_outside_scope(login, heshan_user, ziyang_enterprise):
    body = login(heshan_user).get(reverse("hazards:on_spot"), {"enterprise": ziyang_enterprise.pk}).content.decode()
    assert ziyang_enterprise.name not in body


def test_an_on_spot_record_for_an_enterprise_outside_scope_saves_nothing(login, heshan_user, ziyang_enterprise):
    from tests.hazards.conftest import photo

    data = {
        "enterprise": ziyang_enterprise.pk,
        "description": "x",
        "fixer": "某人",
        "before": photo(),
        "after": photo(),
    }
    response = login(heshan_user).post(reverse("hazards:on_spot"), data)
    assert response.context["form"].errors == {"enterprise": "企业不存在或不在您的管辖范围内"}
    assert not HazardEvent.objects.exists()


def test_roles_that_do_not_record_on_the_spot_get_403_and_no_link(login, expert_user, sysadmin_user):
    for user in (expert_user, sysadmin_user):
        client = login(user)
        assert client.get(reverse("hazards:on_spot")).status_code == 403
        assert reverse("hazards:on_spot") not in client.get(reverse("hazards:ledger")).content.decode()
