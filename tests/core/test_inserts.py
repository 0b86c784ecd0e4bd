"""`core.inserts.bulk_insert`: executemany with the model's defaults, as `bulk_create` would store them."""

from decimal import Decimal

from safeloop.core.inserts import bulk_insert, pks_by
from safeloop.registry.models import Category, Enterprise, Region
from tests.conftest import ZIYANG_TOWN, credit_code


def test_rows_as_dicts_and_as_instances_are_stored_as_bulk_create_stores_them(reference):
    region, category = Region.objects.get(code=ZIYANG_TOWN), Category.objects.get(code="gas")
    as_dict = {"name": "甲", "name_initials": "j", "credit_code": credit_code(), "region": region, "category": category}
    as_dict |= {"lat": Decimal("28.123456"), "employees": 5}
    instance = Enterprise(
        name="乙",
        name_initials="y",
        credit_code=credit_code(),
        region_id=ZIYANG_TOWN,
        category_id="gas",
        lng=Decimal("112.5"),
    )
    assert bulk_insert(Enterprise, [as_dict]) == 1 and bulk_insert(Enterprise, [instance]) == 1
    first, second = Enterprise.objects.get(name="甲"), Enterprise.objects.get(name="乙")
    assert (first.lat, first.employees, first.region_id, first.category_id) == (
        Decimal("28.123456"),
        5,
        ZIYANG_TOWN,
        "gas",
    )
    assert (second.lng, second.lat, second.key_sector, second.version) == (Decimal("112.500000"), None, False, 1)
    assert first.public_code != second.public_code and len(first.public_code) == 12  # a callable default, per row
    assert first.created_at and second.updated_at and first.address == ""
    assert pks_by(Enterprise, "credit_code", [first.credit_code]) == {first.credit_code: first.pk}


def test_progress_hears_of_each_chunk(reference):
    rows = [
        {
            "name": f"企业{i}",
            "name_initials": "qy",
            "credit_code": credit_code(),
            "region_id": ZIYANG_TOWN,
            "category_id": "gas",
        }
        for i in range(5)
    ]
    heard = []
    bulk_insert(Enterprise, rows, chunk=2, progress=heard.append)
    assert heard == [2, 2, 1] and Enterprise.objects.count() == 5
