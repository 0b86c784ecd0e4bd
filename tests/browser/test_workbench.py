"""The workbench in a browser, on a phone and a desktop: the charts render from the locally
served ECharts with no console error, and clicking a bar opens the ledger listing its count."""

import pytest

from tests.browser.test_enterprises import sign_in
from tests.browser.ui_checks import bad_text
from tests.workbench.conftest import little_city  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The page position of one bar of a chart (category `index` of series 0), from ECharts itself.
BAR_AT = """([id, index]) => {
  const el = document.getElementById(id);
  const chart = echarts.getInstanceByDom(el);
  const value = chart.getOption().series[0].data[index].value;
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, [value / 2, index]);
  const box = el.getBoundingClientRect();
  return [box.left + x, box.top + y];
}"""


def test_a_city_leader_clicks_a_bar_and_the_ledger_lists_its_count(page, live_server, little_city):  # noqa: F811
    sign_in(page, live_server.url, little_city["city"])
    chart = page.locator("#chart-majors-region")
    chart.scroll_into_view_if_needed()
    chart.locator("canvas").wait_for()
    for id_ in ("chart-rates-region", "chart-rates-department", "chart-trend"):
        assert page.locator(f"#{id_} canvas").count() == 1
    assert page.console_errors == []
    assert bad_text(page.locator("main").inner_text(), allowed=frozenset({little_city["city"].username})) == []
    categories = page.evaluate("JSON.parse(document.getElementById('workbench-charts').textContent)")
    majors = next(c for c in categories if c["id"] == "majors-region")
    index = majors["categories"].index("资阳区")
    expected = majors["series"][0]["data"][index]["count"]
    x, y = page.evaluate(BAR_AT, ["chart-majors-region", index])
    page.mouse.click(x, y)
    page.wait_for_url("**/hazards/?*region=430902*")
    assert page.locator(".result-count strong").inner_text() == str(expected) == "1"
    assert page.console_errors == []
