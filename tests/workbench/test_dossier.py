"""一企一档: the enterprise's page and each of its tabs, for every kind of role, inside and outside."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeloop.accidents.services import accident_create
from safeloop.hazards.history import Act, HazardWithHistory, hazards_bulk_create
from safeloop.hazards.models import Hazard, Status
from safeloop.hazards.services import hazard_report
from safeloop.registry.services import enterprise_update
from safeloop.workbench.dossier import PAGE_SIZE, TABS
from tests.conftest import ZIYANG_TOWN, in_a_year
from tests.hazards.conftest import Loop

TAB_KEYS = [tab.key for tab in TABS]
# (user, enterprise, may see it): every kind of role, inside its scope and outside.
ROLE_CASES = [
    ("city_user", "ziyang_enterprise", True),
    ("city_user", "heshan_enterprise", True),
    ("ziyang_user", "ziyang_enterprise", True),  # county, its own county
    ("heshan_user", "ziyang_enterprise", False),  # county, another county
    ("township_user", "ziyang_enterprise", True),
    ("transport_user", "heshan_enterprise", True),  # department, a category it supervises
    ("transport_user", "ziyang_enterprise", False),  # department, another category
    ("enterprise_user", "ziyang_enterprise", True),  # its own enterprise
    ("enterprise_user", "heshan_enterprise", False),  # another enterprise
    ("expert_user", "heshan_enterprise", True),  # assigned
    ("expert_user", "ziyang_enterprise", False),  # not assigned
    ("sysadmin_user", "ziyang_enterprise", True),
]


def tab_url(enterprise, key: str) -> str:
    return reverse("workbench:dossier_tab", args=[enterprise.pk, key])


def tab(client, enterprise, key: str, **params):
    return client.get(tab_url(enterprise, key), params, HTTP_HX_REQUEST="true")


def closed_hazard(enterprise, code: str, *, closed: date, status: str = Status.CLOSED) -> Hazard:
    """A hazard closed out in an imported history (the look-back falls 30 days after closing)."""
    at = datetime.combine(closed, datetime.min.time(), tzinfo=UTC)
    hazard = Hazard(
        enterprise=enterprise,
        code=code,
        description="消防器材过期",
        source="self_check",
        found_on=closed - timedelta(days=20),
        accepted_on=closed,
        closed_on=closed,
        look_back_due=closed + timedelta(days=30),
    )
    acts = [Act("report", at, Status.REPORTED, "企业", "enterprise"), Act("close", at, status, "企业", "enterprise")]
    hazards_bulk_create(items=[HazardWithHistory(hazard, acts)])
    return Hazard.objects.get(code=code)


def ordered(regulator, enterprise, description: str) -> Hazard:
    """A regulator's finding, confirmed and assigned: its order is issued and sealed."""
    loop = Loop(
        hazard_report(
            actor=regulator, data={"enterprise": enterprise.pk, "source": "regulator", "description": description}
        )
    )
    loop.act(regulator, "confirm")
    loop.act(regulator, "assign", responsible_unit="仓库", responsible_person="王", deadline=in_a_year())
    return loop.hazard


@pytest.fixture
def world(
    ziyang_enterprise, heshan_enterprise, ziyang_user, city_user, enterprise_user, django_capture_on_commit_callbacks
):
    """资阳: a regulator's order (a document), a self-found report, a closed hazard, an accident and
    an edit; 赫山: one ordered hazard. Nothing of one must show on the other's page."""
    with django_capture_on_commit_callbacks(execute=True):
        order = ordered(ziyang_user, ziyang_enterprise, "消防通道堆放杂物")
        hazard_report(actor=enterprise_user, data={"source": "self_check", "description": "配电箱未接地"})
        ordered(city_user, heshan_enterprise, "车辆超载")
    closed_hazard(ziyang_enterprise, "YH-430902-2026-990001", closed=date(2026, 3, 1))
    accident = {"title": "资阳仓库火灾", "occurred_at": timezone.now() - timedelta(days=3), "region": ZIYANG_TOWN}
    accident_create(actor=ziyang_user, data=accident | {"sector": "hazchem", "enterprise": ziyang_enterprise.pk})
    enterprise_update(actor=ziyang_user, enterprise=ziyang_enterprise, data={"risk_level": "red", "address": "新路8号"})
    return order


