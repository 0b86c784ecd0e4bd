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
