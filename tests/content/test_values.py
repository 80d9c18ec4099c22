"""The kinds of value: one set of converters for fields, properties and Script parameters."""

from datetime import date, datetime

import pytest

from objweb import Page, ValidationError
from objweb.content import properties
from objweb.content.schema import Field
from objweb.content.values import (
    KINDS, convert, convert_form_value, kind_named, like_default)


@pytest.mark.parametrize("alias, name", [("string", "line"), ("boolean", "bool"),
                                         ("long", "int")])
def test_zopes_names_are_the_same_kinds(alias, name):
    assert KINDS[alias] is KINDS[name]


@pytest.mark.parametrize("raw", [" 42 ", "x", True, 4.5])
def test_a_field_a_property_and_a_script_parameter_agree_on_an_int(raw):
    """Whichever door a value comes through, it converts or is refused alike."""
    outcomes = []
    for attempt in (lambda: Field("n", "int").convert(raw),
                    lambda: properties.convert("int", raw, "n"),
                    lambda: convert_form_value("n", ["int"], raw)):
        try:
            outcomes.append(attempt())
        except ValidationError as error:
            outcomes.append(str(error))
    assert len(set(outcomes)) == 1, outcomes


@pytest.mark.parametrize("kind, raw, value", [
    ("float", "2.5", 2.5),
    ("date", "2024-02-29", date(2024, 2, 29)),
    ("datetime", "2024-02-29T10:30", datetime(2024, 2, 29, 10, 30)),
    ("datetime", "", None),
])
def test_fields_have_every_kind(kind, raw, value):
    assert Field("f", kind).convert(raw) == value


@pytest.mark.parametrize("kind, raw, message", [
    ("float", "nan", "finite"), ("datetime", "soon", "not a date and time"),
    ("datetime", 5, "expected a date and time"), ("date", "2024-13-01", "not a date")])
def test_fields_refuse_what_does_not_fit(kind, raw, message):
    with pytest.raises(ValidationError, match=message):
        Field("f", kind).convert(raw)


def test_a_property_cannot_have_a_kind_only_fields_have():
    with pytest.raises(ValidationError, match="unknown kind 'base64'"):
        properties.add_property(Page(), "data", "base64", "aGk=")
    with pytest.raises(ValidationError, match="unknown kind 'colour'"):
        kind_named("colour")


def test_a_form_converter_names_the_field():
    with pytest.raises(ValidationError, match="^n: unknown converter 'colour'$"):
        convert_form_value("n", ["colour"], "1")
    assert convert_form_value("tags", ["lines"], " a \r\n\r\nb") == ["a", "b"]
    assert convert_form_value("note", ["text"], "a\r\nb") == "a\nb"
    assert convert_form_value("words", ["tokens"], "a  b") == ["a", "b"]
    assert convert_form_value("n", ["list"], "1") == "1"


@pytest.mark.parametrize("default, raw, value", [
    (False, "on", True), (0, "7", 7), (0.5, "1.5", 1.5), ([], "x", ["x"]), ("", "7", "7"),
    (0, ["7"], ["7"])])
def test_a_parameter_takes_the_kind_of_its_default(default, raw, value):
    assert like_default("p", raw, default) == value


def test_a_parameter_value_that_does_not_fit_its_default_names_it():
    with pytest.raises(ValidationError, match="^p: 'x' is not a whole number$"):
        like_default("p", "x", 3)
    with pytest.raises(ValidationError, match="^p: 'x' is not a whole number$"):
        convert("int", "x", "p")
