"""一企一码: one printable address per enterprise, routed by who opens it, and its poster."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import segno
from django.conf import settings
from django.urls import reverse

from safeloop.registry.models import PUBLIC_CODE_ALPHABET, PUBLIC_CODE_LENGTH, Enterprise
from safeloop.workbench.codes import HANDLERS, REPORT_CHANNELS
from tests.conftest import make_enterprise
from tests.core.test_qr import png_modules

CODE = re.compile(f"[{PUBLIC_CODE_ALPHABET}]{{{PUBLIC_CODE_LENGTH}}}")


def reference_matrix(data: str) -> list[list[bool]]:
    """segno's own symbol for the data at core.qr's settings (level M exactly: no boosting)."""
    symbol = segno.make(data, error="m", micro=False, boost_error=False)
    return [[bool(module) for module in row] for row in symbol.matrix]


def code_url(enterprise: Enterprise) -> str:
    return reverse("workbench:enterprise_code", args=[enterprise.public_code])


# ---------------------------------------------------------------- the code


def test_every_enterprise_gets_its_own_random_code_that_says_nothing_of_its_id(reference):
    enterprises = [make_enterprise(name=f"码{i}有限公司", id=987_650 + i) for i in range(40)]
    codes = [e.public_code for e in enterprises]
    assert len(set(codes)) == len(codes)
    assert all(CODE.fullmatch(code) for code in codes)
    assert all(str(e.pk) not in code_url(e) for e in enterprises)
    assert len({code[:4] for code in codes}) > 30  # consecutive rows, unrelated codes


def test_the_code_stays_when_the_enterprise_is_edited(login, ziyang_user, ziyang_enterprise):
    from safeloop.registry.services import enterprise_update

    before = ziyang_enterprise.public_code
    enterprise_update(actor=ziyang_user, enterprise=ziyang_enterprise, data={"name": "资阳安达化工（改名）有限公司"})
    ziyang_enterprise.refresh_from_db()
    assert ziyang_enterprise.public_code == before


def test_unknown_codes_and_ids_are_404_for_everyone(client, login, city_user, ziyang_enterprise):
    wrong = ziyang_enterprise.public_code[:-1] + ("a" if ziyang_enterprise.public_code[-1] != "a" else "b")
    for guess in (wrong, str(ziyang_enterprise.pk), ziyang_enterprise.credit_code, "x" * 40):
        for browser in (client, login(city_user)):
            assert browser.get(reverse("workbench:enterprise_code", args=[guess])).status_code == 404


# ---------------------------------------------------------------- who gets what


@pytest.mark.parametrize("user", ["city_user", "ziyang_user", "enterprise_user", "sysadmin_user"])
def test_staff_whose_scope_holds_the_enterprise_are_sent_to_its_page(request, login, ziyang_enterprise, user):
    response = login(request.getfixturevalue(user)).get(code_url(ziyang_enterprise))
    assert response.status_code == 302
    assert response.url == reverse("registry:enterprise_detail", args=[ziyang_enterprise.pk])


def test_an_anonymous_visitor_sees_the_name_and_how_to_report_and_nothing_else(client, ziyang_enterprise):
    ziyang_enterprise.address, ziyang_enterprise.principal_phone = "资阳区秘密路1号", "13800000001"
    ziyang_enterprise.save()
    response = client.get(code_url(ziyang_enterprise))
    assert response.status_code == 200
    body = response.content.decode()
    assert ziyang_enterprise.name in body and "12350" in body and 'href="tel:12350"' in body
    for secret in ("秘密路", "13800000001", ziyang_enterprise.credit_code, "危险化学品", "/enterprises/", "退出"):
        assert secret not in body
    assert 'class="menu"' not in body and "noindex" in body


@pytest.mark.parametrize("user", ["heshan_user", "transport_user"])
def test_signed_in_users_outside_the_scope_get_the_public_page_too(request, login, ziyang_enterprise, user):
    response = login(request.getfixturevalue(user)).get(code_url(ziyang_enterprise))
    body = response.content.decode()
    assert response.status_code == 200 and "12350" in body
    assert ziyang_enterprise.credit_code not in body and f"/enterprises/{ziyang_enterprise.pk}/" not in body


def test_the_public_page_offers_staff_the_sign_in_that_comes_back_to_the_code(
    client, login, city_user, ziyang_enterprise
):
    body = client.get(code_url(ziyang_enterprise)).content.decode()
    assert f'href="{reverse("accounts:login")}?next={code_url(ziyang_enterprise)}"' in body


def test_the_router_ends_with_a_row_for_everyone():
    assert [h.name for h in HANDLERS][-1] == "public"
    assert all(channel.source for channel in REPORT_CHANNELS)  # every channel shown has its source


# ---------------------------------------------------------------- the poster


def test_the_poster_qr_code_encodes_the_enterprise_address(login, ziyang_user, ziyang_enterprise):
    client = login(ziyang_user)
    url = f"http://testserver{code_url(ziyang_enterprise)}"
    poster = client.get(reverse("workbench:poster", args=[ziyang_enterprise.pk]))
    assert poster.context["url"] == url and url in poster.content.decode()
    png = client.get(reverse("workbench:poster_png", args=[ziyang_enterprise.pk]))
    assert png["Content-Type"] == "image/png"
    assert png_modules(png.content, scale=20) == reference_matrix(url)
    assert reference_matrix(url) != reference_matrix(f"http://testserver/enterprises/{ziyang_enterprise.pk}/")


def test_the_printed_address_starts_with_the_public_base_when_set(settings, login, ziyang_user, ziyang_enterprise):
    settings.SAFELOOP_PUBLIC_BASE_URL = "https://safeloop.yiyang.gov.cn/"
    client = login(ziyang_user)
    url = f"https://safeloop.yiyang.gov.cn{code_url(ziyang_enterprise)}"
    assert client.get(reverse("workbench:poster", args=[ziyang_enterprise.pk])).context["url"] == url
    png = client.get(reverse("workbench:poster_png", args=[ziyang_enterprise.pk])).content
    assert png_modules(png, scale=20) == reference_matrix(url)


def test_the_poster_is_one_a4_page_with_no_menu(login, ziyang_user, ziyang_enterprise):
    body = login(ziyang_user).get(reverse("workbench:poster", args=[ziyang_enterprise.pk])).content.decode()
    assert 'class="menu"' not in body and 'class="topbar"' not in body and "退出" not in body
    assert "扫码查看企业安全档案" in body and "举报安全隐患" in body and ziyang_enterprise.name in body
    assert body.count("<svg") == 1 and "css/poster.css" in body
    css = (Path(settings.BASE_DIR) / "static/css/poster.css").read_text()
    assert re.search(r"@page\s*\{\s*size:\s*A4 portrait;\s*margin:\s*0;", css)
    printed = css[css.index("@media print") :]
    assert (
        ".poster-tools { display: none; }" in printed and "height: 296mm" in printed and "overflow: hidden" in printed
    )


def test_the_svg_download_is_the_same_code(login, ziyang_user, ziyang_enterprise):
    response = login(ziyang_user).get(reverse("workbench:poster_svg", args=[ziyang_enterprise.pk]))
    assert response["Content-Type"] == "image/svg+xml" and response.content.startswith(b"<svg")
    assert "attachment" in response["Content-Disposition"] and ".svg" in response["Content-Disposition"]


@pytest.mark.parametrize("route", ["workbench:poster", "workbench:poster_png", "workbench:poster_svg"])
def test_an_expert_may_see_the_enterprise_but_not_print_its_code(route, login, expert_user, heshan_enterprise):
    assert login(expert_user).get(reverse(route, args=[heshan_enterprise.pk])).status_code == 403


@pytest.mark.parametrize("route", ["workbench:poster", "workbench:poster_png", "workbench:poster_svg"])
@pytest.mark.parametrize("user", ["enterprise_user", "transport_user", "expert_user"])
def test_outsiders_get_404_for_the_poster(request, route, login, ziyang_enterprise, heshan_enterprise, user):
    target = heshan_enterprise if user == "enterprise_user" else ziyang_enterprise
    assert login(request.getfixturevalue(user)).get(reverse(route, args=[target.pk])).status_code == 404
