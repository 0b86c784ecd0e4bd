"""The catalogue pages and the clause hint: any signed-in user (reference data), nobody signed out."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signed_out_visitors_are_sent_to_the_login(client, reference):
    for url in (
        reverse("standards:list"),
        reverse("standards:detail", args=["GM10"]),
        reverse("standards:clause", args=["GM10-11-03"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("standards:hint"), {"description": "除尘器没有泄爆"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_groups_standards_with_clauses_metadata_only_and_superseded(login, enterprise_user):
    body = login(enterprise_user).get(reverse("standards:list")).content.decode()
    assert "工贸企业重大事故隐患判定标准" in body and "特种设备重大事故隐患判定准则" in body
    assert (
        body.index("现行标准（已收录条款）")
        < body.index("现行标准（条款暂未收录）")
        < body.index("已废止或被替代的标准")
    )
    assert "可能已被替代" in body  # 化工 121号, possibly superseded by AQ 3067—2026


def test_a_standard_shows_its_clauses_with_number_text_and_marks(login, expert_user):
    body = login(expert_user).get(reverse("standards:detail", args=["GM10"])).content.decode()
    assert 'id="GM10-11-03"' in body and "第十一条（三）" in body and "干式除尘系统未采取泄爆、惰化、抑爆" in body
    old = login(expert_user).get(reverse("standards:detail", args=["JZ22"])).content.decode()
    assert "已废止" in old and reverse("standards:clause", args=["JZ24-04-01"]) in old
    fire = login(expert_user).get(reverse("standards:detail", args=["GB35181-2025"])).content.decode()
    assert "条文暂缺" in fire


def test_a_clause_link_opens_its_standard_at_the_clause(login, ziyang_user):
    response = login(ziyang_user).get(reverse("standards:clause", args=["gm10-11-03"]))
    assert response.status_code == 302 and response["Location"].endswith("/standards/GM10/#GM10-11-03")


def test_unknown_standards_and_clauses_are_404(login, ziyang_user):
    client = login(ziyang_user)
    assert client.get(reverse("standards:detail", args=["NOPE"])).status_code == 404
    assert client.get(reverse("standards:clause", args=["GM10-99-99"])).status_code == 404


def test_the_hint_offers_matching_clauses_or_says_none_was_found(login, enterprise_user):
    client = login(enterprise_user)
    body = client.post(reverse("standards:hint"), {"description": "木工车间布袋除尘器没有泄爆装置"}).content.decode()
    assert 'data-fill-clause="GM10-11-03"' in body and "未找到相符条款" not in body
    nothing = client.post(reverse("standards:hint"), {"description": "食堂今天的午饭偏咸"}).content.decode()
    assert "未找到相符条款" in nothing and "data-fill-clause" not in nothing
    short = client.post(reverse("standards:hint"), {"description": "除"}).content.decode()
    assert "data-fill-clause" not in short and "未找到相符条款" not in short


def test_the_hint_uses_only_an_enterprise_in_the_users_scope(login, heshan_user, ziyang_enterprise, heshan_enterprise):
    from safeloop.standards import views

    class Req:
        user = heshan_user
        POST = {"enterprise": str(ziyang_enterprise.pk)}

    assert views._category(Req()) is None  # another county's enterprise: no boost, nothing revealed
    Req.POST = {"enterprise": str(heshan_enterprise.pk)}
    assert views._category(Req()) == heshan_enterprise.category_id


def test_the_report_form_asks_for_the_hint_under_the_description(login, enterprise_user):
    body = login(enterprise_user).get(reverse("hazards:new")).content.decode()
    assert f'hx-post="{reverse("standards:hint")}"' in body and 'id="clause-hint"' in body
