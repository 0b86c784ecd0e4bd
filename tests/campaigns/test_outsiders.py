"""Every campaign route tried by an outsider (another county, another enterprise): 404, or a list
that shows nothing of 资阳区's campaign."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeloop.accounts.models import Role
from safeloop.campaigns.models import Task
from safeloop.campaigns.services import campaign_create, campaign_launch
from tests.campaigns.conftest import campaign_data
from tests.conftest import HESHAN_TOWN, make_enterprise, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ziyang_campaign(dust, ziyang_user):
    campaign = campaign_create(actor=ziyang_user, data=campaign_data(title="资阳粉尘百日攻坚"))
    return campaign_launch(actor=ziyang_user, campaign_id=campaign.pk, version=campaign.version)


@pytest.fixture
def outsiders(heshan_user):
    other = make_enterprise(region=HESHAN_TOWN, category="machinery")
    return [heshan_user, make_user(Role.ENTERPRISE, enterprise=other)]


def test_outsiders_get_404_on_every_campaign_route(login, ziyang_campaign, outsiders):
    task = Task.objects.filter(campaign=ziyang_campaign).first()
    for outsider in outsiders:
        client = login(outsider)
        c = ziyang_campaign.pk
        assert client.get(reverse("campaigns:detail", args=[c])).status_code == 404
        assert client.get(reverse("campaigns:export", args=[c])).status_code == 404
        assert client.get(reverse("campaigns:summary", args=[c])).status_code == 404
        assert client.post(reverse("campaigns:act", args=[c, "close"]), {"version": 2}).status_code == 404
        assert client.post(reverse("campaigns:targets", args=[c]), {"enterprise": 1, "reason": "x"}).status_code == 404
        assert client.get(reverse("campaigns:task", args=[task.pk])).status_code == 404
        assert client.post(reverse("campaigns:task_act", args=[task.pk, "start"]), {"version": 1}).status_code == 404


def test_outsiders_lists_do_not_mention_the_campaign(login, ziyang_campaign, outsiders):
    for outsider in outsiders:
        body = login(outsider).get(reverse("campaigns:list")).content.decode()
        assert "资阳粉尘百日攻坚" not in body


def test_the_new_form_offers_only_the_users_regions_and_refuses_a_hidden_seed(login, seed_hazard, heshan_user):
    client = login(heshan_user)
    page = client.get(reverse("campaigns:new")).content.decode()
    assert "资阳区" not in page
    assert client.get(reverse("campaigns:new"), {"seed_hazard": seed_hazard.pk}).status_code == 404


def test_an_enterprise_may_not_open_the_new_form(login, enterprise_user):
    assert login(enterprise_user).get(reverse("campaigns:new")).status_code == 403