# ---------------------------------------------------------------- who sees what


@pytest.mark.parametrize("user, target, sees", ROLE_CASES)
def test_the_page_and_every_tab_are_there_exactly_for_the_enterprise_in_scope(
    request, login, world, user, target, sees
):
    client, enterprise = login(request.getfixturevalue(user)), request.getfixturevalue(target)
    pages = [client.get(reverse("registry:enterprise_detail", args=[enterprise.pk]))]
    pages += [client.get(tab_url(enterprise, key)) for key in TAB_KEYS]
    partials = [tab(client, enterprise, key) for key in TAB_KEYS]
    for response in pages + partials:
        assert response.status_code == (200 if sees else 404), response.wsgi_request.path
    for response in pages:
        assert (enterprise.name in response.content.decode()) == sees


@pytest.mark.parametrize("user, target, sees", ROLE_CASES)
def test_outsiders_get_404_for_every_document_link_of_the_page(request, login, world, city_user, user, target, sees):
    enterprise = request.getfixturevalue(target)
    links = document_links(login(city_user), enterprise)
    assert links  # each enterprise has its order
    client = login(request.getfixturevalue(user))
    assert [client.get(link).status_code for link in links] == [200 if sees else 404] * len(links)


def document_links(client, enterprise) -> list[str]:
    body = tab(client, enterprise, "documents").content.decode()
    return re.findall(r'href="(/hazards/\d+/documents/\w+\.docx)"', body)


