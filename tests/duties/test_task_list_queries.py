"""The year's task list answers in a fixed number of queries (docs/performance.md): over 2 or
30 tasks, each with its milestones, the first request and the next; its rows as plain values."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeloop.accounts.models import Role
from safeloop.demo.duties import _units
from safeloop.duties.services import task_create
from tests.conftest import make_user


@pytest.mark.parametrize("rows", [2, 30])
def test_the_task_list_answers_in_a_fixed_number_of_queries(reference, login, rows, django_assert_max_num_queries):
    today = timezone.localdate()
    city = make_user(Role.CITY, region_id="430900")
    ziyang = _units()["430902"]
    past, later = today - timedelta(days=10), today + timedelta(days=30)
    for i in range(rows):
        task_create(
            actor=city,
            data={"code": f"T-{i:03}", "year": today.year, "title": f"任务{i}", "lead_unit": ziyang, "due_on": past},
            milestones=[
                {"title": "启动", "due_on": past, "planned_pct": 50},
                {"title": "完成", "due_on": later, "planned_pct": 100},
            ],
        )
    client = login(city)
    # session, user, count, the page's tasks, their milestones, their progress reports, the
    # bell, the top bar's region: the same for 2 tasks or 30, the first request and the next
    for _ in range(2):
        with django_assert_max_num_queries(8):
            page = client.get(reverse("duties:tasks"))
    assert page.context["page"].paginator.count == rows
    html = page.content.decode()
    assert 'data-label="牵头单位"' in html and "逾期" in html and "滞后" in html
    assert f"启动 · {past:%Y-%m-%d}" in html  # the next milestone not done
