"""Typed custom properties: the content API and the Properties tab."""

from datetime import date, datetime

import pytest

from objweb import Folder, Page
from objweb.content import properties
from objweb.errors import ValidationError


# -- the API ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind, raw, value", [
    ("string", "One line", "One line"),
    ("text", "two\nlines", "two\nlines"),
    ("int", " 42 ", 42),
    ("int", 7, 7),
    ("float", "2.5", 2.5),
    ("float", 3, 3.0),
    ("boolean", "on", True),
    ("boolean", "", False),
    ("boolean", False, False),
    ("date", "2024-02-29", date(2024, 2, 29)),
    ("date", date(2020, 1, 2), date(2020, 1, 2)),
    ("date", datetime(2020, 1, 2, 3, 4), date(2020, 1, 2)),
    ("date", "", None),
    ("lines", "a\n\n b \n", ("a", "b")),
    ("lines", ["x", "y"], ("x", "y")),
])
def test_values_are_converted_to_their_kind(kind, raw, value):
    assert properties.convert(kind, raw) == value


@pytest.mark.parametrize("kind, raw, message", [
    ("string", "a\nb", "single line"),
    ("string", 3, "expected text"),
    ("int", "4.5", "not a whole number"),
    ("int", True, "expected a whole number"),
    ("float", "abc", "not a number"),
    ("float", "inf", "finite"),
    ("float", None, "expected a number"),
    ("boolean", "maybe", "not true or false"),
    ("date", "2024-13-01", "not a date"),
    ("date", 5, "expected a date"),
    ("lines", 5, "expected lines"),
    ("colour", "red", "unknown kind"),
])
def test_bad_values_are_refused(kind, raw, message):
    with pytest.raises(ValidationError, match=message):
        properties.convert(kind, raw)


def test_text_has_a_size_limit(monkeypatch):
    monkeypatch.setattr(properties, "MAX_TEXT_LENGTH", 3)
    with pytest.raises(ValidationError, match="at most 3"):
        properties.convert("text", "abcd")


def test_properties_are_added_in_order_and_read():
    page = Page()
    assert properties.properties_of(page) == []
    properties.add_property(page, "rank", "int", "3")
    properties.add_property(page, "tags", "lines", "a\nb")
    properties.add_property(page, "draft", "boolean")
    assert [(prop.name, prop.value) for prop in properties.properties_of(page)] == \
        [("rank", 3), ("tags", ("a", "b")), ("draft", False)]
    assert properties.get_property(page, "rank") == 3
    assert properties.get_property(page, "missing", "none") == "none"


@pytest.mark.parametrize("name, message", [
    ("1st", "starts with a letter"), ("has space", "starts with a letter"),
    ("title", "is a field"), ("rank", "already"), ("", "starts with a letter"),
])
def test_bad_property_names_are_refused(name, message):
    page = Page()
    properties.add_property(page, "rank", "int")
    with pytest.raises(ValidationError, match=message):
        properties.add_property(page, name, "string")


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError, match="unknown kind"):
        properties.add_property(Page(), "x", "colour")


def test_too_many_properties_are_refused(monkeypatch):
    monkeypatch.setattr(properties, "MAX_PROPERTIES", 1)
    page = Page()
    properties.add_property(page, "one", "int")
    with pytest.raises(ValidationError, match="at most 1"):
        properties.add_property(page, "two", "int")


def test_setting_is_all_or_nothing():
    page = Page()
    properties.add_property(page, "rank", "int", 1)
    properties.add_property(page, "when", "date", "2020-01-01")
    with pytest.raises(ValidationError, match="when"):
        properties.set_properties(page, {"rank": "5", "when": "never"})
    assert properties.get_property(page, "rank") == 1
    properties.set_properties(page, {"rank": "5", "when": ""})
    assert (properties.get_property(page, "rank"), properties.get_property(page, "when")) == \
        (5, None)
    with pytest.raises(ValidationError, match="no property 'ghost'"):
        properties.set_properties(page, {"ghost": 1})


def test_removing_properties():
    page = Page()
    properties.add_property(page, "a", "string", "x")
    properties.add_property(page, "b", "string", "y")
    with pytest.raises(ValidationError, match="no property 'c'"):
        properties.remove_properties(page, ["a", "c"])
    properties.remove_properties(page, ["a"])
    assert [prop.name for prop in properties.properties_of(page)] == ["b"]
    with pytest.raises(ValidationError):
        properties.remove_properties(Page(), ["a"])


def test_properties_survive_a_commit(db, site, look):
    site(lambda root: properties.add_property(root.add("page", Page()), "rank", "float", "1.5"))
    assert look(lambda root: properties.get_property(root["page"], "rank")) == 1.5


# -- the tab ------------------------------------------------------------------------------

@pytest.fixture
def page_with_properties(site):
    def build(root):
        page = root.add("page", Page(title="Page"))
        properties.add_property(page, "rank", "int", 2)
        properties.add_property(page, "public", "boolean", True)
        properties.add_property(page, "due", "date", "2030-05-06")
    site(build)
    return "/page/manage_properties"


