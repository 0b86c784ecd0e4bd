"""An administrator adds a standard or a clause, or amends one, through standards.services:
versioned (a stale edit is a conflict), audited, kept by a later load_standards."""

import pytest
from django.core.management import call_command

from safeloop.core.errors import Conflict, Forbidden
from safeloop.core.models import AuditEntry
from safeloop.standards import services
from safeloop.standards.models import Clause, Standard, Status, Wording

pytestmark = pytest.mark.django_db


def test_only_the_system_administrator_edits_the_catalogue(city_user):
    clause = Clause.objects.get(id="GM10-11-03")
    with pytest.raises(Forbidden):
        services.clause_amend(actor=city_user, clause=clause, data={"text": "改写"})
    assert Clause.objects.get(id="GM10-11-03").text == clause.text


def test_an_amendment_is_versioned_audited_and_survives_a_reload(sysadmin_user):
    clause = Clause.objects.get(id="GM10-11-10")
    services.clause_amend(
        actor=sysadmin_user, clause=clause, data={"keywords": ["积尘", "清扫"]}, version=clause.version
    )
    with pytest.raises(Conflict):
        services.clause_amend(actor=sysadmin_user, clause=clause, data={"keywords": []}, version=clause.version)
    amended = Clause.objects.get(id="GM10-11-10")
    assert amended.keywords == ["积尘", "清扫"] and amended.amended_by == sysadmin_user
    assert AuditEntry.objects.filter(action="clause.amend", target_id="GM10-11-10").exists()
    call_command("load_standards")
    assert Clause.objects.get(id="GM10-11-10").keywords == ["积尘", "清扫"]


def test_a_new_standard_and_clause_can_be_added_and_superseded_stays_citable(sysadmin_user):
    std = services.standard_create(
        actor=sysadmin_user, data={"id": "LOCAL1", "title": "某市补充判定情形", "category_codes": ["gongmao"]}
    )
    clause = services.clause_create(
        actor=sysadmin_user,
        data={"id": "LOCAL1-01", "standard": std, "number": "第1项", "text": "示例条文", "wording": Wording.OFFICIAL},
    )
    with pytest.raises(Conflict):
        services.standard_create(actor=sysadmin_user, data={"id": "LOCAL1", "title": "重复"})
    services.clause_amend(actor=sysadmin_user, clause=clause, data={"status": Status.SUPERSEDED})
    from safeloop.standards.selectors import clause_resolve

    assert clause_resolve("local1-01").status == Status.SUPERSEDED
    assert Standard.objects.filter(id="LOCAL1").exists()


def test_an_admin_edit_of_a_clause_is_audited_versioned_and_marked_amended(client, sysadmin_user):
    from tests.conftest import signed_in

    clause = Clause.objects.get(id="GM10-12-01")
    signed_in(client, sysadmin_user)
    url = f"/admin/standards/clause/{clause.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(text="管理员修订的条文", keywords='["氨"]', category_codes="[]", standard="GM10")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    amended = Clause.objects.get(pk=clause.pk)
    assert (amended.text, amended.version, amended.amended_by) == (
        "管理员修订的条文",
        clause.version + 1,
        sysadmin_user,
    )
    assert AuditEntry.objects.filter(action="admin.change", target_id="GM10-12-01").exists()
