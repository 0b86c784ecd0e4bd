"""Which clauses an enterprise's checklist holds: its category's (or its category parent's), plus
the special sections its risk features call for, only inside their own sector."""

from safeloop.checklists.selectors import applicable_clauses
from safeloop.registry.models import Enterprise
from tests.conftest import make_enterprise


def ids(enterprise: Enterprise) -> set[str]:
    return {c.pk for c in applicable_clauses(Enterprise.objects.select_related("category").get(pk=enterprise.pk))}


def test_hazchem_enterprise_gets_the_chemical_standard_without_feature_items(catalogue):
    found = ids(make_enterprise(category="hazchem"))
    assert "HG121-01" in found and "HG121-20" in found
    assert "HG121-04" not in found and "HG121-05" not in found  # 危险化工工艺, 重大危险源
    assert not any(c.startswith("GM10") for c in found)


def test_major_hazard_source_adds_its_chemical_item(catalogue):
    found = ids(make_enterprise(category="hazchem", major_hazard_source=True))
    assert "HG121-05" in found and "HG121-04" not in found


def test_machinery_enterprise_with_dust_gets_the_dust_section(catalogue):
    plain = ids(make_enterprise(category="machinery"))
    dusty = ids(make_enterprise(category="machinery", dust_explosion=True))
    assert "GM10-07-01" in plain and "GM10-03-01" in plain  # 机械, and 工贸 (all)
    assert not any(c.startswith("GM10-11") for c in plain)
    assert dusty - plain == {c for c in dusty if c.startswith("GM10-11")} != set()
    assert not any(c.startswith("GM10-04") for c in dusty)  # 冶金 is another sector


def test_a_feature_outside_the_sector_of_its_section_adds_nothing(catalogue):
    assert ids(make_enterprise(category="hazchem", dust_explosion=True)) == ids(make_enterprise(category="hazchem"))
