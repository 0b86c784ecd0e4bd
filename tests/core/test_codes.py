import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeloop.core.codes import ALPHABET, credit_code_error, make_credit_code, normalise_credit_code

body = st.tuples(
    st.sampled_from("123456789ANY"),
    st.sampled_from(ALPHABET),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
).map("".join)


def test_published_example_is_valid():
    assert credit_code_error("91110000600037341L") is None


def test_wrong_check_digit_is_named():
    assert credit_code_error("91110000600037341M") == "统一社会信用代码校验位错误"


def test_rural_collective_code_with_letter_authority_is_accepted():
    # GB 32100 allows a letter authority (N: 农业); python-stdnum 2.2 alone would reject it.
    code = make_credit_code("N2430902MA4L00001")
    assert credit_code_error(code) is None


def test_length_is_reported_with_the_actual_count():
    assert credit_code_error("9143") == "统一社会信用代码应为18位，当前为4位"


def test_forbidden_letters_are_rejected():
    assert "不允许的字符" in credit_code_error("91430902MA4L0000I" + "1")


def test_full_width_spaces_and_lower_case_are_normalised():
    assert normalise_credit_code("９１１１ 0000-600037341l") == "91110000600037341L"


@given(body)
def test_generated_codes_validate(first17):
    assert credit_code_error(make_credit_code(first17)) is None


@given(body, st.integers(min_value=8, max_value=16), st.sampled_from(ALPHABET))
def test_any_single_substitution_in_the_body_is_detected(first17, position, replacement):
    code = make_credit_code(first17)
    if code[position] == replacement:
        return
    tampered = code[:position] + replacement + code[position + 1 :]
    assert credit_code_error(tampered) == "统一社会信用代码校验位错误"


@pytest.mark.parametrize("raw", ["", "   "])
def test_empty_code_normalises_to_empty(raw):
    assert normalise_credit_code(raw) == ""
