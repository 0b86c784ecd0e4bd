"""Ledger page filters and counts."""

from django.urls import reverse

from safeloop.registry.models import Department


def test_ledger_filters_by_supervising_department(login, city_user, general_self_found, reference):
    client = login(city_user)
    emergency = Department.objects.get(region_id="430902", kind="emergency")
    transport = Department.objects.get(region_id="430900", kind="transport")
    assert client.get(reverse("hazards:ledger"), {"department": emergency.pk}).context["page"].paginator.count == 1
    assert client.get(reverse("hazards:ledger"), {"department": transport.pk}).context["page"].paginator.count == 0


def test_ledger_counts_by_status_ignore_the_status_filter(login, city_user, general_self_found):
    response = login(city_user).get(reverse("hazards:ledger"), {"status": "closed"})
    counts = {value: n for value, _, n in response.context["counts"]}
    assert counts["reported"] == 1 and response.context["page"].paginator.count == 0


def test_ledger_query_count_is_bounded(login, city_user, boss, django_assert_max_num_queries):
    from safeloop.hazards.services import hazard_report

    for i in range(30):
        hazard_report(actor=boss, data={"source": "self_check", "description": f"隐患{i}"})
    client = login(city_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("hazards:ledger"))


def test_a_refused_action_shows_what_was_typed_and_the_message_beside_the_field(login, boss, general_self_found):
    hazard = general_self_found.hazard
    client = login(boss)
    client.post(reverse("hazards:act", args=[hazard.pk, "confirm"]), {"version": hazard.version})
    post = {"version": hazard.version + 1, "responsible_person": "王强", "deadline_days": "5"}
    client.post(reverse("hazards:act", args=[hazard.pk, "assign"]), post)
    page = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert 'id="f-assign-responsible_person" name="responsible_person" type="text" value="王强"' in page
    assert '<p class="field-error" id="f-assign-responsible_unit-error">责任单位为必填项</p>' in page


def test_the_action_forms_speak_to_users_not_developers(login, expert, major_regulator_found):
    page = login(expert).get(reverse("hazards:detail", args=[major_regulator_found.hazard.pk])).content.decode()
    assert "签字环节" in page and "stage=" not in page and "confirmation（" not in page


def test_a_refused_action_says_each_message_once_and_names_the_refusal(login, boss, general_self_found):
    """The field's message stands beside the field only (the box above says to look there), and
    the response names the refusal for anyone watching (core/middleware.py)."""
    hazard = general_self_found.hazard
    client = login(boss)
    client.post(reverse("hazards:act", args=[hazard.pk, "confirm"]), {"version": hazard.version})
    response = client.post(reverse("hazards:act", args=[hazard.pk, "assign"]), {"version": hazard.version + 1})
    assert response["SafeLoop-Refusal"] == "400 invalid_input"
    page = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert page.count("责任单位为必填项") == 1
    assert "请按标红的提示修改后重新提交" in page


def test_a_stale_button_is_named_409_in_the_response(login, boss, general_self_found):
    hazard = general_self_found.hazard
    response = login(boss).post(reverse("hazards:act", args=[hazard.pk, "confirm"]), {"version": hazard.version + 5})
    assert response.status_code == 302 and response["SafeLoop-Refusal"] == "409 stale_version"