def test_the_documents_tab_lists_the_order_with_its_number_and_a_download(login, ziyang_user, ziyang_enterprise, world):
    client = login(ziyang_user)
    body = tab(client, ziyang_enterprise, "documents").content.decode()
    assert "责令限期整改指令书" in body and world.order_no in body and world.code in body
    [link] = document_links(client, ziyang_enterprise)
    assert link == reverse("hazards:document", args=[world.pk, "order"])
    assert client.get(link)["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "已存证" in tab(client, ziyang_enterprise, "documents").content.decode()  # sealed when issued


def test_a_page_of_one_enterprise_shows_nothing_of_another(login, city_user, ziyang_enterprise, world):
    client = login(city_user)
    for key in TAB_KEYS:
        body = tab(client, ziyang_enterprise, key).content.decode()
        assert "车辆超载" not in body and "赫山" not in body


def test_an_unknown_tab_is_404(login, city_user, ziyang_enterprise):
    assert login(city_user).get(tab_url(ziyang_enterprise, "inspections")).status_code == 404


# ---------------------------------------------------------------- counts agree with lists


def test_each_tab_label_counts_what_the_tab_lists(login, city_user, ziyang_enterprise, world):
    from safeloop.enforcement.services import clue_record

    clue_record(  # issue 17: a 打非治违 clue on the enterprise
        actor=city_user,
        data={
            "kind": "unlicensed",
            "source": "patrol",
            "region": ziyang_enterprise.region_id,
            "address": "厂区",
            "description": "无证",
        },
        enterprise=ziyang_enterprise,
    )
    client = login(city_user)
    expected = {
        "open": 2,
        "closed": 1,
        "accidents": 1,
        "documents": 1,
        "enforcement": 1,
        "history": 1,
    }  # history: the edit
    for key in TAB_KEYS:
        context = tab(client, ziyang_enterprise, key).context
        labels = {t.key: count for t, count in context["tabs"]}
        assert labels[key] == context["page"].paginator.count == len(context["rows"]) == expected[key]
        assert labels == expected


def test_tabs_are_paged_and_the_label_counts_every_page(login, city_user, ziyang_enterprise):
    for n in range(PAGE_SIZE + 3):
        closed_hazard(ziyang_enterprise, f"YH-430902-2026-98{n:04d}", closed=date(2026, 3, 1) + timedelta(days=n))
    client = login(city_user)
    first, second = tab(client, ziyang_enterprise, "closed"), tab(client, ziyang_enterprise, "closed", page=2)
    assert {t.key: n for t, n in first.context["tabs"]}["closed"] == PAGE_SIZE + 3
    assert len(first.context["rows"]) == PAGE_SIZE and len(second.context["rows"]) == 3
    assert f'hx-get="{tab_url(ziyang_enterprise, "closed")}?&page=2"' in first.content.decode()


def test_the_page_costs_the_same_queries_for_three_hazards_or_thirty(login, city_user, ziyang_enterprise):
    client = login(city_user)
    url = reverse("registry:enterprise_detail", args=[ziyang_enterprise.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for n in range(3):
        report_open(ziyang_enterprise, n)
    few = queries()
    for n in range(3, 30):
        report_open(ziyang_enterprise, n)
    # session, user, the enterprise, its facts (department, industry), the other tabs' counts (the
    # documents': hazards, events, seals), the open tab's count, page and working-day calendar, the bell
    assert queries() == few <= 15  # one count per tab (the 打非治违 tab: issue 17)


def report_open(enterprise, n: int) -> None:
    hazard = Hazard(
        enterprise=enterprise, code=f"YH-430902-2026-97{n:04d}", description="照明损坏", source="self_check"
    )
    hazard.found_on = date(2026, 3, 1)
    at = datetime(2026, 3, 1, tzinfo=UTC)
    hazards_bulk_create(items=[HazardWithHistory(hazard, [Act("report", at, Status.REPORTED, "企业", "enterprise")])])


# ---------------------------------------------------------------- what the tabs say


@time_machine.travel("2026-11-16 09:00 +0800", tick=False)  # a Monday
def test_open_hazards_show_working_days_left_or_overdue(login, ziyang_user, ziyang_enterprise):
    for code, deadline in (
        ("YH-430902-2026-960001", date(2026, 11, 20)),
        ("YH-430902-2026-960002", date(2026, 11, 10)),
    ):
        hazard = Hazard(enterprise=ziyang_enterprise, code=code, description="护栏缺失", source="regulator")
        hazard.found_on, hazard.deadline = date(2026, 11, 1), deadline
        at = datetime(2026, 11, 2, tzinfo=UTC)
        hazards_bulk_create(items=[HazardWithHistory(hazard, [Act("assign", at, Status.ASSIGNED, "区局", "county")])])
    body = tab(login(ziyang_user), ziyang_enterprise, "open").content.decode()
    assert "剩余4个工作日" in body  # Tue..Fri
    assert "逾期4个工作日" in body  # Wed 11th..Mon 16th, the weekend not counted


@time_machine.travel("2026-04-05 09:00 +0800", tick=False)
def test_closed_hazards_show_their_dates_and_the_look_back(login, ziyang_user, ziyang_enterprise):
    closed_hazard(ziyang_enterprise, "YH-430902-2026-950001", closed=date(2026, 3, 1))
    closed_hazard(ziyang_enterprise, "YH-430902-2026-950002", closed=date(2026, 3, 20))
    closed_hazard(ziyang_enterprise, "YH-430902-2026-950003", closed=date(2026, 1, 5), status=Status.VERIFIED)
    body = tab(login(ziyang_user), ziyang_enterprise, "closed").content.decode()
    assert "待回头看（2026-03-31起）" in body and "2026-04-19起回头看" in body and "回头看通过" in body
    assert "2026-03-20" in body  # its 销号 date


def test_the_history_tab_names_each_field_in_chinese_from_what_to_what(login, ziyang_user, ziyang_enterprise):
    enterprise_update(
        actor=ziyang_user,
        enterprise=ziyang_enterprise,
        data={"risk_level": "orange", "key_sector": True, "region": "430902006", "principal_name": "李四"},
    )
    panel = tab(login(ziyang_user), ziyang_enterprise, "history").content.decode()
    changes = re.findall(r"<li><span class=\"field\">(.+?)</span>：(.+?)</li>", panel)
    assert ("风险等级", "由“（空）”改为“橙（较大风险）”") in changes
    assert ("重点监管", "由“否”改为“是”") in changes
    assert ("主要负责人", "由“（空）”改为“李四”") in changes
    region = next(text for field, text in changes if field == "所在乡镇")
    assert region == "由“大码头街道”改为“汽车路街道”"
    for code in ("risk_level", "key_sector", "orange", "region", "principal_name"):
        assert code not in re.sub(r"<[^>]+>", "", panel)


def test_a_registration_lists_what_it_set(login, ziyang_user):
    from safeloop.registry.services import enterprise_create
    from tests.conftest import credit_code

    enterprise = enterprise_create(
        actor=ziyang_user,
        data={"name": "资阳新登记企业", "credit_code": credit_code(), "region": ZIYANG_TOWN, "category": "commerce"},
    )
    panel = tab(login(ziyang_user), enterprise, "history").content.decode()
    assert "登记" in panel and "企业名称</span>：资阳新登记企业" in panel and "监管行业</span>：商贸" in panel
    assert "拼音首字母" not in panel and "（空）" not in panel


# ---------------------------------------------------------------- the page's buttons


@pytest.mark.parametrize(
    "user, on_spot, poster, edit",
    [
        ("ziyang_user", True, True, True),
        ("enterprise_user", True, True, True),  # its own contact fields
        ("expert_user_of_ziyang", False, False, False),
    ],
)
def test_the_buttons_are_the_ones_the_role_may_use(request, login, ziyang_enterprise, user, on_spot, poster, edit):
    client = login(request.getfixturevalue(user))
    body = client.get(reverse("registry:enterprise_detail", args=[ziyang_enterprise.pk])).content.decode()
    chosen = f"?enterprise={ziyang_enterprise.pk}"
    report_url, on_spot_url = reverse("hazards:new") + chosen, reverse("hazards:on_spot") + chosen
    assert f'href="{report_url}"' in body  # every one of these roles may report
    assert (f'href="{on_spot_url}"' in body) == on_spot
    assert (reverse("workbench:poster", args=[ziyang_enterprise.pk]) in body) == poster
    assert (reverse("registry:enterprise_edit", args=[ziyang_enterprise.pk]) in body) == edit
    for url in [report_url] + ([on_spot_url] if on_spot else []):
        form = client.get(url)
        assert form.status_code == 200 and ziyang_enterprise.name in form.content.decode()


@pytest.fixture
def expert_user_of_ziyang(ziyang_enterprise):
    from safeloop.accounts.models import Role
    from safeloop.experts.services import expert_assign
    from tests.conftest import make_user

    user = make_user(Role.EXPERT)
    expert_assign(expert=user, enterprise_ids=[ziyang_enterprise.pk])
    return user


def test_htmx_gets_the_tab_bar_and_one_tab_and_a_plain_request_the_whole_page(login, city_user, ziyang_enterprise):
    client = login(city_user)
    partial = tab(client, ziyang_enterprise, "history").content.decode()
    assert partial.lstrip().startswith('<section class="dossier-records" id="tabs">') and "<html" not in partial
    assert 'data-tab="history"' in partial
    assert partial.count('role="tabpanel"') == 1
    whole = client.get(tab_url(ziyang_enterprise, "history")).content.decode()
    assert "<html" in whole and 'data-tab="history"' in whole and 'aria-selected="true"' in whole
