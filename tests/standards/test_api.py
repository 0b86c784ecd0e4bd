"""/api/v1/standards: read-only reference data for every signed-in user; the suggestion's input checks."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_role_lists_the_catalogue(api, ziyang_user, enterprise_user, expert_user, transport_user):
    for user in (ziyang_user, enterprise_user, expert_user, transport_user):
        body = api(user).get("/standards", page_size=100).json()
        ids = {s["id"] for s in body["results"]}
        assert {"GM10", "HG121", "YH121", "JZ24", "JZ22", "GB35181-2025", "TZ45067"} <= ids
        gm10 = next(s for s in body["results"] if s["id"] == "GM10")
        assert gm10["clause_count"] == 65 and gm10["doc_no"] == "应急管理部令第10号"


def test_a_standards_clauses_include_superseded_ones_marked_as_such(api, ziyang_user):
    body = api(ziyang_user).get("/standards/JZ22/clauses").json()
    old = next(c for c in body["results"] if c["id"] == "JZ22-04-01")
    assert old["status"] == "superseded" and old["superseded_by"] == "JZ24-04-01"
    gm = api(ziyang_user).get("/standards/GM10/clauses", page_size=100).json()
    assert gm["count"] == 65
    assert next(c for c in gm["results"] if c["id"] == "GM10-11-03")["wording"] == "official"


def test_an_unknown_standard_is_404(api, ziyang_user):
    assert api(ziyang_user).get("/standards/NOPE/clauses").status_code == 404


def test_without_a_token_every_route_is_401(api, reference):
    anonymous = api(None)
    assert anonymous.get("/standards").status_code == 401
    assert anonymous.get("/standards/GM10/clauses").status_code == 401
    assert anonymous.post("/standards/suggest", {"text": "除尘器没有泄爆"}).status_code == 401


def test_suggest_ranks_the_clause_and_says_which_words_matched(api, enterprise_user):
    body = api(enterprise_user).post("/standards/suggest", {"text": "布袋除尘器没有泄爆口", "category": "machinery"})
    assert body.status_code == 200
    top = body.json()["results"][0]
    assert top["clause"] == "GM10-11-03" and top["standard"] == "工贸"
    assert "泄爆口" in top["matched"] and top["score"] >= body.json()["threshold"]
    assert body.json()["no_match"] is False


def test_unrelated_text_gets_a_low_score(api, ziyang_user):
    body = api(ziyang_user).post("/standards/suggest", {"text": "下午三点召开了全体职工大会，会后合影留念"}).json()
    assert body["no_match"] is True
    assert all(r["score"] < body["threshold"] for r in body["results"])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": ""}, "text", "隐患描述为必填项"),
        ({"text": "   "}, "text", "隐患描述为必填项"),
        ({}, "text", "隐患描述为必填项"),
        ({"text": "积尘" * 1001}, "text", "隐患描述不能超过2000个字"),
        ({"text": "除尘器积尘", "category": "nope"}, "category", "监管行业“nope”不存在"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_in_chinese(api, ziyang_user, data, field, message):
    response = api(ziyang_user).post("/standards/suggest", data)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: message}


def test_2000_characters_are_accepted(api, ziyang_user):
    assert api(ziyang_user).post("/standards/suggest", {"text": "积" * 2000}).status_code == 200