def test_the_tab_shows_the_title_and_each_property(manager, page_with_properties):
    page = manager.get(page_with_properties)
    form = page.html.find(id="properties-form")
    assert form.find("input", attrs={"name": "title"})["value"] == "Page"
    assert form.find("input", attrs={"name": "property.rank"})["type"] == "number"
    assert form.find("input", attrs={"name": "property.public"}).has_attr("checked")
    assert form.find("input", attrs={"name": "property.due"})["value"] == "2030-05-06"


def test_saving_title_and_properties(manager, page_with_properties, look):
    manager.post(page_with_properties, {"command": "save", "title": "Renamed",
                                        "property.rank": "9", "property.due": "2031-01-01"})
    assert look(lambda root: (root["page"].title,
                              properties.get_property(root["page"], "rank"),
                              properties.get_property(root["page"], "public"),
                              properties.get_property(root["page"], "due"))) == \
        ("Renamed", 9, False, date(2031, 1, 1))


def test_a_bad_property_value_is_shown_beside_it(manager, page_with_properties, look):
    page = manager.post(page_with_properties, {"command": "save", "title": "Changed",
                                               "property.rank": "many", "property.due": ""},
                        status=400)
    assert "not a whole number" in page.html.find(id="field-property-rank-error").get_text()
    assert page.html.find("input", attrs={"name": "property.rank"})["value"] == "many"
    assert look(lambda root: root["page"].title) == "Page"


def test_a_bad_title_is_refused(manager, page_with_properties, look):
    page = manager.post(page_with_properties, {"command": "save", "title": "x\ny",
                                               "property.rank": "1"}, status=400)
    assert "single line" in page.html.find(id="field-title-error").get_text()
    assert look(lambda root: properties.get_property(root["page"], "rank")) == 2


def test_adding_a_property(manager, page_with_properties, look):
    manager.post(page_with_properties, {"command": "add_property", "new_name": "tags",
                                        "new_kind": "lines", "new_value": "x"})
    assert look(lambda root: properties.get_property(root["page"], "tags")) == ("x",)


@pytest.mark.parametrize("values, field, message", [
    ({"new_name": "9", "new_kind": "int"}, "new_name", "starts with a letter"),
    ({"new_name": "rank", "new_kind": "int"}, "new_name", "already"),
    ({"new_name": "n", "new_kind": "colour"}, "new_kind", "unknown kind"),
    ({"new_name": "n", "new_kind": "int", "new_value": "x"}, "new_value", "not a whole number"),
])
def test_adding_a_bad_property_is_refused(manager, page_with_properties, look, values, field,
                                          message):
    page = manager.post(page_with_properties, {"command": "add_property", **values}, status=400)
    assert message in page.text
    assert look(lambda root: len(properties.properties_of(root["page"]))) == 3


def test_removing_properties_from_the_tab(manager, page_with_properties, look):
    manager.post(page_with_properties, [("command", "delete_properties"), ("delete", "rank"),
                                        ("delete", "due")])
    assert look(lambda root: [prop.name for prop in properties.properties_of(root["page"])]) \
        == ["public"]


def test_removing_nothing_is_refused(manager, page_with_properties):
    page = manager.post(page_with_properties, {"command": "delete_properties"}, status=400)
    assert "tick the properties" in page.text


def test_removing_an_unknown_property_is_refused(manager, page_with_properties):
    page = manager.post(page_with_properties, {"command": "delete_properties",
                                               "delete": "ghost"}, status=400)
    assert "no property 'ghost'" in page.text


def test_a_folder_has_a_properties_tab_too(manager, site):
    site(lambda root: root.add("box", Folder(title="Box")))
    page = manager.get("/box/manage_properties")
    assert page.html.find("input", attrs={"name": "title"})["value"] == "Box"
    assert "Remove properties" not in page.text


@pytest.fixture
def page_with_text_properties(site):
    def build(root):
        page = root.add("page", Page(title="Page"))
        properties.add_property(page, "motto", "string", "Carpe diem")
        properties.add_property(page, "public", "boolean", True)
    site(build)
    return "/page/manage_properties"


@pytest.mark.parametrize("command", [
    {"command": "add_property", "new_name": "9lives", "new_kind": "int"},
    {"command": "delete_properties"},
])
def test_after_another_forms_error_the_save_form_shows_what_is_stored(
        manager, page_with_text_properties, look, command):
    page = manager.post(page_with_text_properties, command, status=400)
    form = page.html.find(id="properties-form")
    assert form.find("input", attrs={"name": "title"})["value"] == "Page"
    assert form.find("input", attrs={"name": "property.motto"})["value"] == "Carpe diem"
    assert form.find("input", attrs={"name": "property.public"}).has_attr("checked")
    # Saving that form as it came back keeps every value.
    fields = {tag["name"]: tag.get("value", "") for tag in form.find_all("input")
              if tag.get("type") != "checkbox" or tag.has_attr("checked")}
    fields.pop("csrf_token")
    manager.post(page_with_text_properties, {**fields, "command": "save"})
    assert look(lambda root: (root["page"].title,
                              properties.get_property(root["page"], "motto"),
                              properties.get_property(root["page"], "public"))) == \
        ("Page", "Carpe diem", True)
