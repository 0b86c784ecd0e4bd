"""Depots, stock and rescue teams recorded on the resources page; a township below the minimum
stock (data/minimum_stock.csv) is listed with its shortfall; another county's depot cannot be
counted."""

from __future__ import annotations

from django.urls import reverse

from safeloop.flood.models import Depot, Stock
from safeloop.flood.reference import minimum_stock
from tests.conftest import ZIYANG_TOWN


def test_depot_stock_and_shortfall(client, login, ziyang_user, heshan_user):
    client = login(ziyang_user)
    url = reverse("flood:resources")
    depot = {
        "form": "depot",
        "region": ZIYANG_TOWN,
        "name": "大码头防汛仓库",
        "keeper": "周平",
        "keeper_phone": "13900000009",
    }
    assert client.post(url, depot).status_code == 302
    pk = Depot.objects.get().pk
    short = minimum_stock()["sandbags"] - 1000
    assert client.post(url, {"form": "stock", "depot": pk, "item": "sandbags", "quantity": short}).status_code == 302
    team = {
        "form": "team",
        "region": ZIYANG_TOWN,
        "name": "大码头抢险队",
        "leader": "吴杰",
        "leader_phone": "13900000010",
        "members": "25",
    }
    assert client.post(url, team).status_code == 302
    page = client.get(url).content.decode()
    assert "<title>防汛物资和抢险队伍 · SafeLoop" in page and page.count("登记抢险队伍") == 1
    assert "大码头抢险队" in page and "1000" in page  # the sandbags' shortfall
    assert Stock.objects.get().quantity == short

    other = login(heshan_user).post(url, {"form": "stock", "depot": pk, "item": "sandbags", "quantity": 1})
    assert other.status_code == 400 and "物资仓库不存在或不在您的管辖范围内" in other.content.decode()
    assert Stock.objects.get().quantity == short
