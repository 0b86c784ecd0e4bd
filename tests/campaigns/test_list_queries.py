"""The campaign list answers in a fixed number of queries (docs/performance.md): over 2 or 30
campaigns, each with a seed hazard (举一反三) and a task with a finding, the first request and
the next."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from safeloop.campaigns.models import Campaign, Finding, Task, TaskStatus
from tests.campaigns.conftest import later


@pytest.mark.parametrize("rows", [2, 30])
def test_the_campaign_list_answers_in_a_fixed_number_of_queries(
    login, seed_hazard, dust, ziyang_user, rows, django_assert_max_num_queries
):
    today = timezone.localdate()
    for i in range(rows):
        campaign = Campaign.objects.create(
            code=f"ZX-430902-{i:04}",
            title=f"举一反三{i}",
            kind="dragnet",
            region_id="430902",
            starts_on=today,
            ends_on=today,
            seed_hazard=seed_hazard if i % 2 == 0 else None,
            status="launched",
            created_by=ziyang_user,
        )
        task = Task.objects.create(
            code=f"RW-{i:04}",
            campaign=campaign,
            enterprise=dust["twin"],
            route="enterprise",
            deadline=later(10),
            status=TaskStatus.DONE,
        )
        if i == 0:
            Finding.objects.create(task=task, hazard=seed_hazard)
    client = login(ziyang_user)
    # session, user, count, the page's rows, inspected, findings, 举一反三 (one grouped query each),
    # the bell, the top bar's region: the same for 2 campaigns or 30, the first request and the next
    for _ in range(2):
        with django_assert_max_num_queries(9):
            page = client.get(reverse("campaigns:list"))
    assert page.context["page"].paginator.count == rows
    html = page.content.decode()
    first = Campaign.objects.order_by("-created_at", "-pk").first()
    assert f'<a href="{reverse("campaigns:detail", args=[first.pk])}">{first.title}</a>' in html
    assert 'data-label="同类同隐患企业"' in html and "举一反三" in html
    figures = {row["code"]: row["figures"] for row in page.context["rows"]}
    assert figures["ZX-430902-0000"].same_hazard == 1 and figures["ZX-430902-0000"].hazards == 1
    assert all(f.inspected == 1 for f in figures.values())
    if rows > 1:
        assert figures["ZX-430902-0001"].same_hazard is None  # no seed hazard: no 举一反三 figure
