"""The public 挂牌督办 list: open without sign-in, it shows what a listing notice publishes and
nothing else (no people, no internal notes), newest first, paged, by level; and as JSON."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from safeloop.hazards.public import SUMMARY_LENGTH
from safeloop.hazards.views import PUBLIC_PAGE_SIZE

TODAY = "2026-11-02 09:00 +0800"
SECRETS = ("李明", "每周向市安委办报告进展", "经研究决定摘牌", "储罐区")


@pytest.fixture
def listed(major_regulator_found, ziyang_user, city_user, boss, expert):
    """A major hazard listed by the county, de-listed by the city, then listed by the city."""
    loop = major_regulator_found
    with time_machine.travel(TODAY, tick=False):
        loop.confirm_major(ziyang_user, expert, boss)
        loop.act(ziyang_user, "assign", responsible_unit="储罐区", responsible_person="李明", deadline="2026-12-31")
        loop.act(ziyang_user, "list", requirement="每周向市安委办报告进展")
    with time_machine.travel("2026-11-10 09:00 +0800", tick=False):
        loop.act(city_user, "delist", reason="经研究决定摘牌")
        loop.act(city_user, "list", deadline="2026-12-20", requirement="每周向市安委办报告进展")
    return loop.hazard


def test_anyone_sees_the_published_columns_newest_first(client, listed):
    response = client.get(reverse("public:listed_hazards"))
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [(r.level, r.body, r.listed_on, r.deadline, r.delisted_on) for r in rows] == [
        ("city", "益阳市安全生产委员会", date(2026, 11, 10), date(2026, 12, 20), None),
        ("county", "资阳区安全生产委员会", date(2026, 11, 2), date(2026, 12, 31), date(2026, 11, 10)),
    ]
    assert {(r.code, r.enterprise_name) for r in rows} == {(listed.code, listed.enterprise.name)}
    body = response.content.decode()
    assert listed.code in body and "2026-11-10" in body and "县级 · 资阳区安全生产委员会" in body
    for secret in SECRETS:
        assert secret not in body, secret


def test_the_list_filters_by_level(client, listed):
    rows = client.get(reverse("public:listed_hazards"), {"level": "county"}).context["page"].object_list
    assert [r.level for r in rows] == ["county"]


def test_the_description_is_one_line(client, listed):
    listed.description = "第一行" + "很长" * 60 + "\n第二行不公开"
    listed.save(update_fields=["description"])
    row = client.get(reverse("public:listed_hazards")).context["page"].object_list[0]
    assert row.description.startswith("第一行") and len(row.description) == SUMMARY_LENGTH
    assert "第二行" not in row.description


def test_the_list_is_paged_with_a_bounded_number_of_queries(client, listed, django_assert_num_queries):
    from safeloop.hazards.models import Listing

    first = Listing.objects.first()
    Listing.objects.bulk_create(
        [
            Listing(
                **{f.attname: getattr(first, f.attname) for f in Listing._meta.concrete_fields if f.attname != "id"}
                | {"delisted_on": date(2026, 11, 3)}
            )
            for _ in range(PUBLIC_PAGE_SIZE)
        ]
    )
    with django_assert_num_queries(2):  # the count and the page
        response = client.get(reverse("public:listed_hazards"), {"page": 2})
    assert len(response.context["page"].object_list) == 2


def test_the_json_version_needs_no_token_and_publishes_the_same(client, listed):
    response = client.get("/api/v1/public/listed-hazards", {"level": "city"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert set(data["results"][0]) == {
        "code",
        "enterprise_name",
        "description",
        "level",
        "level_name",
        "body",
        "listed_on",
        "deadline",
        "delisted_on",
    }
    assert not any(secret in response.content.decode() for secret in SECRETS)


def test_a_signed_in_scope_changes_nothing(login, heshan_user, listed):
    """Published by rule: the same list for everyone (nothing more for a county user, nothing less)."""
    rows = login(heshan_user).get(reverse("public:listed_hazards")).context["page"].object_list
    assert len(rows) == 2
