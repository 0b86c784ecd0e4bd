"""An id typed into a form is looked up only as ASCII digits: other scripts' digits (Ethiopic ፩,
Arabic-Indic ٣) pass `str.isdigit()` but are no key, and must not reach the database (the fuzz
run found a 500 on the accident form's enterprise field)."""

import pytest

from safeloop.registry.selectors import enterprise_named
from tests.conftest import make_enterprise


@pytest.mark.parametrize("key", ["፩፪፫፬", "٣", "１２", "9" * 30, "", "12a"])
def test_a_key_that_is_not_ascii_digits_names_no_enterprise(city_user, key):
    make_enterprise()
    assert enterprise_named(city_user, key) is None


def test_an_ascii_id_names_the_enterprise(city_user):
    enterprise = make_enterprise()
    assert enterprise_named(city_user, str(enterprise.pk)) == enterprise
