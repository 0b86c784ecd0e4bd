"""Each role sees exactly its own part of the registry."""

from safeloop.accounts.models import Role
from safeloop.core.scope import visible
from safeloop.registry.models import Department, Enterprise
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_enterprise, make_user


def seen(user):
    return set(visible(user, Enterprise.objects.all()).values_list("name", flat=True))


def test_city_user_sees_every_county(city_user, ziyang_enterprise, heshan_enterprise):
    assert seen(city_user) == {ziyang_enterprise.name, heshan_enterprise.name}


def test_county_user_sees_only_own_county(ziyang_user, ziyang_enterprise, heshan_enterprise):
    assert seen(ziyang_user) == {ziyang_enterprise.name}


def test_township_user_sees_only_own_township(township_user, ziyang_enterprise, reference):
    make_enterprise(region="430902006", name="邻镇企业")
    assert seen(township_user) == {ziyang_enterprise.name}


def test_department_sees_its_categories_across_the_city(transport_user, ziyang_enterprise, heshan_enterprise):
    assert seen(transport_user) == {heshan_enterprise.name}


def test_department_override_moves_an_enterprise_between_departments(transport_user, reference):
    housing = Department.objects.get(region_id="430900", kind="housing")
    make_enterprise(
        region=HESHAN_TOWN,
        category="road_transport",
        name="指定给住建的运输企业",
        supervising_department_override=housing,
    )
    assert "指定给住建的运输企业" not in seen(transport_user)
    housing_user = make_user(Role.DEPARTMENT, department=housing)
    assert "指定给住建的运输企业" in seen(housing_user)


def test_county_department_does_not_see_another_county(reference, heshan_enterprise):
    ziyang_transport = Department.objects.get(region_id="430902", kind="transport")
    make_enterprise(region=ZIYANG_TOWN, category="road_transport", name="资阳运输")
    assert seen(make_user(Role.DEPARTMENT, department=ziyang_transport)) == {"资阳运输"}


def test_enterprise_user_sees_only_itself(enterprise_user, ziyang_enterprise, heshan_enterprise):
    assert seen(enterprise_user) == {ziyang_enterprise.name}


def test_expert_sees_only_assigned_enterprises(expert_user, ziyang_enterprise, heshan_enterprise):
    assert seen(expert_user) == {heshan_enterprise.name}


def test_user_without_scope_anchor_sees_nothing(reference, ziyang_enterprise):
    assert seen(make_user(Role.COUNTY)) == set()


def test_inactive_user_sees_nothing(ziyang_user, ziyang_enterprise):
    ziyang_user.is_active = False
    assert seen(ziyang_user) == set()


def test_role_to_area_is_decided_in_core(city_user, ziyang_user, township_user, transport_user, enterprise_user):
    from safeloop.core.scope import complete_area, region_in_scope, user_area

    assert [user_area(u) for u in (city_user, ziyang_user, township_user)] == ["430900", "430902", ZIYANG_TOWN]
    assert user_area(transport_user) == "430900"  # the department's region, from the registry's provider
    assert user_area(enterprise_user) is None
    assert complete_area(transport_user) is None  # a department sees a part of its region, never all of it
    assert complete_area(ziyang_user) == "430902"
    assert region_in_scope(transport_user, HESHAN_TOWN) and not region_in_scope(ziyang_user, HESHAN_TOWN)


def test_an_app_above_core_adds_a_role_rule_through_the_provider(reference, ziyang_enterprise, heshan_enterprise):
    from safeloop.core import scope

    saved = dict(scope._enterprise_rules)
    try:
        scope.provide_enterprises(Role.EXPERT, lambda user: [ziyang_enterprise.pk])
        assert seen(make_user(Role.EXPERT)) == {ziyang_enterprise.name}
    finally:
        scope._enterprise_rules.clear()
        scope._enterprise_rules.update(saved)


def test_region_prefixes_follow_the_code_structure(reference):
    from safeloop.core.regions import subtree_prefix
    from safeloop.registry.models import Region

    assert [subtree_prefix(c) for c in ("430000", "430900", "430902", ZIYANG_TOWN)] == [
        "43",
        "4309",
        "430902",
        ZIYANG_TOWN,
    ]
    for region in Region.objects.all():  # every region in the reference data nests by its code
        assert region.parent_id is None or region.code.startswith(subtree_prefix(region.parent_id))
