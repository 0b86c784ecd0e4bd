"""Issuing: the Word file (python-docx reads it back, LibreOffice converts it), immutability, a
stale paragraph version, jurisdiction (404 outside), and the API."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from safeloop.briefings.models import Briefing, Paragraph
from safeloop.briefings.services import briefing_generate, briefing_issue, briefing_regenerate, paragraph_edit
from safeloop.core.errors import Conflict
from safeloop.core.seals import sealed_bytes
from tests.briefings.conftest import YEAR, accident
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(demo_city, city_user):
    return briefing_generate(actor=city_user, data={"kind": "annual", "year": str(YEAR)})


def _first(briefing) -> Paragraph:
    return briefing.paragraphs.order_by("order").first()


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_word_file_reads_back_with_every_paragraph_figure_and_definition(draft, login, city_user):
    response = login(city_user).get(reverse("briefings:document", args=[draft.pk]))
    assert response.status_code == 200
    text = _docx_text(response.content)
    for p in draft.paragraphs.all():
        assert p.heading in text and p.text.splitlines()[0] in text
    assert "道路运输事故占比50.0%" in text
    assert "注1：生产安全事故" in text  # the definitions, as notes
    assert "重点工程暂无数据" in text  # the figure without data, with its reason
    doc = Document(io.BytesIO(response.content))
    assert len(doc.inline_shapes) >= 2  # the charts, embedded as images
    assert doc.sections[0].page_width.mm == pytest.approx(210, abs=0.5)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (.ci/run installs it)")
def test_the_word_file_converts_to_pdf_with_libreoffice(draft, tmp_path):
    from safeloop.briefings.document import render

    source = tmp_path / "briefing.docx"
    source.write_bytes(render(draft).to_bytes())
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "briefing.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_an_edit_keeps_the_generated_text_and_a_stale_version_is_a_conflict(draft, city_user):
    p = _first(draft)
    paragraph_edit(
        actor=city_user, pk=draft.pk, paragraph=p.pk, data={"text": "改写后的第一段。", "version": p.version}
    )
    p.refresh_from_db()
    assert p.text == "改写后的第一段。" and p.generated != p.text and p.version == 2
    with pytest.raises(Conflict):
        paragraph_edit(actor=city_user, pk=draft.pk, paragraph=p.pk, data={"text": "另一人的修改", "version": 1})
    p.refresh_from_db()
    assert p.text == "改写后的第一段。"
    assert [e.action for e in draft.events.order_by("seq")] == ["generate", "edit"]


def test_the_page_keeps_what_was_typed_when_the_version_is_stale(draft, login, city_user):
    p = _first(draft)
    client = login(city_user)
    client.post(reverse("briefings:paragraph", args=[draft.pk, p.pk]), {"text": "先到的修改", "version": p.version})
    response = client.post(
        reverse("briefings:paragraph", args=[draft.pk, p.pk]), {"text": "后到的修改", "version": p.version}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "后到的修改" in body and "已被他人修改" in body


def test_an_empty_paragraph_is_refused_naming_the_field(draft, city_user):
    from safeloop.core.errors import ValidationFailed

    p = _first(draft)
    with pytest.raises(ValidationFailed) as refused:
        paragraph_edit(actor=city_user, pk=draft.pk, paragraph=p.pk, data={"text": " ", "version": p.version})
    assert "段落文字" in refused.value.fields["text"]


def test_an_issued_briefing_is_numbered_sealed_and_immutable(draft, city_user):
    p = _first(draft)
    paragraph_edit(actor=city_user, pk=draft.pk, paragraph=p.pk, data={"text": "印发前的定稿。", "version": p.version})
    draft.refresh_from_db()
    issued = briefing_issue(actor=city_user, pk=draft.pk, version=draft.version)
    assert issued.status == "issued" and issued.number == f"益阳市安委办通〔{YEAR}〕1号"
    seal = issued.seal
    sealed = sealed_bytes(seal)
    assert "印发前的定稿。" in _docx_text(sealed) and issued.number in _docx_text(sealed)
    content, digest = issued.issued_content, issued.issued_sha256
    # no edit, no regeneration
    with pytest.raises(Conflict):
        paragraph_edit(actor=city_user, pk=issued.pk, paragraph=p.pk, data={"text": "x", "version": p.version + 1})
    with pytest.raises(Conflict):
        briefing_regenerate(actor=city_user, pk=issued.pk, version=issued.version)
    with pytest.raises(Conflict):
        briefing_issue(actor=city_user, pk=issued.pk, version=issued.version)
    # new data and a later generation for the same period change nothing of it
    accident("430902005", date(YEAR, 8, 8), "road_traffic", deaths=9)
    later = briefing_generate(actor=city_user, data={"kind": "annual", "year": str(YEAR)})
    issued.refresh_from_db()
    assert later.pk != issued.pk and "5起" in _first(later).text
    assert issued.issued_content == content and issued.issued_sha256 == digest and issued.seal_id == seal.pk
    assert sealed_bytes(issued.seal) == sealed
    assert "印发前的定稿。" in Paragraph.objects.get(pk=p.pk).text
    # the second one issued that year takes the next number
    later_issued = briefing_issue(actor=city_user, pk=later.pk, version=later.version)
    assert later_issued.number == f"益阳市安委办通〔{YEAR}〕2号"


def test_the_issued_document_served_is_the_sealed_one(draft, login, city_user):
    issued = briefing_issue(actor=city_user, pk=draft.pk, version=draft.version)
    response = login(city_user).get(reverse("briefings:document", args=[issued.pk]))
    assert response.content == sealed_bytes(issued.seal)


# ---------------------------------------------------------------- jurisdiction


@pytest.fixture
def ziyang_briefing(demo_city, ziyang_user):
    return briefing_generate(actor=ziyang_user, data={"kind": "annual", "year": str(YEAR)})


def _routes(b: Briefing):
    p = b.paragraphs.exclude(chart=None).first()
    return [
        ("get", reverse("briefings:detail", args=[b.pk])),
        ("get", reverse("briefings:document", args=[b.pk])),
        ("get", reverse("briefings:chart", args=[b.pk, p.pk])),
        ("post", reverse("briefings:paragraph", args=[b.pk, p.pk])),
        ("post", reverse("briefings:act", args=[b.pk, "issue"])),
        ("post", reverse("briefings:act", args=[b.pk, "regenerate"])),
    ]


def test_another_county_gets_404_for_every_route_of_a_briefing(ziyang_briefing, login, heshan_user):
    client = login(heshan_user)
    for method, url in _routes(ziyang_briefing):
        assert getattr(client, method)(url, {"version": 1, "text": "x"}).status_code == 404, url
    listed = client.get(reverse("briefings:list")).content.decode()
    assert ziyang_briefing.title not in listed
    ziyang_briefing.refresh_from_db()
    assert ziyang_briefing.status == "draft" and ziyang_briefing.version == 1


def test_the_city_sees_the_county_briefing_and_the_county_not_the_citys(
    ziyang_briefing, draft, login, city_user, ziyang_user
):
    assert login(city_user).get(reverse("briefings:detail", args=[ziyang_briefing.pk])).status_code == 200
    assert login(ziyang_user).get(reverse("briefings:detail", args=[draft.pk])).status_code == 404


def test_roles_without_briefings_see_none(
    ziyang_briefing, login, township_user, enterprise_user, transport_user, expert_user
):
    for user in (township_user, enterprise_user, transport_user, expert_user):
        client = login(user)
        assert client.get(reverse("briefings:detail", args=[ziyang_briefing.pk])).status_code == 404
        assert client.get(reverse("briefings:list")).status_code == 403


def test_a_county_cannot_generate_for_the_city(demo_city, ziyang_user):
    from safeloop.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        briefing_generate(actor=ziyang_user, data={"kind": "annual", "year": str(YEAR), "region": "430900"})
    assert "region" in refused.value.fields


# ---------------------------------------------------------------- API


@pytest.fixture
def api(client):
    def call(user, method, path, data=None):
        token = client.post(
            "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        if method == "post":
            return client.post(f"/api/v1{path}", data or {}, content_type="application/json", headers=headers)
        return client.get(f"/api/v1{path}", headers=headers)

    return call


def test_the_api_generates_shows_edits_issues_and_serves_the_document(api, demo_city, city_user, heshan_user):
    created = api(city_user, "post", "/briefings", {"kind": "annual", "year": YEAR})
    assert created.status_code == 201, created.content
    body = created.json()
    pk, first = body["id"], body["paragraphs"][0]
    figure = first["figures"][0]
    assert figure["definition"] and figure["url"].startswith("/accidents/") and figure["number"] == 4
    listed = api(city_user, "get", "/briefings").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == pk
    edited = api(
        city_user,
        "post",
        f"/briefings/{pk}/paragraphs/{first['id']}",
        {"version": first["version"], "text": "接口修改"},
    )
    assert edited.status_code == 200 and edited.json()["paragraphs"][0]["text"] == "接口修改"
    stale = api(
        city_user, "post", f"/briefings/{pk}/paragraphs/{first['id']}", {"version": first["version"], "text": "旧版本"}
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    version = api(city_user, "get", f"/briefings/{pk}").json()["version"]
    issued = api(city_user, "post", f"/briefings/{pk}/issue", {"version": version})
    assert issued.status_code == 200 and issued.json()["status"] == "issued" and len(issued.json()["sha256"]) == 64
    document = api(city_user, "get", f"/briefings/{pk}/document")
    assert document.status_code == 200 and "接口修改" in _docx_text(document.content)
    for path in (f"/briefings/{pk}", f"/briefings/{pk}/document"):
        assert api(heshan_user, "get", path).status_code == 404
    assert api(heshan_user, "get", "/briefings").json()["count"] == 0


def test_the_api_refuses_a_bad_kind_naming_the_field(api, demo_city, city_user):
    response = api(city_user, "post", "/briefings", {"kind": "weekly", "year": YEAR})
    assert response.status_code == 400 and "kind" in response.json()["error"]["fields"]
