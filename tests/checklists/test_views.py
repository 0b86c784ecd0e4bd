"""The pages: an enterprise walks its checklist (each answer saved as it is given, htmx), a
conflict shows the item as saved, regulators see completion by county, category and month."""

import pytest
from django.urls import reverse

from safeloop.checklists.models import Checklist, Item
from safeloop.checklists.services import checklist_submit
from tests.checklists.conftest import answer_all, photo
from tests.conftest import make_enterprise, make_user

HTMX = {"HTTP_HX_REQUEST": "true"}


def answer_url(checklist, clause):
    return reverse("checklists:answer", args=[checklist.pk, clause])


def test_enterprise_starts_and_opens_its_checklist(login, catalogue, enterprise_user):
    client = login(enterprise_user)
    response = client.post(reverse("checklists:new"))
    checklist = Checklist.objects.get(enterprise=enterprise_user.enterprise)
    assert response.url == reverse("checklists:detail", args=[checklist.pk])
    page = client.get(response.url).content.decode()
    assert "HG121-01" in page or "第1项" in page
    assert page.count('name="result"') == 3 * checklist.items.count()


def test_starting_again_continues_the_open_checklist(login, checklist, enterprise_user):
    response = login(enterprise_user).post(reverse("checklists:new"))
    assert response.url == reverse("checklists:detail", args=[checklist.pk])
    assert Checklist.objects.count() == 1


def test_an_htmx_answer_returns_the_saved_item_and_the_progress(login, checklist, enterprise_user):
    client = login(enterprise_user)
    data = {"result": "fail", "note": "储罐区未设报警", "version": "1", "photos": photo()}
    response = client.post(answer_url(checklist, "HG121-12"), data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "已保存" in body and "储罐区未设报警" in body and 'hx-swap-oob="true"' in body
    item = Item.objects.get(checklist=checklist, clause_id="HG121-12")
    assert (item.result, item.version, item.photos.count()) == ("fail", 2, 1)


def test_a_conflict_answers_409_with_the_item_as_saved(login, checklist, enterprise_user):
    client = login(enterprise_user)
    client.post(answer_url(checklist, "HG121-01"), {"result": "ok", "version": "1"}, **HTMX)
    response = client.post(answer_url(checklist, "HG121-01"), {"result": "fail", "version": "1"}, **HTMX)
    assert response.status_code == 409
    body = response.content.decode()
    assert "已被他人修改" in body and 'value="ok" checked' in body
    assert Item.objects.get(checklist=checklist, clause_id="HG121-01").result == "ok"


def test_a_bad_answer_keeps_what_was_typed(login, checklist, enterprise_user):
    response = login(enterprise_user).post(answer_url(checklist, "HG121-02"), {"note": "还没选结论"}, **HTMX)
    assert response.status_code == 400
    assert "还没选结论" in response.content.decode()


def test_submitting_on_the_page_reports_the_failed_items(login, checklist, enterprise_user):
    answer_all(checklist, enterprise_user, **{"HG121-03": "fail"})
    client = login(enterprise_user)
    response = client.post(reverse("checklists:submit", args=[checklist.pk]), {"version": checklist.version})
    page = client.get(response.url).content.decode()
    assert "1 项不符合已作为重大隐患上报" in page and "已上报重大隐患" in page


def test_regulator_sees_completion_by_county_category_and_month(login, checklist, enterprise_user, city_user):
    answer_all(checklist, enterprise_user)
    checklist_submit(actor=enterprise_user, checklist_id=checklist.pk, version=checklist.version)
    make_enterprise(category="hazchem", name="未自查企业")
    context = login(city_user).get(reverse("checklists:list")).context
    [ziyang] = [r for r in context["by_county"] if r.key == "430902"]
    assert (ziyang.enterprises, ziyang.completed) == (2, 1)
    [hazchem] = [r for r in context["by_category"] if r.key == "hazchem"]
    assert hazchem.completed == 1
    assert sum(n for _, n in context["by_month"]) == 1


@pytest.mark.parametrize("rows", [2, 30])
def test_checklist_list_query_count_is_bounded(login, catalogue, city_user, rows, django_assert_max_num_queries):
    from safeloop.checklists.services import checklist_start

    for n in range(rows):
        user = make_user("enterprise", enterprise=make_enterprise(category="hazchem", name=f"自查{n}"))
        checklist_start(actor=user)
    client = login(city_user)
    # session, user; count, the page's rows; both completion tables (one grouped query), the
    # month's; the bell, the top bar's region: the same for 2 checklists or 30, the first request
    # and the next
    for _ in range(2):
        with django_assert_max_num_queries(8):
            response = client.get(reverse("checklists:list"))
    assert response.context["page"].paginator.count == rows
    assert sum(row.enterprises for row in response.context["by_category"]) == rows


def test_checklist_page_query_count_does_not_grow_with_items(
    login, checklist, enterprise_user, django_assert_max_num_queries
):
    answer_all(checklist, enterprise_user)
    client = login(enterprise_user)
    with django_assert_max_num_queries(16):
        client.get(reverse("checklists:detail", args=[checklist.pk]))


def test_expert_has_no_checklist_page(login, expert_user):
    assert login(expert_user).get(reverse("checklists:list")).status_code == 403


def test_enterprise_page_links_to_its_checklists(login, ziyang_user, enterprise_user):
    enterprise = enterprise_user.enterprise
    own = login(enterprise_user).get(reverse("registry:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert reverse("checklists:list") in own
    page = login(ziyang_user).get(reverse("registry:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert f"{reverse('checklists:list')}?enterprise={enterprise.pk}" in page


def test_a_hostile_enterprise_filter_is_refused_not_a_server_error(login, checklist, ziyang_user):
    response = login(ziyang_user).get(reverse("checklists:list"), {"enterprise": "፩፪፫፬"})
    assert response.status_code == 400
    ok = login(ziyang_user).get(reverse("checklists:list"), {"enterprise": str(checklist.enterprise_id)})
    assert ok.context["page"].paginator.count == 1
