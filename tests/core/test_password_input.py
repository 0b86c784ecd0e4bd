"""A password input is read exactly as typed and never rendered back into the page."""

from safeloop.core.errors import ServiceError
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.forms import FormState
from safeloop.core.inputs import Inputs

SECRET = FieldSpec(name="secret", label="密码", kind=Kind.PASSWORD, required=True, max_length=12)


def test_a_password_is_read_as_typed_without_folding_or_trimming():
    assert Inputs({"secret": " Ａb 1 "}).read(SECRET) == " Ａb 1 "


def test_a_missing_or_long_password_is_named_in_chinese():
    for data, message in (({}, "密码为必填项"), ({"secret": "x" * 13}, "密码不能超过12个字符")):
        inp = Inputs(data)
        inp.read(SECRET)
        assert inp.errors == {"secret": message}


def test_the_form_never_shows_a_typed_password_again():
    form = FormState([SECRET], data={"secret": "Typed-Secret"})
    form.fail(ServiceError("x", fields={"secret": "密码不正确"}))
    field = form["secret"]
    assert (field.value, field.input_type, field.error) == ("", "password", "密码不正确")
