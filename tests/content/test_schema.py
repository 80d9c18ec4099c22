"""Fields: every kind of value checked and converted before an object is touched."""

import pytest

from objweb import File, Folder, Page, ValidationError
from objweb.content import addable_types, construct, type_named, type_names
from objweb.content.schema import Field, convert_values, field_named, fields_of


@pytest.mark.parametrize("kind, value, expected", [
    ("line", "one line", "one line"),
    ("text", "two\nlines", "two\nlines"),
    ("html", "<p>x</p>", "<p>x</p>"),
    ("int", 5, 5),
    ("int", "7", 7),
    ("bool", True, True),
    ("bool", "on", True),
    ("bool", "no", False),
    ("bool", "", False),
    ("base64", "aGk=", b"hi"),
    ("base64", b"raw", b"raw"),
    ("lines", ["a ", "", " b"], ("a", "b")),
    ("lines", "a\nb\n", ("a", "b")),
])
def test_values_are_converted_by_kind(kind, value, expected):
    assert Field("f", kind).convert(value) == expected


@pytest.mark.parametrize("kind, value, fragment", [
    ("line", "a\nb", "single line"),
    ("line", 3, "expected text"),
    ("text", None, "expected text"),
    ("int", True, "expected a whole number"),
    ("int", "seven", "'seven' is not a whole number"),
    ("int", 1.5, "expected a whole number"),
    ("bool", "maybe", "true or false"),
    ("base64", "!!!", "not valid base64"),
    ("base64", 5, "base64"),
    ("lines", [1, 2], "expected lines of text"),
    ("colour", "red", "unknown kind"),
])
def test_bad_values_name_the_field(kind, value, fragment):
    with pytest.raises(ValidationError) as caught:
        Field("f", kind).convert(value)
    assert caught.value.field == "f"
    assert str(caught.value).startswith("f: ") and fragment in str(caught.value)


def test_max_length_and_required():
    with pytest.raises(ValidationError, match="at most 3 characters"):
        Field("f", "line", max_length=3).convert("four")
    with pytest.raises(ValidationError, match="a value is required"):
        Field("f", "line", required=True).convert("")
    assert Field("f", "line", max_length=3, required=True).convert("abc") == "abc"


def test_fields_of_types_and_objects():
    assert [field.name for field in fields_of(Page)] == ["title", "body"]
    assert fields_of(Page()) == fields_of(Page)
    assert field_named(File, "size").writable is False
    with pytest.raises(ValidationError, match="Page has no field 'colour'") as caught:
        field_named(Page(), "colour")
    assert caught.value.field == "colour"


def test_convert_values_refuses_read_only_and_unknown_fields():
    assert convert_values(Page, {"title": "T"}) == {"title": "T"}
    with pytest.raises(ValidationError, match="size cannot be changed"):
        convert_values(File, {"size": 3})
    with pytest.raises(ValidationError, match="no field"):
        convert_values(Folder, {"body": "x"})


def test_the_registry_knows_the_contract_types():
    assert {"Folder", "Page", "File", "Image", "Template", "Script"} <= set(type_names())
    assert type_named("Page") is Page
    for unknown in ("Nope", None, 5):
        with pytest.raises(ValidationError, match="unknown type") as caught:
            type_named(unknown)
        assert caught.value.field == "@type"


def test_construct_builds_from_field_values():
    page = construct("Page", {"title": "T", "body": "<p>b</p>"})
    assert isinstance(page, Page) and (page.title, page.body) == ("T", "<p>b</p>")
    with pytest.raises(ValidationError):
        construct("Page", {"colour": "red"})


def test_addable_types_ask_each_type():
    folder = Folder()
    assert "UserFolder" in [cls.type_name for cls in addable_types(folder)]
    from objweb import UserFolder
    folder.add("acl_users", UserFolder())
    names = [cls.type_name for cls in addable_types(folder)]
    assert "UserFolder" not in names and "Page" in names
