import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from safeloop.core.xlsx import XLSX_CONTENT_TYPE
from safeloop.registry.io import COLUMNS
from safeloop.registry.models import Enterprise
from tests.conftest import ZIYANG_TOWN, credit_code, make_enterprise


def test_anonymous_visitor_is_sent_to_login(client, reference):
    response = client.get(reverse("registry:enterprise_list"))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_list_shows_only_own_county(login, ziyang_user, ziyang_enterprise, heshan_enterprise):
    response = login(ziyang_user).get(reverse("registry:enterprise_list"))
    assert ziyang_enterprise.name in response.content.decode()
    assert heshan_enterprise.name not in response.content.decode()


def test_search_by_credit_code_name_and_pinyin_initials(login, city_user, ziyang_enterprise, heshan_enterprise):
    client = login(city_user)
    url = reverse("registry:enterprise_list")
    for q in (ziyang_enterprise.credit_code[:10].lower(), "安达", "zyad"):
        page = client.get(url, {"q": q}).context["page"]
        assert [e.name for e in page] == [ziyang_enterprise.name], q


def test_search_never_finds_an_outsiders_enterprise(login, ziyang_user, heshan_enterprise):
    page = (
        login(ziyang_user)
        .get(reverse("registry:enterprise_list"), {"q": heshan_enterprise.credit_code})
        .context["page"]
    )
    assert page.paginator.count == 0


def test_filters_by_region_category_and_risk(login, city_user, reference):
    make_enterprise(name="红色危化", risk_level="red")
    make_enterprise(name="蓝色危化", risk_level="blue")
    make_enterprise(name="赫山红色商贸", region="430903003", category="commerce", risk_level="red")
    client = login(city_user)
    page = client.get(reverse("registry:enterprise_list"), {"region": "430902", "risk_level": "red"}).context["page"]
    assert [e.name for e in page] == ["红色危化"]
    page = client.get(reverse("registry:enterprise_list"), {"category": "gongmao"}).context["page"]
    assert [e.name for e in page] == ["赫山红色商贸"]


def test_htmx_request_gets_only_the_results_partial(login, city_user, ziyang_enterprise):
    response = login(city_user).get(reverse("registry:enterprise_list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "<html" not in body


@pytest.mark.parametrize("rows", [3, 60])
def test_list_query_count_does_not_grow_with_rows(login, city_user, reference, rows, django_assert_max_num_queries):
    for i in range(rows):
        make_enterprise(name=f"批量{i}")
    client = login(city_user)
    with django_assert_max_num_queries(7 + 2):  # the first request of a scope reads its pickers too
        client.get(reverse("registry:enterprise_list"))
    # session, user, count, page, the page's supervising departments, the top bar's region, bell
    with django_assert_max_num_queries(7):
        page = client.get(reverse("registry:enterprise_list"))
    assert page.context["page"].paginator.count == rows
    first = page.context["rows"][0]
    assert first["department"] and first["url"] == reverse("registry:enterprise_detail", args=[first["pk"]])


def test_detail_shows_derived_supervising_department(login, city_user, heshan_enterprise):
    response = login(city_user).get(reverse("registry:enterprise_detail", args=[heshan_enterprise.pk]))
    assert "赫山区交通运输局" in response.content.decode()


def test_create_page_rejects_invalid_code_with_message_on_the_field(login, ziyang_user):
    response = login(ziyang_user).post(
        reverse("registry:enterprise_new"),
        {
            "name": "新企业",
            "credit_code": "914309020000000011",
            "region": ZIYANG_TOWN,
            "category": "hazchem",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"] == "统一社会信用代码校验位错误"
    assert not Enterprise.objects.exists()


def test_create_page_registers_and_redirects(login, ziyang_user):
    response = login(ziyang_user).post(
        reverse("registry:enterprise_new"),
        {
            "name": "新企业",
            "credit_code": credit_code(),
            "region": ZIYANG_TOWN,
            "category": "hazchem",
        },
    )
    enterprise = Enterprise.objects.get(name="新企业")
    assert response.url == reverse("registry:enterprise_detail", args=[enterprise.pk])


def test_edit_with_stale_version_shows_conflict_and_keeps_newer_data(login, ziyang_user, ziyang_enterprise):
    client = login(ziyang_user)
    url = reverse("registry:enterprise_edit", args=[ziyang_enterprise.pk])
    page = client.get(url).context
    data = {**page["form"].data, "version": page["version"]}
    client.post(url, {**data, "address": "先保存的地址"})
    response = client.post(url, {**data, "address": "后保存的地址"})
    assert "已被他人修改" in response.content.decode()
    ziyang_enterprise.refresh_from_db()
    assert ziyang_enterprise.address == "先保存的地址"


def test_enterprise_user_form_offers_only_self_service_fields(login, enterprise_user, ziyang_enterprise):
    form = login(enterprise_user).get(reverse("registry:enterprise_edit", args=[ziyang_enterprise.pk])).context["form"]
    names = {spec.name for spec in form.specs}
    assert "risk_level" not in names
    assert "principal_phone" in names


def test_expert_cannot_open_the_edit_page(login, expert_user, heshan_enterprise):
    response = login(expert_user).get(reverse("registry:enterprise_edit", args=[heshan_enterprise.pk]))
    assert response.status_code == 403


def test_export_download_has_the_import_headers_and_only_scope(
    login, ziyang_user, ziyang_enterprise, heshan_enterprise
):
    response = login(ziyang_user).get(reverse("registry:enterprise_export"), {"category": "hazchem"})
    data = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("企业档案（危险化学品）导出时间 ")
    assert rows[1][:3] == ("企业名称", "统一社会信用代码", "乡镇代码")
    assert [r[0] for r in rows[2:]] == [ziyang_enterprise.name]
    assert (ws.auto_filter.ref, ws.freeze_panes) == (f"A2:{get_column_letter(len(COLUMNS))}3", "A3")


def test_the_downloaded_export_reimports_unchanged_below_its_title_row(login, ziyang_user, ziyang_enterprise):
    client = login(ziyang_user)
    data = b"".join(client.get(reverse("registry:enterprise_export")).streaming_content)
    upload = SimpleUploadedFile("企业档案.xlsx", data, content_type=XLSX_CONTENT_TYPE)
    page = client.post(reverse("registry:enterprise_import"), {"file": upload}).content.decode()
    assert "导入成功：新建 0 条，更新 0 条，未变化 1 条" in page


def test_import_page_lists_errors_by_row_and_column(login, ziyang_user):
    wb = Workbook()
    wb.active.append(["企业名称", "统一社会信用代码", "乡镇代码", "监管行业"])
    wb.active.append(["甲", "123", ZIYANG_TOWN, "危险化学品"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "bad.xlsx"
    buf.seek(0)
    response = login(ziyang_user).post(reverse("registry:enterprise_import"), {"file": buf})
    body = response.content.decode()
    assert "第2行" in body and "B列（统一社会信用代码）" in body
    assert not Enterprise.objects.exists()
