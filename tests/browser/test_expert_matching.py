"""A city planner runs a matching on a phone and a desktop: the map draws the county outlines
(served by the app, no CDN) with the expert and the enterprise, and the table lists them."""

import pytest
from django.utils import timezone

from safeloop.experts.models import Certificate, Expert, Specialty
from tests.browser.test_enterprises import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_planner_sees_the_matching_on_the_map(page, live_server, city_user, ziyang_enterprise):
    ziyang_enterprise.lat, ziyang_enterprise.lng = "28.60", "112.32"
    ziyang_enterprise.save()
    expert = Expert.objects.create(name="周建华", home_lat="28.57", home_lng="112.40", capacity=3)
    Specialty.objects.create(expert=expert, category_id="hazchem")
    Certificate.objects.create(expert=expert, name="聘书", expires_on=timezone.localdate().replace(year=2099))
    sign_in(page, live_server.url, city_user)
    page.goto(f"{live_server.url}/experts/matching/")
    page.select_option("#m-category", "hazchem")
    page.click("text=开始匹配")
    page.wait_for_url("**/experts/matching/*/")
    page.locator("#matching-map canvas").first.wait_for()
    page.wait_for_function("() => !document.querySelector('#matching-map').textContent.includes('无法加载')")
    table = page.locator("#rows table").inner_text()
    assert "资阳安达化工有限公司" in table and "周建华" in table
    assert page.console_errors == []
