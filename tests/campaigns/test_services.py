"""Campaign services: the dragnet proposal, the frozen list, tasks and the hazards they find."""

from __future__ import annotations

import pytest
from django.db.models import Q

from safeloop.accounts.models import Role
from safeloop.campaigns.models import CampaignEvent, Finding, Route, Status, Target, Task, TaskStatus
from safeloop.campaigns.selectors import campaign_detail, progress, seed_proposals, tasks_visible
from safeloop.campaigns.services import campaign_create, campaign_launch, target_add, target_remove, task_act
from safeloop.checklists.services import checklist_submit
from safeloop.core.errors import ValidationFailed
from safeloop.hazards.models import Hazard, Source
from safeloop.registry.models import Enterprise
from tests.campaigns.conftest import campaign_data, later
from tests.checklists.conftest import answer_all
from tests.conftest import ZIYANG_TOWN, make_enterprise, make_user

pytestmark = pytest.mark.django_db


def test_dragnet_proposes_exactly_the_similar_enterprises_in_the_users_county(dust, seed_hazard, ziyang_user):
    proposals = seed_proposals(ziyang_user, seed_hazard)
    seed = dust["seed"]
    direct = (
        Enterprise.objects.filter(region__code__startswith="430902")
        .filter(Q(dust_explosion=True) | Q(category_id=seed.category_id) | Q(industry_code__startswith="33"))
        .exclude(pk=seed.pk)
    )
    assert {p.enterprise.pk for p in proposals} == set(direct.values_list("pk", flat=True))
    assert dust["far"].pk not in {p.enterprise.pk for p in proposals}
    assert dust["unlike"].pk not in {p.enterprise.pk for p in proposals}
    assert [p.enterprise.pk for p in proposals][0] == dust["twin"].pk  # feature + category + division
    assert all(p.reasons for p in proposals)
    assert any("粉尘涉爆" in reason for reason in proposals[0].reasons)


def test_a_same_clause_hazard_elsewhere_ranks_first(dust, seed_hazard, city_user):
    from safeloop.hazards.services import hazard_create

    values = {**_hazard_values(dust["cousin"]), "clause": seed_hazard.clause, "level": "major"}
    hazard_create(actor=city_user, values=values)
    proposals = seed_proposals(city_user, seed_hazard)
    assert proposals[0].enterprise.pk == dust["cousin"].pk
    assert any("同一条款" in r for r in proposals[0].reasons)


def _hazard_values(enterprise):
    from django.utils import timezone

    return {
        "enterprise": enterprise,
        "description": "粉尘清扫制度未落实",
        "location": "",
        "nature": "",
        "level": "general",
        "clause": None,
        "source": Source.REGULATOR,
        "finder_name": "检查组",
        "found_on": timezone.localdate(),
    }


def test_launch_freezes_the_list_later_registry_changes_do_not_join(dust, ziyang_user):
    campaign = campaign_create(actor=ziyang_user, data=campaign_data())
    frozen = set(campaign.targets.values_list("enterprise_id", flat=True))
    assert frozen == {dust["seed"].pk, dust["twin"].pk, dust["cousin"].pk}
    campaign = campaign_launch(actor=ziyang_user, campaign_id=campaign.pk, version=campaign.version)
    newcomer = make_enterprise(region=ZIYANG_TOWN, category="machinery", dust_explosion=True)
    assert campaign.status == Status.LAUNCHED
    assert set(campaign.tasks.values_list("enterprise_id", flat=True)) == frozen
    assert newcomer.pk not in set(campaign.tasks.values_list("enterprise_id", flat=True))
    launch = CampaignEvent.objects.get(campaign=campaign, action="launch")
    assert set(launch.payload["targets"]) == frozen and launch.payload["count"] == 3


