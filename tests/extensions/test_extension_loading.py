"""Loading extensions: found by entry point, checked as a set, refused in one sentence."""

import pytest

from objweb.content.registry import type_names
from objweb.extensions import ExtensionError
from objweb.security.permissions import is_known_permission
from cli_support import one_sentence
from extension_support import load_named
from extension_support import write_package
from recipes_package import INIT, MODULES
from support import free_port, run_objweb

BROKEN_INCLUDES = {
    "include raises": (
        {"__init__.py": "def include(config):\n    raise RuntimeError('no oven')\n"},
        "the extension 'recipes' (objweb-recipes 1.2) failed in include: "
        "RuntimeError: no oven"),
    "import fails": (
        {"__init__.py": "import not_a_module_anywhere\n"},
        "the extension 'recipes' (objweb-recipes 1.2) cannot be loaded: ModuleNotFoundError: "
        "No module named 'not_a_module_anywhere'"),
    "type clashes with a built-in": (
        {**MODULES, "__init__.py": INIT.replace('type_name = "Cookbook"', 'type_name = "Folder"')},
        "the extension 'recipes' (objweb-recipes 1.2) adds a type named 'Folder', "
        "which objweb already has"),
    "field of an unknown kind": (
        {**MODULES, "__init__.py": INIT.replace('"date", "Cooked on"', '"datey", "Cooked on"')},
        "the extension 'recipes' (objweb-recipes 1.2) cannot be loaded: cooked: unknown kind "
        "'datey'; use one of line, text, html, int, float, bool, date, datetime, lines, "
        "tokens, base64, string, boolean, long"),
    "permission of objweb's": (
        {**MODULES, "__init__.py": INIT.replace('COOK = "Cook recipes"', 'COOK = "View"')},
        "the extension 'recipes' (objweb-recipes 1.2) adds the permission 'View', "
        "which is one of objweb's own"),
    "missing template": (
        {"__init__.py": INIT},
        "the extension 'recipes' (objweb-recipes 1.2): there is no template "
        "'templates/recipe.pt' in"),
}
VIEW_CLASH = (
    {**MODULES, "__init__.py": INIT.replace('"card", card', '"manage_security", card')},
    "the extension 'recipes' (objweb-recipes 1.2) adds the view 'manage_security' to Recipe, "
    "which clashes with objweb's own view 'manage_security' of Item")


def install(site_dir, modules):
    write_package(site_dir, "recipes", modules, version="1.2", distribution="objweb-recipes")


def test_an_installed_package_is_found_by_its_entry_point(recipes):
    (extension,) = recipes
    assert (extension.name, extension.distribution, extension.version) == (
        "recipes", "objweb-recipes", "1.2")
    assert [cls.type_name for cls in extension.config.types] == ["Recipe", "Cookbook"]
    assert {"Recipe", "Cookbook"} <= set(type_names())
    assert is_known_permission("Cook recipes")
    assert extension.config.schema_version == 1


@pytest.mark.parametrize("case", sorted(BROKEN_INCLUDES))
def test_a_broken_extension_is_refused_in_one_sentence_and_applies_nothing(site_dir, case):
    modules, sentence = BROKEN_INCLUDES[case]
    install(site_dir, modules)
    with pytest.raises(ExtensionError) as caught:
        load_named("recipes")
    assert str(caught.value).startswith(sentence)
    assert "\n" not in str(caught.value)
    assert "Recipe" not in type_names() and not is_known_permission("Cook recipes")


def test_a_view_clashing_with_a_builtin_view_is_refused(site_dir, db):
    import objweb
    install(site_dir, VIEW_CLASH[0])
    extensions = load_named("recipes")
    with pytest.raises(ExtensionError) as caught:
        objweb.Application(db, installed=extensions)
    assert str(caught.value) == VIEW_CLASH[1]


@pytest.mark.server
@pytest.mark.parametrize("case", ["include raises", "type clashes with a built-in",
                                  "field of an unknown kind", "view clashes"])
def test_objweb_serve_stops_with_the_sentence(site_dir, tmp_path, case):
    modules, sentence = VIEW_CLASH if case == "view clashes" else BROKEN_INCLUDES[case]
    install(site_dir, modules)
    result = run_objweb(["serve", "--port", str(free_port())], tmp_path,
                        env={"PYTHONPATH": str(site_dir)}, timeout=60)
    assert result.returncode == 1
    assert one_sentence(result.stderr, "serve").startswith(sentence)
    assert "Serving" not in result.stdout
