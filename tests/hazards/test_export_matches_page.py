"""An export's file holds what the page lists for the same filters: the same hazards in the same
order with the same labels, whichever writer writes it (the Rust writer or XlsxWriter)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from lxml import html

from safeloop.registry.io import COLUMNS as ENTERPRISE_COLUMNS
from tests.conftest import make_enterprise
from tests.hazards import test_ledger_export
from tests.hazards.test_ledger_export import TODAY, download, records, sheet

city_ledger = test_ledger_export.city_ledger  # five hazards in two counties (the fixture)

FILTERS = [
    {},
    {"region": "430903"},
    {"level": "general"},
    {"list": "problems"},
    {"status": "assigned", "sort": "deadline"},
    {"sort": "code"},
    {"overdue": "1"},
]


def page_rows(client, params) -> list[tuple]:
    """The ledger page's rows: number, enterprise, level, source, found on, status."""
    response = client.get(reverse("hazards:ledger"), params)
    assert response.status_code == 200
    rows = []
    for tr in html.fromstring(response.content).xpath("//table//tbody/tr[td[@data-label='编号']]"):
        cell = {td.get("data-label"): td for td in tr.xpath("./td")}
        status = cell["状态"].xpath(".//span[contains(@class, 'status')]")[0].text_content().strip()
        found = cell["发现"].text_content().strip()
        rows.append(
            (
                cell["编号"].text_content().strip(),
                (cell["企业"].text or "").strip(),
                (cell["等级"].xpath("./span[contains(@class, 'tag')]") or [cell["等级"]])[0].text_content().strip(),
                cell["来源"].text_content().strip(),
                date.fromisoformat(found),
                status,
            )
        )
    return rows


def file_rows(client, params) -> list[tuple]:
    return [
        (r["编号"], r["企业"], r["等级"], r["来源"], r["发现日期"].date(), r["状态"])
        for r in records(sheet(download(client, **params)))
    ]


@pytest.mark.parametrize("writer", ["rust", "xlsxwriter"])
@pytest.mark.parametrize("params", FILTERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "none")
@time_machine.travel(TODAY, tick=False)
def test_the_file_lists_the_pages_rows_in_its_order_with_its_labels(
    login, city_user, city_ledger, settings, writer, params
):
    settings.SAFELOOP_XLSX_WRITER = writer
    client = login(city_user)
    shown = page_rows(client, params)
    assert shown == file_rows(client, params)


@time_machine.travel(TODAY, tick=False)
def test_the_filters_above_tell_different_rows_apart(login, city_user, city_ledger):
    """The comparison above is not of empty lists: the filters pick different, non-empty rows."""
    client = login(city_user)
    picked = {tuple(r[0] for r in page_rows(client, p)) for p in FILTERS}
    assert len(picked) >= 5 and all(picked)


# ---------------------------------------------------------------- the enterprise list

ENTERPRISE_FILTERS = [{}, {"region": "430902"}, {"category": "gongmao"}, {"risk_level": "red"}, {"q": "危化"}]


@pytest.fixture
def enterprises(reference):
    make_enterprise(name="资阳红色危化有限公司", risk_level="red", key_sector=True)
    make_enterprise(name="资阳蓝色危化有限公司", risk_level="blue")
    make_enterprise(name="赫山红色商贸有限公司", region="430903003", category="commerce", risk_level="red")
    make_enterprise(name="赫山蓝色商贸有限公司", region="430903003", category="commerce", risk_level="blue")


def enterprise_page_rows(client, params) -> list[tuple]:
    response = client.get(reverse("registry:enterprise_list"), params)
    rows = []
    for tr in html.fromstring(response.content).xpath("//table//tbody/tr[td[@data-label='企业']]"):
        cell = {td.get("data-label"): td.text_content().strip() for td in tr.xpath("./td")}
        rows.append((cell["企业"].removesuffix(" 重点"), cell["信用代码"], cell["乡镇"], cell["行业"]))
    return rows


def enterprise_file_rows(client, params) -> list[tuple]:
    response = client.get(reverse("registry:enterprise_export"), params)
    name, code, _town_code, town, category = (c.header for c in ENTERPRISE_COLUMNS[:5])
    return [(r[name], r[code], r[town], r[category]) for r in records(sheet(b"".join(response.streaming_content)))]


@pytest.mark.parametrize("writer", ["rust", "xlsxwriter"])
@pytest.mark.parametrize(
    "params", ENTERPRISE_FILTERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "none"
)
def test_the_enterprise_file_lists_the_pages_rows_in_its_order(login, city_user, enterprises, settings, writer, params):
    settings.SAFELOOP_XLSX_WRITER = writer
    client = login(city_user)
    shown = enterprise_page_rows(client, params)
    assert shown and shown == enterprise_file_rows(client, params)
