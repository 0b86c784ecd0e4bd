"""The inspection list answers in a fixed number of queries (docs/performance.md): over 2 or 30
inspections, the first request and the next, its rows as plain values."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from safeloop.inspections.models import Inspection, OverCapReason, Status
from tests.conftest import make_enterprise


@pytest.mark.parametrize("rows", [2, 30])
def test_the_inspection_list_answers_in_a_fixed_number_of_queries(
    login, ziyang_body, officers, rows, django_assert_max_num_queries
):
    now = timezone.now()
    for i in range(rows):
        Inspection.objects.create(
            code=f"JC-430902-{i:04}",
            enterprise=make_enterprise(name=f"受检企业{i}"),
            enforcement_body=ziyang_body,
            planned_on=timezone.localdate(),
            status=Status.CLOSED,
            checked_in_at=now if i % 2 else None,
            over_cap_reason=OverCapReason.choices[0][0] if i == 0 else "",
            created_by=officers[0],
        )
    client = login(officers[0])
    # session, user, the department's area (the list's scope), count, the page's rows, the bell,
    # the department's area again (the menu's permissions) and the top bar's department: the
    # same for 2 inspections or 30, the first request and the next
    for _ in range(2):
        with django_assert_max_num_queries(8):
            page = client.get(reverse("inspections:list"))
    assert page.context["page"].paginator.count == rows
    html = page.content.decode()
    first = Inspection.objects.get(code="JC-430902-0000")
    assert f'<a href="{reverse("inspections:detail", args=[first.pk])}">{first.code}</a>' in html
    assert "未扫码" in html and 'data-label="被检查企业"' in html
    assert f"超频次：{OverCapReason.choices[0][1]}" in html
