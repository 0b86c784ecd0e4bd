"""The ledger page's reads (issue 10): keyset links behind the page numbers, the total from the
counts by status, one enterprise subquery, a query count that does not grow with rows, and
the pickers cached per scope until the reference data changes."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.template.defaultfilters import truncatechars
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeloop.accounts.models import User
from safeloop.core.scope import visible
from safeloop.hazards.models import Hazard
from safeloop.hazards.selectors import LedgerFilters, ledger
from safeloop.hazards.services import hazard_report
from safeloop.registry.models import Enterprise, Region
from safeloop.registry.pickers import pickers_changed

DAY = date(2026, 3, 2)


def report(boss, n: int, *, same_day: bool = False) -> None:
    for i in range(n):
        found = DAY if same_day else DAY - timedelta(days=i % 3)
        data = {"source": "self_check", "description": f"隐患{i}", "found_on": found.isoformat()}
        hazard_report(actor=boss, data=data)


def codes(response) -> list[str]:
    return [row["code"] for row in response.context["page"].object_list]


def link(response, text: str) -> str | None:
    html = response.content.decode().replace("&amp;", "&")
    found = re.search(r'href="(\?[^"]*)">' + text, html)
    return found.group(1) if found else None


@pytest.mark.parametrize("same_day", [False, True])
def test_paging_on_by_key_lists_what_the_page_numbers_list(login, city_user, boss, monkeypatch, same_day):
    monkeypatch.setattr("safeloop.hazards.views.PAGE_SIZE", 2)
    report(boss, 7, same_day=same_day)  # ties on the date are broken by id, as the order is
    client = login(city_user)
    url = reverse("hazards:ledger")
    by_number = [codes(client.get(url, {"page": n})) for n in range(1, 5)]
    pages, response = [], client.get(url)
    while True:
        pages.append(codes(response))
        following = link(response, "下一页")
        if following is None:
            break
        assert "after=" in following and "page=" in following
        response = client.get(url + following)
    assert pages == by_number and len({c for page in pages for c in page}) == 7
    back = []
    while (previous := link(response, "上一页")) is not None:
        response = client.get(url + previous)
        back.append(codes(response))
    assert back == by_number[-2::-1]


def test_a_key_that_does_not_read_leaves_the_page_number(login, city_user, boss, monkeypatch):
    monkeypatch.setattr("safeloop.hazards.views.PAGE_SIZE", 2)
    report(boss, 5)
    client = login(city_user)
    url = reverse("hazards:ledger")
    expected = codes(client.get(url, {"page": 2}))
    for key in ("junk", "2026-13-01~1", "2026-03-01~x", "~", "2026-03-01~1~2", "9" * 300):
        response = client.get(url, {"page": 2, "after": key})
        assert response.status_code == 200 and codes(response) == expected


def test_a_key_beyond_the_end_falls_back_to_the_page_number(login, city_user, boss, monkeypatch):
    monkeypatch.setattr("safeloop.hazards.views.PAGE_SIZE", 2)
    report(boss, 3)
    client = login(city_user)
    response = client.get(reverse("hazards:ledger"), {"page": 2, "after": "1990-01-01~1"})
    assert codes(response) == codes(client.get(reverse("hazards:ledger"), {"page": 2}))


def test_the_total_comes_from_the_counts_by_status(login, city_user, boss):
    report(boss, 4)
    client = login(city_user)
    with CaptureQueriesContext(connection) as seen:
        everything = client.get(reverse("hazards:ledger"))
        reported = client.get(reverse("hazards:ledger"), {"status": "reported"})
        closed = client.get(reverse("hazards:ledger"), {"status": "closed"})
        unknown = client.get(reverse("hazards:ledger"), {"status": "nonsense"})
    assert [r.context["page"].paginator.count for r in (everything, reported, closed, unknown)] == [4, 4, 0, 0]
    assert not [q["sql"] for q in seen.captured_queries if "COUNT(*)" in q["sql"] and "hazards_hazard" in q["sql"]]


def test_the_ledger_page_keeps_its_rows_labels_and_marks(login, city_user, boss):
    report(boss, 1)
    hazard = Hazard.objects.get()
    Hazard.objects.filter(pk=hazard.pk).update(
        status="rectifying", deadline=DAY, escalation=1, level="major", description="甲" * 70
    )
    html = login(city_user).get(reverse("hazards:ledger")).content.decode()
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    enterprise = hazard.enterprise
    for shown in (
        f'href="{reverse("hazards:detail", args=[hazard.pk])}">{hazard.code}</a>',
        f'{enterprise.name}<br><small class="muted">{enterprise.region.name} · {enterprise.category.name}</small>',
        f">{truncatechars('甲' * 70, 60)}<",  # as the template's filter cut it
        '<span class="tag tag-major">重大</span>',
        "企业自查",
        DAY.isoformat(),
        '<span class="tag tag-overdue">逾期</span>',
        '<span class="status status-rectifying">整改中</span> <span class="tag tag-overdue">督办</span>',
        'data-label="编号"',
    ):
        assert shown in row


def test_a_category_filter_joins_the_scope_in_one_enterprise_subquery(city_user, boss):
    report(boss, 2)
    qs = ledger(city_user, LedgerFilters.from_params({"category": "hazchem", "region": "430902"}))
    sql = str(qs.values("pk").query)
    assert sql.count('FROM "registry_enterprise"') == 1
    assert qs.count() == 2
    outside = ledger(city_user, LedgerFilters.from_params({"category": "mining"}))
    assert outside.count() == 0


def test_the_scope_filter_takes_the_form_of_the_querysets_database(city_user):
    qs = visible(city_user, Enterprise.objects.all())
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    if connection.vendor == "sqlite":
        assert '"registry_enterprise"."region_id" >= %s' in sql and "4309\uffff" in params
    else:
        assert "LIKE" in sql and "4309%" in params


@pytest.mark.parametrize("rows", [3, 40])
def test_the_ledger_answers_in_a_fixed_number_of_queries(login, city_user, boss, rows, django_assert_max_num_queries):
    report(boss, rows)
    client = login(city_user)
    # the first request of a scope reads the pickers (regions, departments, categories) too
    with django_assert_max_num_queries(7 + 3):
        client.get(reverse("hazards:ledger"))
    # session, user; counts by status (they give the total), page ids, page rows; the top
    # bar's region, the bell
    with django_assert_max_num_queries(7):
        page = client.get(reverse("hazards:ledger"))
    assert page.context["page"].paginator.count == rows
    with django_assert_max_num_queries(7):
        client.get(reverse("hazards:ledger"), {"category": "hazchem", "level": "general"}, HTTP_HX_REQUEST="true")


def test_the_pickers_are_cached_until_the_reference_data_changes(
    login, city_user, reference, django_capture_on_commit_callbacks
):
    client = login(city_user)
    url = reverse("hazards:ledger")
    assert "资阳区" in client.get(url).content.decode()
    Region.objects.filter(code="430902").update(name="资阳新区")
    assert "资阳新区" not in client.get(url).content.decode()  # cached
    with django_capture_on_commit_callbacks(execute=True):
        pickers_changed()
    assert "资阳新区" in client.get(url).content.decode()


def test_the_admin_tells_the_pickers_of_a_change(client, city_user, sysadmin_user, django_capture_on_commit_callbacks):
    from tests.conftest import signed_in

    admin = signed_in(client, User.objects.get(pk=sysadmin_user.pk))
    admin.get(reverse("hazards:ledger"))
    region = Region.objects.get(code="430902")
    post = {"name": "资阳新区", "level": region.level, "parent": region.parent_id, "statutory": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("admin:registry_region_change", args=[region.pk]), post)
    assert response.status_code == 302
    assert "资阳新区" in admin.get(reverse("hazards:ledger")).content.decode()
