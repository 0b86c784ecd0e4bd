"""Every reporting route, tried by outsiders: another county, an enterprise (for a public report
about it), an expert. Objects are 404, lists and exports leave them out; identities never leak."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from safeloop.reporting.models import RewardMechanism
from safeloop.reporting.services import report_submit
from tests.conftest import signed_in
from tests.reporting.conftest import photo, submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_report(ziyang_enterprise):
    data = submission(ziyang_enterprise, name="孙七", phone="13700000000", photos=[photo()])
    return report_submit(data=data, address="198.51.100.1")


@pytest.mark.parametrize("who", ["heshan_user", "enterprise_user", "expert_user"])
def test_outsiders_get_404_for_a_report(request, client, public_report, who):
    signed_in(client, request.getfixturevalue(who))
    assert client.get(reverse("reporting:detail", args=[public_report.pk])).status_code == 404
    assert (
        client.post(reverse("reporting:action", args=[public_report.pk, "accept"]), {"version": 1}).status_code == 404
    )


@pytest.mark.parametrize("who", ["heshan_user", "enterprise_user"])
def test_lists_leave_the_report_out(request, client, public_report, who):
    signed_in(client, request.getfixturevalue(who))
    page = client.get(reverse("reporting:list"))
    assert page.status_code == 200 and public_report.code not in page.text


def test_another_countys_mechanism_page_and_documents_are_404(
    client, heshan_user, ziyang_enterprise, enterprise_user, township_user
):
    from safeloop.reporting.services import mechanism_document_add

    document = mechanism_document_add(actor=enterprise_user, enterprise_id=ziyang_enterprise.pk, upload=photo())
    url = reverse("reporting:mechanism_document", args=[ziyang_enterprise.pk, document.pk])
    signed_in(client, township_user)
    assert client.get(url).status_code == 200
    assert document.original_name in client.get(reverse("reporting:mechanism", args=[ziyang_enterprise.pk])).text
    signed_in(client, heshan_user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("reporting:mechanism", args=[ziyang_enterprise.pk])).status_code == 404
    assert client.post(reverse("reporting:mechanism", args=[ziyang_enterprise.pk]), {}).status_code == 404


def test_compliance_and_its_export_count_only_the_users_area(client, heshan_user, heshan_enterprise, ziyang_enterprise):
    RewardMechanism.objects.create(enterprise=ziyang_enterprise, established=True, established_on="2025-01-01")
    signed_in(client, heshan_user)
    page = client.get(reverse("reporting:compliance"))
    assert page.status_code == 200 and ziyang_enterprise.name not in page.text and "资阳" not in page.text
    export = client.get(reverse("reporting:compliance_export"))
    cells = [
        str(c.value)
        for row in load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows()
        for c in row
    ]
    assert not any("资阳" in c for c in cells)
    assert client.get(reverse("reporting:statistics")).status_code == 200


@pytest.mark.parametrize("who", ["enterprise_user", "expert_user"])
def test_enterprises_and_experts_do_not_open_the_statistics(request, client, who):
    signed_in(client, request.getfixturevalue(who))
    assert client.get(reverse("reporting:compliance")).status_code == 403
    assert client.get(reverse("reporting:compliance_export")).status_code == 403
    assert client.get(reverse("reporting:statistics")).status_code == 403
    assert client.get(reverse("reporting:policy")).status_code == 403
    assert client.post(reverse("reporting:policy"), {"source": "x"}).status_code == 403


@pytest.mark.parametrize(
    "who",
    ["ziyang_user", "city_user", "sysadmin_user", "heshan_user", "transport_user", "enterprise_user", "expert_user"],
)
def test_the_identity_is_on_no_page_but_the_handlers(request, client, public_report, who):
    user = request.getfixturevalue(who)
    signed_in(client, user)
    for url in (reverse("reporting:list"), reverse("reporting:detail", args=[public_report.pk])):
        answer = client.get(url)
        assert "孙七" not in answer.text and "13700000000" not in answer.text


def test_the_public_pages_show_nothing_of_others(client, public_report):
    track = client.post(reverse("reporting:public_track"), {"code": public_report.code})
    assert track.status_code == 200 and "孙七" not in track.text and "13700000000" not in track.text
    assert client.get(reverse("reporting:public_done")).status_code == 302  # no code of this session
    assert client.get(reverse("reporting:public_enterprise", args=["nosuchcode"])).status_code == 404
    assert client.get(reverse("reporting:public_new")).status_code == 200