def test_changes_after_launch_need_a_reason_and_are_in_the_history(dust, ziyang_user):
    campaign = campaign_create(actor=ziyang_user, data=campaign_data())
    campaign = campaign_launch(actor=ziyang_user, campaign_id=campaign.pk, version=campaign.version)
    with pytest.raises(ValidationFailed) as refused:
        target_add(actor=ziyang_user, campaign_id=campaign.pk, enterprise_id=dust["unlike"].pk, reason="")
    assert "reason" in refused.value.fields
    target_add(actor=ziyang_user, campaign_id=campaign.pk, enterprise_id=dust["unlike"].pk, reason="群众举报同类问题")
    target_remove(actor=ziyang_user, campaign_id=campaign.pk, enterprise_id=dust["cousin"].pk, reason="已停产")
    events = {e.action: e.payload for e in CampaignEvent.objects.filter(campaign=campaign)}
    assert events["add_target"] == {"enterprise": dust["unlike"].pk, "reason": "群众举报同类问题"}
    assert events["remove_target"] == {"enterprise": dust["cousin"].pk, "reason": "已停产"}
    assert Task.objects.get(campaign=campaign, enterprise=dust["unlike"]).status == TaskStatus.PENDING
    assert Task.objects.get(campaign=campaign, enterprise=dust["cousin"]).status == TaskStatus.CANCELLED
    assert Target.objects.get(campaign=campaign, enterprise=dust["cousin"]).removed_at is not None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target_filter": {}}, "target_filter"),
        ({"ends_on": later(-1)}, "ends_on"),
        ({"target_filter": {"enterprises": ["999999"]}}, "target_filter.enterprises"),
        ({"target_filter": {"features": ["dragons"]}}, "target_filter.features"),
        ({"title": ""}, "title"),
        ({"kind": "dragnet"}, "seed_hazard"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(dust, ziyang_user, overrides, field):
    with pytest.raises(ValidationFailed) as refused:
        campaign_create(actor=ziyang_user, data=campaign_data(**overrides))
    assert field in refused.value.fields
    assert all("\u4e00" <= ch <= "\u9fff" for ch in refused.value.fields[field][:1])
    assert not Target.objects.exists()


def test_an_enterprise_outside_the_users_scope_is_refused(dust, ziyang_user):
    data = campaign_data(target_filter={"enterprises": [dust["far"].pk]})
    with pytest.raises(ValidationFailed) as refused:
        campaign_create(actor=ziyang_user, data=data)
    assert "不在您的管辖范围内" in refused.value.fields["target_filter.enterprises"]


def test_enterprise_answers_its_dragnet_task_and_a_fail_becomes_a_dragnet_hazard(dust, seed_hazard, ziyang_user):
    data = campaign_data(kind="dragnet", title="粉尘涉爆举一反三", seed_hazard=seed_hazard.pk, target_filter={})
    campaign = campaign_create(actor=ziyang_user, data=data)
    campaign = campaign_launch(actor=ziyang_user, campaign_id=campaign.pk, version=campaign.version)
    task = Task.objects.get(campaign=campaign, enterprise=dust["twin"])
    owner = make_user(Role.ENTERPRISE, enterprise=dust["twin"])
    task = task_act(actor=owner, task_id=task.pk, action="start", version=task.version)
    assert task.status == TaskStatus.IN_PROGRESS and task.checklist is not None
    failing = task.checklist.items.filter(clause__feature="dust").first()
    answer_all(task.checklist, owner, "ok", **{failing.clause_id: "fail"})
    checklist_submit(actor=owner, checklist_id=task.checklist.pk, version=task.checklist.version)
    task.refresh_from_db()
    finding = Finding.objects.get(task=task)
    assert task.status == TaskStatus.DONE
    assert finding.hazard.source == Source.DRAGNET and finding.hazard.clause_id == failing.clause_id
    total, rows = progress(ziyang_user, campaign)
    assert total.inspected == 1 and total.hazards == 1 and total.major == 1


def test_a_plain_self_check_still_reports_self_check_hazards(dust):
    from safeloop.checklists.services import checklist_start

    owner = make_user(Role.ENTERPRISE, enterprise=dust["twin"])
    checklist = checklist_start(actor=owner)
    first = checklist.items.first()
    answer_all(checklist, owner, "ok", **{first.clause_id: "fail"})
    checklist_submit(actor=owner, checklist_id=checklist.pk, version=checklist.version)
    assert Hazard.objects.get(enterprise=dust["twin"]).source == Source.SELF_CHECK


def test_township_records_findings_as_campaign_hazards(dust, ziyang_user, township_user):
    campaign = campaign_create(actor=ziyang_user, data=campaign_data(kind="special", route=Route.TOWNSHIP))
    campaign = campaign_launch(actor=ziyang_user, campaign_id=campaign.pk, version=campaign.version)
    task = Task.objects.get(campaign=campaign, enterprise=dust["seed"])
    with pytest.raises(ValidationFailed) as refused:
        task_act(actor=township_user, task_id=task.pk, action="complete", version=task.version, data={"note": ""})
    assert "note" in refused.value.fields
    data = {"note": "现场检查两个车间", "findings": "除尘器未接地\n\n粉尘清扫记录缺失"}
    task_act(actor=township_user, task_id=task.pk, action="complete", version=task.version, data=data)
    hazards = Hazard.objects.filter(enterprise=dust["seed"])
    assert hazards.count() == 2 and set(hazards.values_list("source", flat=True)) == {Source.CAMPAIGN}


def test_a_county_sees_a_city_campaign_but_only_its_own_tasks(dust, city_user, ziyang_user, heshan_user):
    campaign = campaign_create(actor=city_user, data=campaign_data())
    campaign = campaign_launch(actor=city_user, campaign_id=campaign.pk, version=campaign.version)
    assert campaign_detail(ziyang_user, campaign.pk) == campaign
    assert tasks_visible(ziyang_user, campaign).count() == 3
    assert tasks_visible(heshan_user, campaign).count() == 1  # 赫山's one dust enterprise
    assert tasks_visible(city_user, campaign).count() == 4


def test_another_countys_campaign_is_not_found(dust, ziyang_user, heshan_user):
    from safeloop.core.errors import NotFound

    campaign = campaign_create(actor=ziyang_user, data=campaign_data())
    with pytest.raises(NotFound):
        campaign_detail(heshan_user, campaign.pk)


def test_a_hazard_in_the_same_special_section_counts_but_a_general_section_does_not(dust, seed_hazard, city_user):
    from safeloop.hazards.services import hazard_create
    from safeloop.standards.models import Clause

    general = Clause.objects.filter(standard_id="GM10", feature="").exclude(section="").first()
    hazard_create(actor=city_user, values={**_hazard_values(dust["unlike"]), "clause": general})
    assert dust["unlike"].pk not in {p.enterprise.pk for p in seed_proposals(city_user, seed_hazard)}
    same_section = Clause.objects.get(pk="GM10-11-05")
    hazard_create(actor=city_user, values={**_hazard_values(dust["unlike"]), "clause": same_section})
    [found] = [p for p in seed_proposals(city_user, seed_hazard) if p.enterprise.pk == dust["unlike"].pk]
    assert any("同一标准章节" in r for r in found.reasons)


def test_a_hazard_under_a_clause_the_seeds_text_resembles_is_proposed_with_that_reason(dust, seed_hazard, city_user):
    from safeloop.campaigns.targeting import similar_clauses
    from safeloop.hazards.services import hazard_create
    from safeloop.standards.models import Clause

    similar = similar_clauses(seed_hazard.description, "machinery", but=seed_hazard.clause_id)
    assert similar and seed_hazard.clause_id not in similar
    clause = Clause.objects.get(pk=similar[0])
    hazard_create(actor=city_user, values={**_hazard_values(dust["unlike"]), "clause": clause})
    [found] = [p for p in seed_proposals(city_user, seed_hazard) if p.enterprise.pk == dust["unlike"].pk]
    assert any("与源头描述相近" in r for r in found.reasons)


def test_a_campaigns_focus_clauses_lead_the_enterprises_checklist(dust, ziyang_user):
    from safeloop.standards.models import Clause

    applicable = set(Clause.objects.filter(feature="dust").values_list("pk", flat=True))
    outside = Clause.objects.exclude(pk__in=applicable).exclude(feature="dust").order_by("pk").first()
    data = campaign_data(
        title="违规动火专项整治", clauses=[outside.pk], target_filter={"enterprises": [dust["twin"].pk]}
    )
    campaign = campaign_create(actor=ziyang_user, data=data)
    campaign = campaign_launch(actor=ziyang_user, campaign_id=campaign.pk, version=campaign.version)
    task = Task.objects.get(campaign=campaign, enterprise=dust["twin"])
    owner = make_user(Role.ENTERPRISE, enterprise=dust["twin"])
    task = task_act(actor=owner, task_id=task.pk, action="start", version=task.version)
    items = list(task.checklist.items.order_by("sort").values_list("clause_id", flat=True))
    assert items[0] == outside.pk and len(items) > 1 and items.count(outside.pk) == 1
