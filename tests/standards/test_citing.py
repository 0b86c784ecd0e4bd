"""A hazard's 判定依据 is a catalogue clause: the id (or a reference naming one clause) is stored as
the clause id; anything else is refused naming `clause`; old free text is linked by migration
hazards/0010 with an event in the hazard's chain, or kept as legacy text."""

import importlib

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.urls import reverse

from safeloop.core.xlsx import ImportFailed
from safeloop.hazards.events import verify_all
from safeloop.hazards.ledger_import import ledger_import
from safeloop.hazards.ledger_io import COLUMNS, export_rows
from safeloop.hazards.models import Hazard
from tests.hazards.test_api import TODAY, api, ok  # noqa: F401 - fixture
from tests.hazards.test_ledger_io import row, workbook

pytestmark = pytest.mark.django_db
UNKNOWN = "“GM10-99-01”不是判定标准库中的条款，请填写条款编号，如 GM10-11-03（可在判定标准库中查找）"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _major(enterprise, clause):
    return {
        "enterprise": enterprise.pk,
        "source": "regulator",
        "level": "major",
        "description": "除尘器无泄爆",
        "clause": clause,
    }


def test_an_unknown_clause_is_a_400_naming_clause_on_page_api_and_import(login, api, ziyang_user, ziyang_enterprise):  # noqa: F811
    by_api = api(ziyang_user).post("/hazards", _major(ziyang_enterprise, "GM10-99-01"))
    assert (by_api.status_code, by_api.json()["error"]["fields"]) == (400, {"clause": UNKNOWN})
    page = login(ziyang_user).post(reverse("hazards:new"), _major(ziyang_enterprise, "GM10-99-01"))
    assert page.context["form"].errors == {"clause": UNKNOWN}
    assert 'value="GM10-99-01"' in page.content.decode()  # what was typed is kept
    with pytest.raises(ImportFailed) as refused:
        ledger_import(actor=ziyang_user, data=workbook([row(ziyang_enterprise, 等级="重大", 判定依据="GM10-99-01")]))
    assert [str(e) for e in refused.value.report.errors] == [f"第2行第J列（判定依据）：{UNKNOWN}"]
    assert not Hazard.objects.exists()


def test_a_loose_reference_is_stored_as_the_clause_id(api, ziyang_user, ziyang_enterprise):  # noqa: F811
    body = ok(
        api(ziyang_user).post("/hazards", _major(ziyang_enterprise, "工贸企业重大事故隐患判定标准第十一条（三）")), 201
    )
    assert body["clause"] == "GM10-11-03"
    hazard = Hazard.objects.get(pk=body["id"])
    assert hazard.events.get(action="report").payload["clause"] == "GM10-11-03"


def test_confirming_with_an_unknown_clause_is_refused(api, ziyang_user, ziyang_enterprise):  # noqa: F811
    county = api(ziyang_user)
    hid = ok(county.post("/hazards", {**_major(ziyang_enterprise, ""), "level": "general"}), 201)["id"]
    refused = county.act(hid, "confirm", level="major", clause="某条款")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["clause"] == UNKNOWN.replace("GM10-99-01", "某条款")


def test_the_hazard_page_shows_the_clause_standard_number_and_text(login, api, ziyang_user, ziyang_enterprise):  # noqa: F811
    hid = ok(api(ziyang_user).post("/hazards", _major(ziyang_enterprise, "JZ22-04-01")), 201)["id"]
    body = login(ziyang_user).get(reverse("hazards:detail", args=[hid])).content.decode()
    assert "JZ22-04-01" in body and "第四条（一）" in body and "已废止" in body  # superseded, still cited
    assert "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动" in body


def test_the_export_cell_shows_the_clause_and_reads_back(api, ziyang_user, ziyang_enterprise):  # noqa: F811
    ok(api(ziyang_user).post("/hazards", _major(ziyang_enterprise, "GM10-11-03")), 201)
    cell = next(c for c in COLUMNS if c.field == "clause")
    exported = cell.export(next(iter(export_rows(Hazard.objects.all()))))
    assert exported.startswith("GM10-11-03 工贸第十一条（三）：干式除尘系统未采取泄爆")
    from safeloop.standards.selectors import clause_resolve

    assert clause_resolve(exported).id == "GM10-11-03"


def test_an_old_ledgers_unmatched_text_stays_legacy_for_a_general_hazard(ziyang_user, ziyang_enterprise):
    ledger_import(actor=ziyang_user, data=workbook([row(ziyang_enterprise, 判定依据="《消防法》第十六条")]))
    hazard = Hazard.objects.get()
    assert hazard.clause is None and hazard.legacy_clause == "《消防法》第十六条"
    assert not list(verify_all())


def test_migration_0010_links_references_with_chain_events(api, ziyang_user, ziyang_enterprise):  # noqa: F811
    county = api(ziyang_user)
    ids = [
        ok(county.post("/hazards", {**_major(ziyang_enterprise, ""), "level": "general"}), 201)["id"] for _ in range(3)
    ]
    texts = ["化工121-12", "应急管理部令第10号第十三条第二项", "按相关规定"]
    with connection.cursor() as cursor:  # the state before 0009: free text, no clause
        for pk, text in zip(ids, texts, strict=True):
            cursor.execute("UPDATE hazards_hazard SET legacy_clause = %s, clause = NULL WHERE id = %s", [text, pk])
    link = importlib.import_module("safeloop.hazards.migrations.0010_link_clauses").link
    link(apps, None)
    got = {h.pk: (h.clause_id, h.legacy_clause) for h in Hazard.objects.filter(pk__in=ids)}
    assert got == {ids[0]: ("HG121-12", ""), ids[1]: ("GM10-13-02", ""), ids[2]: (None, "按相关规定")}
    last = Hazard.objects.get(pk=ids[0]).events.order_by("-seq").first()
    assert last.action == "clause_linked" and last.payload == {
        "clause": "HG121-12",
        "legacy_clause": "",
        "written": "化工121-12",
    }
    assert not list(verify_all())  # the chains verify and replay the new fields
