import pytest
from django.core.management import call_command

from safeloop.standards import catalogue
from safeloop.standards.models import Clause, Standard, Status, Wording

pytestmark = pytest.mark.django_db


def _items(standard_id):
    return Clause.objects.filter(standard_id=standard_id, item__isnull=False).count()


def test_the_migration_loads_every_item_the_domain_files_count():
    assert _items("GM10") == 64  # 3 + 47 + 14 (STANDARDS.md §1.1); 第十四条 is not an item
    assert Clause.objects.filter(standard_id="GM10", item__isnull=True).count() == 1
    assert Clause.objects.filter(standard_id="JZ24").count() == 53
    assert Clause.objects.filter(standard_id="HG121").count() == 20
    assert Clause.objects.filter(standard_id="YH121").count() == 20


def test_ids_follow_the_suggested_form():
    clause = Clause.objects.get(id="GM10-11-03")
    assert clause.number == "第十一条（三）"
    assert "泄爆、惰化、抑爆" in clause.text
    assert clause.wording == Wording.OFFICIAL
    assert clause.feature == "dust"


def test_loading_again_changes_nothing_and_keeps_amendments():
    clause = Clause.objects.get(id="GM10-13-02")
    Clause.objects.filter(id=clause.id).update(text="修订后的条文", amended_at="2026-01-01T00:00:00Z")
    before = Clause.objects.count(), Standard.objects.count()
    call_command("load_standards")
    assert (Clause.objects.count(), Standard.objects.count()) == before
    assert Clause.objects.get(id=clause.id).text == "修订后的条文"
    call_command("load_standards", "--force")
    assert Clause.objects.get(id=clause.id).text == clause.text


def test_superseded_clauses_stay_and_point_to_their_successor():
    old = Clause.objects.get(id="JZ22-04-01")
    assert old.status == Status.SUPERSEDED and old.superseded_by_id == "JZ24-04-01"
    assert Standard.objects.get(id="JZ22").superseded_by_id == "JZ24"
    assert Standard.objects.get(id="HG121").superseded_by_id == "AQ3067"


def test_every_other_standard_of_the_catalogue_is_listed_with_metadata():
    assert Standard.objects.filter(coverage="metadata").count() >= 15
    assert not Clause.objects.filter(standard__coverage="metadata").exists()


def test_a_data_file_with_an_unknown_category_is_refused(tmp_path):
    (tmp_path / "x.toml").write_text('[standard]\nid = "X"\ntitle = "x"\ncategory_codes = ["nope"]\n', encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match="nope"):
        catalogue.read_catalogue(tmp_path)


def test_no_clause_text_is_invented_for_chapter_level_entries():
    for clause in Clause.objects.filter(wording=Wording.NONE):
        assert clause.text == ""
