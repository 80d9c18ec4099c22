"""Selection, multiple selection and tokens properties, and a multi-line value box.

As in Zope, a selection offers the values of another property of the
object (a lines or tokens one), holds one of them or nothing, and a
multiple selection holds some of them; tokens are words apart by spaces.
"""

import pytest

from objweb import Page
from objweb.content import properties
from objweb.content.values import convert_form_value
from objweb.errors import ValidationError


def colours_page() -> Page:
    page = Page()
    properties.add_property(page, "colours", "lines", ["red", "green", "blue"])
    return page


# -- the API ---------------------------------------------------------------------------

def test_tokens_are_words_apart_by_spaces():
    page = Page()
    properties.add_property(page, "keywords", "tokens", " zope  objweb\nzodb ")
    assert properties.get_property(page, "keywords") == ("zope", "objweb", "zodb")
    assert convert_form_value("keywords", ["tokens"], "a b") == ["a", "b"]


def test_a_selection_holds_one_of_the_options_of_another_property():
    page = colours_page()
    prop = properties.add_property(page, "colour", "selection", "green", options_from="colours")
    assert prop.options_from == "colours"
    assert properties.options_of(page, "colour") == ("red", "green", "blue")
    assert properties.get_property(page, "colour") == "green"


def test_a_multiple_selection_holds_some_of_them():
    page = colours_page()
    properties.add_property(page, "palette", "multiple selection", "red\nblue",
                            options_from="colours")
    assert properties.get_property(page, "palette") == ("red", "blue")
    properties.set_properties(page, {"palette": ["green"]})
    assert properties.get_property(page, "palette") == ("green",)


def test_a_selection_may_hold_nothing():
    page = colours_page()
    properties.add_property(page, "colour", "selection", options_from="colours")
    assert properties.get_property(page, "colour") == ""


@pytest.mark.parametrize("kind, value", [("selection", "purple"),
                                         ("multiple selection", ["red", "purple"])])
def test_a_choice_outside_the_options_is_refused(kind, value):
    page = colours_page()
    with pytest.raises(ValidationError, match="'purple' is not one of the options"):
        properties.add_property(page, "colour", kind, value, options_from="colours")
    properties.add_property(page, "colour", kind, options_from="colours")
    with pytest.raises(ValidationError, match="'purple' is not one of the options"):
        properties.set_properties(page, {"colour": value})
    assert properties.get_property(page, "colour") in ("", ())


@pytest.mark.parametrize("options_from", ["", "missing", "title_text"])
def test_a_selection_needs_a_lines_or_tokens_property(options_from):
    page = colours_page()
    properties.add_property(page, "title_text", "string", "x")
    with pytest.raises(ValidationError, match="lines or tokens") as refused:
        properties.add_property(page, "colour", "selection", options_from=options_from)
    assert refused.value.field == "options_from"
    assert properties.get_property(page, "colour") is None


def test_a_save_checks_a_choice_against_the_options_it_saves_with_it():
    page = colours_page()
    properties.add_property(page, "colour", "selection", "red", options_from="colours")
    properties.set_properties(page, {"colours": "red\npurple", "colour": "purple"})
    assert properties.get_property(page, "colour") == "purple"


def test_the_options_property_cannot_go_before_its_selection():
    page = colours_page()
    properties.add_property(page, "colour", "selection", options_from="colours")
    with pytest.raises(ValidationError, match="gives the options of 'colour'"):
        properties.remove_properties(page, ["colours"])
    properties.remove_properties(page, ["colours", "colour"])
    assert properties.properties_of(page) == []


def test_an_imported_selection_without_a_source_is_refused():
    page = colours_page()
    properties.add_property(page, "colour", "selection", options_from="colours")
    page._properties.sources = {"colour": "nothing"}
    with pytest.raises(ValidationError, match="takes its options from no lines"):
        properties.check_properties(page)
    page._properties.sources = {"colour": "colours"}
    properties.check_properties(page)


# -- the Properties tab ----------------------------------------------------------------

@pytest.fixture
def palette(site):
    site(lambda root: root.add("palette", Page(title="Palette")))
    return "/palette/manage_properties"


def add(manager, url, status=303, **values):
    return manager.post(url, {"command": "add_property", **values}, status=status)


def test_the_add_form_has_a_multi_line_value_box_and_the_option_sources(manager, palette):
    add(manager, palette, new_name="colours", new_kind="lines", new_value="red\r\ngreen\r\nblue")
    page = manager.get(palette)
    form = page.html.find(id="add-property-form")
    assert form.find(id="new-value").name == "textarea"
    kinds = [option["value"] for option in form.find(id="new-kind").find_all("option")]
    assert {"tokens", "selection", "multiple selection"} <= set(kinds)
    sources = [option["value"] for option in form.find(id="new-options-from").find_all("option")]
    assert sources == ["", "colours"]


def test_the_tab_adds_and_saves_a_selection_as_a_list(manager, palette, look):
    add(manager, palette, new_name="colours", new_kind="lines", new_value="red\r\ngreen\r\nblue")
    add(manager, palette, new_name="colour", new_kind="selection", new_value="green",
        new_options_from="colours")
    page = manager.get(palette)
    select = page.html.find("select", attrs={"name": "property.colour"})
    assert [option["value"] for option in select.find_all("option")] == \
        ["", "red", "green", "blue"]
    assert select.find("option", selected=True)["value"] == "green"
    manager.post(palette, {"command": "save", "title": "Palette", "property.colours":
                           "red\ngreen\nblue", "property.colour": "blue"})
    assert look(lambda root: properties.get_property(root["palette"], "colour")) == "blue"


def test_the_tab_saves_a_multiple_selection_from_its_checkboxes(manager, palette, look):
    add(manager, palette, new_name="colours", new_kind="tokens", new_value="red green blue")
    add(manager, palette, new_name="palette", new_kind="multiple selection",
        new_value="red", new_options_from="colours")
    page = manager.get(palette)
    boxes = page.html.find_all("input", attrs={"name": "property.palette"})
    assert [(box["value"], box.has_attr("checked")) for box in boxes] == \
        [("red", True), ("green", False), ("blue", False)]
    assert page.html.find("input", attrs={"name": "property.colours"})["value"] == \
        "red green blue"
    manager.post(palette, [("command", "save"), ("title", "Palette"),
                           ("property.colours", "red green blue"),
                           ("property.palette", "green"), ("property.palette", "blue")])
    assert look(lambda root: properties.get_property(root["palette"], "palette")) == \
        ("green", "blue")


def test_a_choice_outside_the_options_is_refused_on_the_tab(manager, palette, look):
    add(manager, palette, new_name="colours", new_kind="lines", new_value="red")
    page = add(manager, palette, status=400, new_name="colour", new_kind="selection",
               new_value="purple", new_options_from="colours")
    assert "'purple' is not one of the options" in page.text
    page = add(manager, palette, status=400, new_name="colour", new_kind="selection")
    assert "lines or tokens property" in page.text
    assert look(lambda root: properties.get_property(root["palette"], "colour")) is None
