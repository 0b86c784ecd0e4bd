"""Campaign pages: list, create form (filter and 举一反三), board, task page, export; outsiders 404."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from safeloop.accounts.models import Role
from safeloop.campaigns.models import Campaign, Task, TaskStatus
from safeloop.campaigns.services import campaign_create, campaign_launch
from safeloop.hazards.models import Hazard, Source
from tests.campaigns.conftest import campaign_data, later
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def launched(dust, ziyang_user):
    campaign = campaign_create(actor=ziyang_user, data=campaign_data(route="township"))
    return campaign_launch(actor=ziyang_user, campaign_id=campaign.pk, version=campaign.version)


def _form(**overrides):
    data = {
        "title": "粉尘涉爆企业专项整治",
        "kind": "special",
        "starts_on": later(0),
        "ends_on": later(60),
        "route": "enterprise",
        "task_days": "15",
        "target_filter.features": ["dust_explosion"],
    }
    data.update(overrides)
    return data


def test_a_county_drafts_a_campaign_from_the_form(login, dust, ziyang_user):
    response = login(ziyang_user).post(reverse("campaigns:new"), _form())
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == reverse("campaigns:detail", args=[campaign.pk])
    assert campaign.targets.count() == 3 and campaign.target_filter["features"] == ["dust_explosion"]


def test_bad_form_input_keeps_what_was_typed_and_names_the_field(login, dust, ziyang_user):
    response = login(ziyang_user).post(
        reverse("campaigns:new"), _form(**{"target_filter.features": [], "ends_on": later(-2)})
    )
    body = response.content.decode()
    assert response.status_code == 400 and not Campaign.objects.exists()
    assert "粉尘涉爆企业专项整治" in body and "结束日期不能早于今天" in body and "对象范围不能为空" in body


def test_dragnet_form_lists_the_proposal_with_reasons(login, dust, seed_hazard, ziyang_user):
    client = login(ziyang_user)
    page = client.get(reverse("campaigns:new"), {"seed_hazard": seed_hazard.pk}).content.decode()
    assert dust["twin"].name in page and "同有风险特征：粉尘涉爆" in page and dust["far"].name not in page
    data = _form(kind="dragnet", seed_hazard=seed_hazard.pk, proposal="1", targets=[dust["twin"].pk])
    response = client.post(reverse("campaigns:new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get()
    assert campaign.seed_hazard == seed_hazard and list(campaign.targets.values_list("enterprise_id", flat=True)) == [
        dust["twin"].pk
    ]


def test_board_counts_and_lists_tasks(login, launched, township_user, ziyang_user, dust):
    task = Task.objects.get(campaign=launched, enterprise=dust["seed"])
    client = login(township_user)
    act = reverse("campaigns:task_act", args=[task.pk, "complete"])
    response = client.post(act, {"version": task.version, "note": "已查", "findings": "除尘器未接地"})
    assert response.status_code == 302
    assert Hazard.objects.get(enterprise=dust["seed"]).source == Source.CAMPAIGN
    board = login(ziyang_user).get(reverse("campaigns:detail", args=[launched.pk]))
    total = board.context["total"]
    assert total.targets == 3 and total.inspected == 1 and total.hazards == 1
    assert dust["twin"].name in board.content.decode()


def test_the_board_keeps_to_a_few_queries(login, launched, ziyang_user, django_assert_max_num_queries):
    client = login(ziyang_user)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("campaigns:detail", args=[launched.pk])).status_code == 200


def test_export_lists_each_task_with_its_status(login, launched, ziyang_user, dust):
    response = login(ziyang_user).get(reverse("campaigns:export", args=[launched.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert dust["twin"].name in cells and "待开展" in cells and dust["far"].name not in cells


def test_enterprise_opens_its_task_and_is_sent_to_its_checklist(login, launched, dust, ziyang_user):
    Task.objects.filter(campaign=launched).update(route="enterprise")
    owner = make_user(Role.ENTERPRISE, enterprise=dust["twin"])
    task = Task.objects.get(campaign=launched, enterprise=dust["twin"])
    client = login(owner)
    assert client.get(reverse("campaigns:task", args=[task.pk])).status_code == 200
    response = client.post(reverse("campaigns:task_act", args=[task.pk, "start"]), {"version": task.version})
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert response.url == reverse("checklists:detail", args=[task.checklist_id])


def test_launch_from_the_page(login, dust, ziyang_user):
    campaign = campaign_create(actor=ziyang_user, data=campaign_data())
    client = login(ziyang_user)
    client.post(reverse("campaigns:act", args=[campaign.pk, "launch"]), {"version": campaign.version})
    campaign.refresh_from_db()
    assert campaign.status == "launched" and campaign.tasks.count() == 3


def test_a_major_hazards_page_offers_the_dragnet(login, seed_hazard, ziyang_user, dust):
    page = login(ziyang_user).get(reverse("hazards:detail", args=[seed_hazard.pk])).content.decode()
    assert f"{reverse('campaigns:new')}?seed_hazard={seed_hazard.pk}" in page
    owner = make_user(Role.ENTERPRISE, enterprise=dust["seed"])
    assert "seed_hazard=" not in login(owner).get(reverse("hazards:detail", args=[seed_hazard.pk])).content.decode()


def test_summary_is_a_word_file_with_the_figures(login, launched, township_user, ziyang_user, dust):
    import docx

    task = Task.objects.get(campaign=launched, enterprise=dust["seed"])
    data = {"note": "已查", "findings": "除尘器未接地\n粉尘清扫记录缺失"}
    login(township_user).post(
        reverse("campaigns:task_act", args=[task.pk, "complete"]), {"version": task.version, **data}
    )
    response = login(ziyang_user).get(reverse("campaigns:summary", args=[launched.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "阶段性总结" in text and "完成排查 1 家" in text and "发现隐患 2 项" in text
    assert "每百家已排查企业发现隐患 200.0 项" in text


def test_list_shows_statistics_across_campaigns(login, dust, seed_hazard, ziyang_user):
    from safeloop.campaigns.selectors import figures_of

    data = campaign_data(kind="dragnet", seed_hazard=seed_hazard.pk, target_filter={}, route="township")
    campaign = campaign_create(actor=ziyang_user, data=data)
    campaign = campaign_launch(actor=ziyang_user, campaign_id=campaign.pk, version=campaign.version)
    figures = figures_of(ziyang_user, [campaign])[campaign.pk]
    assert (figures.inspected, figures.hazards, figures.same_hazard, figures.per_100) == (0, 0, 0, None)
    assert login(ziyang_user).get(reverse("campaigns:list")).status_code == 200


def test_the_launching_document_is_stored_and_served_to_those_who_see_the_campaign(
    login, dust, ziyang_user, heshan_user
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile(
        "行动方案.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )
    response = login(ziyang_user).post(reverse("campaigns:new"), {**_form(), "document": pdf})
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    document = campaign.documents.get()
    url = reverse("campaigns:document", args=[campaign.pk, document.pk])
    assert login(ziyang_user).get(url).status_code == 200
    assert login(heshan_user).get(url).status_code == 404


def test_a_document_that_is_not_a_pdf_or_photo_is_refused_naming_the_field(login, dust, ziyang_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exe = SimpleUploadedFile("方案.exe", b"MZ\x90\x00" * 20, content_type="application/octet-stream")
    response = login(ziyang_user).post(reverse("campaigns:new"), {**_form(), "document": exe})
    assert response.status_code == 400 and not Campaign.objects.exists()
    assert response.context["form"].errors["document"]


def test_the_enterprise_home_lists_its_open_campaign_task(login, launched, dust):
    owner = make_user(Role.ENTERPRISE, enterprise=dust["twin"])
    task = Task.objects.get(campaign=launched, enterprise=dust["twin"])
    page = login(owner).get(reverse("workbench:home")).content.decode()
    assert reverse("campaigns:task", args=[task.pk]) in page and launched.title in page
