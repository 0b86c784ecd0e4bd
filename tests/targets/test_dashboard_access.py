from django.urls import reverse


def test_department_gets_no_region_dashboard_built_from_its_sectors_only(login, transport_user):
    response = login(transport_user).get(reverse("targets:dashboard"))
    assert response.status_code == 403


def test_county_user_gets_its_dashboard(login, ziyang_user):
    assert login(ziyang_user).get(reverse("targets:dashboard")).status_code == 200
