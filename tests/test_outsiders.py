"""Every route, tried by an outsider: out-of-scope objects are 404 and lists leak nothing.

`ROUTES` must name every URL pattern of the project; the first test fails when a new route
is added without an outsider check here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.experts.test_outsiders import EXPERT_ROUTES
from tests.flood.test_outsiders import FLOOD_ROUTES

OBJECT_ROUTES = [
    "registry:enterprise_detail",  # 一企一档: the page the workbench assembles (registry.pages)
    "registry:enterprise_edit",
    "workbench:poster",
    "workbench:poster_png",
    "workbench:poster_svg",
]
LIST_ROUTES = ["registry:enterprise_list", "registry:enterprise_export"]
# Each object route with the record it opens (see `ziyang_record_ids`) and its methods.
ACCIDENT_OBJECT_ROUTES = {
    "accidents:accident_detail": ("accident", ("get",)),
    "accidents:accident_edit": ("accident", ("get", "post")),
    "accidents:accident_casualties": ("accident", ("post",)),
    "accidents:disaster_edit": ("disaster", ("get", "post")),
    "accidents:response_edit": ("response", ("get", "post")),
}
ACCIDENT_LIST_ROUTES = [
    "accidents:accident_new",  # forms list regions, disasters and enterprises in scope only
    "accidents:disaster_new",
    "accidents:response_new",
    "accidents:accident_list",
    "accidents:accident_export",
    "accidents:disaster_list",
    "accidents:disaster_export",
    "accidents:response_list",
    "accidents:response_export",
    "accidents:denominator_list",
    "accidents:denominator_export",
]
TARGET_ROUTES = ["targets:dashboard", "targets:export"]
# Routes that reveal no enterprise data at all (login, reference pages, API assembled elsewhere).
NO_DATA_ROUTES = {
    "workbench:home",
    "core:health",
    "core:favicon",  # a redirect to the static icon
    "accounts:login",
    "accounts:logout",
    "accounts:password",  # one's own password
    "accounts:password_first",  # the new password of a sign-in with an initial password
    "registry:enterprise_new",
    "registry:enterprise_import",
    "registry:enterprise_template",
    "hazards:new",
    "hazards:import",
    "hazards:import_template",
    "accidents:denominator_import",
    "registry:region_map",  # county outlines: public geography, the same for every user
    # offline (docs/offline.md): the app shell, and the caller's own session and receipts
    "workbench:manifest",
    "workbench:service_worker",
    "workbench:offline_queue",
    "workbench:offline_unavailable",
    "workbench:offline_session",
    "workbench:offline_receipt",  # the caller's own keys only (tests/offline)
}
# Public routes (no sign-in): they answer only to an unguessable token, show only what the
# document itself publishes, and an unknown token is the plain 404 for everyone.
PUBLIC_ROUTES = {"core:verify"}
# The system administrator's pages: every other role gets the 403 page (tests/core/test_system_page.py).
SYSADMIN_ROUTES = {"core:system"}
# 数据推送 (webhooks, issue 20 item 3): the system administrator's alone, every other role gets
# the plain 404 for every page and action (tests/webhooks/test_pages.py).
WEBHOOK_ROUTES = {
    "webhooks:home",
    "webhooks:target_new",
    "webhooks:target_remove",
    "webhooks:subscription_new",
    "webhooks:subscription",
    "webhooks:subscription_active",
    "webhooks:replay",
}
# 一企一档's tabs (each tab for every kind of role, and every document link in them) and the
# enterprise's printable code (unknown codes 404, outsiders see only the public page), checked in
# tests/workbench/test_dossier.py and tests/workbench/test_codes.py.
DOSSIER_ROUTES = {"workbench:dossier_tab", "workbench:enterprise_code"}
# Hazard routes, checked in tests/hazards/test_outsiders.py with a hazard and its attachment.
HAZARD_ROUTES = {
    "hazards:detail",
    "hazards:act",
    "hazards:upload",
    "hazards:document",
    "hazards:attachment",
    "hazards:ledger",
    "hazards:export",
    "hazards:todo",
    "hazards:enterprise_options",
    "hazards:on_spot",
    "workbench:offline_hazard_state",  # offline: tests/offline/test_pages.py
}
# Checklist and statistics routes, checked in tests/checklists/test_outsiders.py (another county,
# another enterprise) with a checklist, its item and its photo.
CHECKLIST_ROUTES = {
    "checklists:list",
    "checklists:new",
    "checklists:detail",
    "checklists:answer",
    "checklists:submit",
    "checklists:photo",
    "standards_stats:page",
    "standards_stats:export",
}
# Inspection routes, checked in tests/inspections/test_pages.py with another county's users (404
# for an inspection, its actions, a draw and an enterprise's burden page; lists and the export
# show none of it); the public draw page shows no personal data.
INSPECTION_ROUTES = {
    "inspections:list",
    "inspections:export",
    "inspections:new",
    "inspections:detail",
    "inspections:action",
    "inspections:site_record",
    "inspections:plans",
    "inspections:plan_new",
    "inspections:draws",
    "inspections:draw",
    "inspections:draw_public",
    "inspections:burden",
    "inspections:stats",
}
# Campaign routes, checked in tests/campaigns/test_outsiders.py (another county, another enterprise)
# with a campaign of 资阳区 and its task.
CAMPAIGN_ROUTES = {
    "campaigns:list",
    "campaigns:new",
    "campaigns:detail",
    "campaigns:act",
    "campaigns:targets",
    "campaigns:export",
    "campaigns:summary",
    "campaigns:document",
    "campaigns:task",
    "campaigns:task_act",
    "campaigns:link_operation",  # issue 17: tests/enforcement/test_outsiders.py
}
# 打非治违 routes (issue 17), checked in tests/enforcement/test_outsiders.py (another county,
# another department, an enterprise) with a clue and a case of 资阳区.
ENFORCEMENT_ROUTES = {
    "enforcement:clues",
    "enforcement:clue_new",
    "enforcement:clue",
    "enforcement:clue_action",
    "enforcement:clue_photo",
    "enforcement:subject_match",
    "enforcement:cases",
    "enforcement:case",
    "enforcement:case_action",
    "enforcement:case_document",
    "enforcement:operations",
    "enforcement:operation",
    "enforcement:stats",
}
# Pages anyone may open without signing in, checked in tests/hazards/test_public_list.py: they
# show only what the rule publishes (a listing notice's columns), never people or internal notes.
PUBLIC_LIST_ROUTES = {"public:listed_hazards"}
# 挂图作战 (issue 19): another county's region is 404; the own county's figures and points never
# name another county's enterprises; the outline is public geography (the same for everyone).
BOARD_ROUTES = {"board:page": [], "board:screen": [], "board:data": [], "board:layer": ["enterprises"]}
BOARD_NO_DATA_ROUTES = {"board:outline"}

# A user's own records (background jobs), checked in tests/core/test_jobs.py with another user.
OWNER_ROUTES = {"core:job", "core:job_file"}
# A user's own notifications, checked in tests/accounts/test_notifications.py with another user's.
NOTIFICATION_ROUTES = {"notifications:list", "notifications:open", "notifications:read_all"}
# An enterprise's own accounts, checked in tests/accounts/test_enterprise_accounts.py with another
# enterprise's principal (404 for its accounts and delegations, its lists show only its own).
# The security log is the system administrator's alone, checked in tests/core/test_security_log.py
# with every other role (403 for the page and the export).
SECURITY_LOG_ROUTES = {"core:security_log", "core:security_log_export"}
# The standards catalogue: read-only reference data for every signed-in user (no enterprise data);
# signed-out visitors and unknown ids checked in tests/standards/test_pages.py.
STANDARDS_ROUTES = {"standards:list", "standards:detail", "standards:clause", "standards:hint"}
# Reports and reward mechanisms, checked in tests/reporting/test_outsiders.py (another county,
# an enterprise, an expert: 404 for a report or an enterprise's mechanism, lists without them);
# the public report pages (no sign-in) show only the reporter's own report's progress.
REPORTING_ROUTES = {
    "reporting:public_new",
    "reporting:public_enterprise",
    "reporting:public_done",
    "reporting:public_track",
    "reporting:list",
    "reporting:detail",
    "reporting:action",
    "reporting:photo",
    "reporting:compliance",
    "reporting:compliance_export",
    "reporting:mechanism",
    "reporting:mechanism_document",
    "reporting:statistics",
    "reporting:policy",
}
# Duty lists, annual tasks, drills, accountability and the assessment, checked in
# tests/duties/test_outsiders.py (another county, a department, an enterprise, an expert: 404 for
# another county's task, evidence, unit, drill-down rows; lists and the export without them).
DUTY_ROUTES = {
    "duties:home",
    "duties:list",
    "duties:tasks",
    "duties:task",
    "duties:task_update",
    "duties:task_evidence",
    "duties:evidence",
    "duties:drills",
    "duties:accountability",
    "duties:assessment",
    "duties:assessment_export",
    "duties:assessment_close",
    "duties:assessment_unit",
    "duties:manual_score",
    "duties:drill",
}
# Briefings, checked in tests/briefings/test_issue.py (another county: 404 for a briefing, its Word
# file, charts, paragraph edits and actions; the list shows none of it; roles without briefings: 403/404).
BRIEFING_ROUTES = {
    "briefings:list",
    "briefings:detail",
    "briefings:paragraph",
    "briefings:act",
    "briefings:document",
    "briefings:chart",
}
ENTERPRISE_ACCOUNT_ROUTES = {
    "accounts:enterprise_accounts",
    "accounts:enterprise_account_new",
    "accounts:enterprise_account",
    "accounts:enterprise_account_disable",
    "accounts:enterprise_account_enable",
    "accounts:enterprise_account_password",
    "accounts:delegation_name",
    "accounts:delegation_revoke",
    "accounts:principal_handover",
}


def _names(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            if entry.namespace in ("admin", "api"):
                continue  # admin is sysadmin-only; the API has its own outsider tests
            yield from _names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def test_every_route_has_an_outsider_check():
    """Every URL name is declared in exactly one of the lists below."""
    declared = set(OBJECT_ROUTES) | set(LIST_ROUTES) | NO_DATA_ROUTES | HAZARD_ROUTES | OWNER_ROUTES | PUBLIC_ROUTES
    declared |= DOSSIER_ROUTES
    declared |= set(ACCIDENT_OBJECT_ROUTES) | set(ACCIDENT_LIST_ROUTES) | set(TARGET_ROUTES) | NOTIFICATION_ROUTES
    declared |= ENTERPRISE_ACCOUNT_ROUTES | CHECKLIST_ROUTES | INSPECTION_ROUTES | CAMPAIGN_ROUTES
    declared |= PUBLIC_LIST_ROUTES | SECURITY_LOG_ROUTES | SYSADMIN_ROUTES | STANDARDS_ROUTES
    declared |= EXPERT_ROUTES  # tests/experts/test_outsiders.py
    declared |= REPORTING_ROUTES
    declared |= FLOOD_ROUTES  # tests/flood/test_outsiders.py
    declared |= ENFORCEMENT_ROUTES  # issue 17
    declared |= DUTY_ROUTES  # tests/duties/test_outsiders.py
    declared |= set(BOARD_ROUTES) | BOARD_NO_DATA_ROUTES
    declared |= BRIEFING_ROUTES  # tests/briefings/test_issue.py
    declared |= WEBHOOK_ROUTES  # tests/webhooks/test_pages.py
    assert set(_names(get_resolver())) == declared


@pytest.fixture
def sealed_for_ziyang(ziyang_enterprise):
    from datetime import date

    from safeloop.core.docx import DOCX_CONTENT_TYPE
    from safeloop.core.seals import record_seal

    return record_seal(
        kind="registry.test",
        title="测试文书",
        number="资阳应急测〔2026〕9号",
        issuer="益阳市资阳区应急管理局",
        issued_on=date(2026, 12, 2),
        content=b"sealed bytes",
        content_type=DOCX_CONTENT_TYPE,
        target=ziyang_enterprise,
        actor=None,
    )


@pytest.mark.parametrize("route", PUBLIC_ROUTES)
def test_public_route_shows_the_document_but_nothing_of_its_owner(route, client, sealed_for_ziyang):
    body = client.get(reverse(route, args=[sealed_for_ziyang.token])).content.decode()
    assert sealed_for_ziyang.number in body and sealed_for_ziyang.sha256 in body
    assert "资阳安达化工" not in body and "registry" not in body and "退出" not in body


@pytest.mark.parametrize("route", PUBLIC_ROUTES)
def test_public_route_with_an_unknown_token_is_404_for_everyone(route, client, login, heshan_user, sealed_for_ziyang):
    wrong = sealed_for_ziyang.token[:-2] + ("aa" if not sealed_for_ziyang.token.endswith("aa") else "bb")
    for visitor in (None, heshan_user):
        browser = login(visitor) if visitor else client
        assert browser.get(reverse(route, args=[wrong])).status_code == 404
        assert browser.post(reverse(route, args=[wrong]), {"sha256": sealed_for_ziyang.sha256}).status_code == 404


@pytest.mark.parametrize("route", OBJECT_ROUTES)
def test_county_user_cannot_reach_other_county_enterprise(route, login, heshan_user, ziyang_enterprise):
    assert login(heshan_user).get(reverse(route, args=[ziyang_enterprise.pk])).status_code == 404


@pytest.mark.parametrize("route", OBJECT_ROUTES)
def test_missing_and_hidden_enterprises_look_the_same(route, login, heshan_user, ziyang_enterprise):
    client = login(heshan_user)
    hidden = client.get(reverse(route, args=[ziyang_enterprise.pk]))
    missing = client.get(reverse(route, args=[ziyang_enterprise.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404


@pytest.mark.parametrize("route", LIST_ROUTES)
def test_lists_and_exports_do_not_mention_other_county(route, login, heshan_user, ziyang_enterprise):
    response = login(heshan_user).get(reverse(route), {"q": "安达"})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert ziyang_enterprise.name.encode() not in body
    assert ziyang_enterprise.credit_code.encode() not in body


def test_workbench_counts_only_own_scope(login, heshan_user, ziyang_enterprise, heshan_enterprise):
    figures = login(heshan_user).get(reverse("workbench:home")).context["figures"]
    assert figures["total"] == 1


def test_workbench_query_count_is_bounded(login, city_user, reference, django_assert_max_num_queries):
    from tests.conftest import make_enterprise

    for i in range(30):
        make_enterprise(name=f"工作台{i}", risk_level="red")
    client = login(city_user)
    # session, user, its region; 3 hazard cards; the workbench's one GROUP BY; region picker,
    # departments and their categories; the overdue list (ids, rows, calendar); 3 enterprise
    # aggregates; the bell
    with django_assert_max_num_queries(17):
        client.get(reverse("workbench:home"))


@pytest.fixture
def ziyang_records(reference):
    from datetime import timedelta

    from django.utils import timezone

    from safeloop.accidents.models import Accident, Denominator, Disaster, EmergencyResponse

    now = timezone.now() - timedelta(hours=1)
    accident = Accident.objects.create(
        title="资阳秘密事故", occurred_at=now, region_id="430902005", sector="fire", deaths=1
    )
    disaster = Disaster.objects.create(
        title="资阳秘密灾害", kind="flood", occurred_on=now.date(), region_id="430902005", affected=9
    )
    EmergencyResponse.objects.create(title="资阳秘密响应", region_id="430902005", reported_at=now, disaster=disaster)
    Denominator.objects.create(region_id="430902", year=now.year, gdp=777, source="资阳秘密来源")
    return accident


@pytest.fixture
def ziyang_record_ids(ziyang_records):
    from safeloop.accidents.models import Disaster, EmergencyResponse

    return {
        "accident": ziyang_records.pk,
        "disaster": Disaster.objects.get().pk,
        "response": EmergencyResponse.objects.get().pk,
    }


@pytest.mark.parametrize("route", ACCIDENT_OBJECT_ROUTES)
def test_county_user_cannot_reach_other_county_accident(route, login, heshan_user, ziyang_record_ids):
    client = login(heshan_user)
    record, methods = ACCIDENT_OBJECT_ROUTES[route]
    pk = ziyang_record_ids[record]
    form = {"title": "改", "deaths": "9", "missing": "0", "serious_injuries": "0", "injuries": "0", "direct_loss": "0"}
    for method in methods:
        assert getattr(client, method)(reverse(route, args=[pk]), form).status_code == 404
        assert getattr(client, method)(reverse(route, args=[pk + 1000]), form).status_code == 404


def test_outsider_posts_change_nothing(login, heshan_user, ziyang_record_ids):
    from safeloop.accidents.models import Accident, AccidentReport, Disaster, EmergencyResponse

    for route in ACCIDENT_OBJECT_ROUTES:
        test_county_user_cannot_reach_other_county_accident(route, login, heshan_user, ziyang_record_ids)
    assert (Accident.objects.get().title, Accident.objects.get().deaths) == ("资阳秘密事故", 1)
    assert not AccidentReport.objects.exists()
    assert Disaster.objects.get().title == "资阳秘密灾害"
    assert EmergencyResponse.objects.get().title == "资阳秘密响应"


@pytest.mark.parametrize("route", ACCIDENT_LIST_ROUTES)
def test_accident_lists_and_exports_do_not_mention_other_county(route, login, heshan_user, ziyang_records):
    response = login(heshan_user).get(reverse(route))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert "资阳秘密".encode() not in body
    if route.endswith("export"):
        from io import BytesIO

        from openpyxl import load_workbook

        rows = list(load_workbook(BytesIO(body)).active.iter_rows(values_only=True))
        assert not any("资阳秘密" in str(cell) for row in rows for cell in row)


def test_county_user_cannot_open_other_county_targets(login, heshan_user, ziyang_records):
    client = login(heshan_user)
    assert client.get(reverse("targets:dashboard"), {"region": "430902"}).status_code == 404
    assert client.get(reverse("targets:export", args=["indicators"]), {"region": "430902"}).status_code == 404


def test_enterprise_user_gets_no_dashboard(login, enterprise_user):
    assert login(enterprise_user).get(reverse("targets:dashboard")).status_code == 403


@pytest.mark.parametrize("route", sorted(BOARD_ROUTES))
def test_board_of_another_county_is_404_and_its_own_does_not_name_others(route, login, heshan_user, ziyang_enterprise):
    from safeloop.registry.models import Enterprise

    Enterprise.objects.filter(pk=ziyang_enterprise.pk).update(lat=28.59, lng=112.33, risk_level="red")
    client = login(heshan_user)
    url = reverse(route, args=BOARD_ROUTES[route])
    assert client.get(url, {"region": "430902"}).status_code == 404
    assert client.get(url, {"region": ziyang_enterprise.region_id}).status_code == 404
    own = client.get(url, {"region": "430903"})
    assert own.status_code == 200
    assert ziyang_enterprise.name.encode() not in own.content
    assert "资阳".encode() not in own.content
