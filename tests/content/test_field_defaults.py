"""Fields of types defined outside objweb: defaults, construction, and fields added later."""

import importlib
import sys

import pytest

import objweb
from objweb.content.schema import Field
from objweb.errors import ValidationError
from extension_support import write_package

RECIPE_V1 = """
    from objweb.content.base import Item
    from objweb.content.schema import Field

    class Recipe(Item):
        type_name = "Recipe"
        fields = Item.fields + (Field("servings", "int", "Servings", default=2),
                                Field("steps", "text", "Steps"))
"""
RECIPE_V2 = RECIPE_V1.replace(
    'Field("steps", "text", "Steps"))',
    'Field("steps", "text", "Steps"),\n'
    '                                Field("spicy", "bool", "Spicy", default=True),\n'
    '                                Field("tags", "lines", "Tags"))')


def file_db(tmp_path):
    return objweb.open_db(f"file://{tmp_path}/Data.fs")


def test_field_default_is_read_where_nothing_was_given(site_dir):
    write_package(site_dir, "recipes", {"__init__.py": RECIPE_V1}, entry_point=None)
    recipe = importlib.import_module("recipes").Recipe(title="Soup")
    assert (recipe.servings, recipe.steps) == (2, "")
    assert "servings" not in vars(recipe)


def test_field_values_are_converted_when_made(site_dir):
    write_package(site_dir, "recipes", {"__init__.py": RECIPE_V1}, entry_point=None)
    recipe = importlib.import_module("recipes").Recipe(title="Soup", servings="4")
    assert recipe.servings == 4
    with pytest.raises(ValidationError, match="servings: 'many' is not a whole number"):
        importlib.import_module("recipes").Recipe(servings="many")


def test_field_added_later_reads_its_default_on_stored_objects(site_dir, tmp_path):
    write_package(site_dir, "recipes", {"__init__.py": RECIPE_V1}, entry_point=None)
    db = file_db(tmp_path)
    with objweb.site(db) as root:
        root["soup"] = importlib.import_module("recipes").Recipe(title="Soup", servings=6)
    db.close()
    (site_dir / "recipes" / "__init__.py").write_text(
        __import__("textwrap").dedent(RECIPE_V2))
    importlib.reload(sys.modules["recipes"])
    db = file_db(tmp_path)
    try:
        with objweb.site(db) as root:
            soup = root["soup"]
            assert type(soup) is sys.modules["recipes"].Recipe
            assert (soup.title, soup.servings, soup.spicy, soup.tags) == ("Soup", 6, True, ())
            soup.edit(spicy=False)
        with objweb.site(db) as root:
            assert root["soup"].spicy is False
    finally:
        db.close()


def test_required_field_must_be_given(site_dir):
    write_package(site_dir, "recipes", {"__init__.py": RECIPE_V1.replace(
        'Field("steps", "text", "Steps")', 'Field("steps", "text", "Steps", required=True)')},
        entry_point=None)
    with pytest.raises(ValidationError, match="steps: a value is required"):
        importlib.import_module("recipes").Recipe(title="Soup")


def test_field_of_unknown_kind_is_refused_when_declared():
    with pytest.raises(ValidationError, match="^when: unknown kind 'datey'; use one of line"):
        Field("when", "datey", "When")


def test_field_default_must_fit_its_kind():
    assert Field("when", "date", "When", default="2024-05-01").default.isoformat() == "2024-05-01"
    with pytest.raises(ValidationError, match="^count: 'x' is not a whole number"):
        Field("count", "int", "Count", default="x")


def test_field_without_default_has_its_kinds_empty_value():
    assert [Field("f", kind).default for kind in ("line", "int", "bool", "lines", "date")] == [
        "", 0, False, (), None]
