"""An extension's subscribers hear the object events; its indexes are kept in every site.

A new site gets the declared indexes as it is made; one that was there before
gets them from `objweb upgrade` (`keep_declared`), since a start writes nothing.
"""

import sys
from datetime import date

import pytest

import objweb
from objweb.catalog import (
    add_index, catalog_lacks, index_clashes, index_facts, keep_declared, remove_index, search)
from objweb.extensions import ExtensionError, activate, deactivate
from objweb.events import ObjectAdded, is_subscribed
from extension_support import load_named, write_package
from recipes_package import INIT, MODULES
from support import ADMIN_AUTH

JSON = {"Accept": "application/json"}


def heard():
    return sys.modules["recipes"].HEARD


def serve(db):
    """Start serving `db` as `objweb serve` does."""
    return objweb.make_app(db, access_log=False)


def upgrade(db) -> list[str]:
    """Bring the catalog of `db` up to the extensions, as `objweb upgrade` does first."""
    return keep_declared(db)


def kinds_of(db) -> dict:
    with objweb.site(db) as root:
        return {facts.name: facts.kind for facts in index_facts(root) if facts.custom}


def test_subscribers_hear_each_change_made_through_the_json_api(recipes_app):
    heard().clear()
    recipes_app.post_json("/", {"@type": "Recipe", "id": "pie", "title": "Pie"},
                          headers=ADMIN_AUTH, status=201)
    recipes_app.patch_json("/pie", {"title": "Apple pie"}, headers=ADMIN_AUTH, status=204)
    recipes_app.delete("/pie", headers=ADMIN_AUTH, status=204)
    assert heard() == [("ObjectAdded", "pie"), ("ObjectModified", "pie"),
                       ("ObjectRemoved", "pie")]


def test_a_subscribers_change_is_committed_with_the_change_it_heard(db, recipes_app):
    recipes_app.post_json("/", {"@type": "Recipe", "id": "pie", "title": "Pie"},
                          headers=ADMIN_AUTH, status=201)
    recipes_app.post_json("/", {"@type": "Recipe", "id": "tart", "steps": "Bake."},
                          headers=ADMIN_AUTH, status=201)
    with objweb.site(db) as root:
        assert (root["pie"].steps, root["tart"].steps) == ("Cook it.", "Bake.")


def test_a_deactivated_extension_hears_nothing_more(db, recipes):
    module = sys.modules["recipes"]
    deactivate(recipes)
    assert not is_subscribed(ObjectAdded, module.stamp_new_recipe)
    module.HEARD.clear()
    with objweb.site(db) as root:
        root["box"] = objweb.Folder(title="Box")
    assert module.HEARD == []


def test_a_site_made_with_the_extension_has_its_indexes_at_once(recipes):
    db = objweb.open_db("memory://")
    try:
        serve(db)
        assert kinds_of(db).items() >= {"cooked": "date", "tags": "keyword"}.items()
        assert catalog_lacks(db) == []
        # They answer from the first query on.
        with objweb.site(db) as root:
            assert len(search(root, cooked_after="2024-01-01", tags="hot")) == 0
    finally:
        db.close()


def test_serving_a_site_that_lacks_the_indexes_writes_nothing_and_says_so(db, recipes):
    before = db.lastTransaction()
    serve(db)
    assert db.lastTransaction() == before
    assert "cooked" not in kinds_of(db)
    assert "the catalog lacks the date index 'cooked' that the extension 'recipes' " \
        "(objweb-recipes 1.2) declares" in catalog_lacks(db)
    with objweb.site(db) as root, pytest.raises(ValueError) as refused:
        search(root, cooked_after="2024-01-01")
    assert str(refused.value) == (
        "cooked: the catalog lacks this index, which the extension 'recipes' "
        "(objweb-recipes 1.2) declares; run `objweb upgrade` to add it")


def test_an_upgraded_site_gets_the_extensions_indexes_and_answers_them(db, recipes):
    recipe = objweb.content.type_named("Recipe")
    with objweb.site(db) as root:
        root["soup"] = recipe(title="Soup", tags=["Hot", "winter"], cooked="2024-01-05")
        root["salad"] = recipe(title="Salad", tags=["cold"], cooked="2024-06-01")
    assert any("added the declared indexes" in done and "cooked" in done
               for done in upgrade(db))
    assert kinds_of(db).items() >= {"cooked": "date", "tags": "keyword"}.items()
    assert upgrade(db) == [] and catalog_lacks(db) == []
    with objweb.site(db) as root:
        assert [result.path for result in search(root, tags="hot")] == ["/soup"]
        assert [result.path for result in search(root, cooked_after="2024-03-01")] == ["/salad"]


def test_an_index_a_manager_removes_is_made_again_by_the_next_upgrade(db, recipes):
    recipe = objweb.content.type_named("Recipe")
    upgrade(db)
    with objweb.site(db) as root:
        root["soup"] = recipe(title="Soup", tags=["hot"])
        remove_index(root, "tags")
    upgrade(db)
    with objweb.site(db) as root:
        assert [result.path for result in search(root, tags="hot")] == ["/soup"]


def test_an_index_kept_with_another_kind_is_left_alone_and_named(db, site_dir):
    with objweb.site(db) as root:
        add_index(root, "cooked", "field")
    write_package(site_dir, "recipes", MODULES, version="1.2", distribution="objweb-recipes")
    extensions = load_named("recipes")
    activate(extensions)
    try:
        upgrade(db)
        assert kinds_of(db)["cooked"] == "field"
        assert index_clashes(db) == [
            "the extension 'recipes' (objweb-recipes 1.2) declares a date index 'cooked', "
            "but the catalog keeps a field index of that name; remove it in the Catalog "
            "screen to have the date index instead"]
    finally:
        deactivate(extensions)
    assert index_clashes(db) == []


def test_a_deactivated_extension_leaves_its_indexes_in_the_site(db, recipes):
    upgrade(db)
    assert "tags" in kinds_of(db)
    deactivate(recipes)
    assert kinds_of(db).items() >= {"cooked": "date", "tags": "keyword"}.items()


BAD_HOOKS = {
    "index name of the query's own": (
        'config.add_index("tags", "keyword")', 'config.add_index("title", "keyword")',
        "the extension 'recipes' (objweb-recipes 1.2): index 'title': 'title' is a word of "
        "the query itself; choose another name"),
    "index of an unknown kind": (
        'config.add_index("tags", "keyword")', 'config.add_index("tags", "fuzzy")',
        "the extension 'recipes' (objweb-recipes 1.2): index 'tags': unknown index kind "
        "'fuzzy'; use one of field, keyword, text, date"),
    "index declared with two kinds": (
        'config.add_index("cooked", "date")', 'config.add_index("tags", "text")',
        "the extension 'recipes' (objweb-recipes 1.2): index 'tags' is declared as "
        "keyword and text"),
    "subscriber to something that is no event": (
        "config.subscribe(ObjectEvent, hear)", "config.subscribe(dict, hear)",
        "the extension 'recipes' (objweb-recipes 1.2): subscribe takes an event class of "
        "objweb.events, not <class 'dict'>"),
    "subscriber that cannot be called": (
        "config.subscribe(ObjectEvent, hear)", "config.subscribe(ObjectEvent, 'hear')",
        "the extension 'recipes' (objweb-recipes 1.2): the subscriber for ObjectEvent "
        "is not callable"),
}


@pytest.mark.parametrize("case", sorted(BAD_HOOKS))
def test_a_bad_subscriber_or_index_is_refused_in_one_sentence(site_dir, case):
    old, new, sentence = BAD_HOOKS[case]
    assert old in INIT
    write_package(site_dir, "recipes", {**MODULES, "__init__.py": INIT.replace(old, new)},
                  version="1.2", distribution="objweb-recipes")
    with pytest.raises(ExtensionError) as caught:
        load_named("recipes")
    assert str(caught.value) == sentence


def test_two_extensions_declaring_one_index_with_two_kinds_are_refused(site_dir):
    write_package(site_dir, "recipes", MODULES, version="1.2", distribution="objweb-recipes")
    write_package(site_dir, "menus", {"__init__.py": (
        "def include(config):\n    config.add_index('cooked', 'text')\n")}, version="0.1")
    with pytest.raises(ExtensionError) as caught:
        load_named("menus", "recipes")
    assert str(caught.value) == (
        "the extension 'recipes' (objweb-recipes 1.2) adds a date index 'cooked', which "
        "the extension 'menus' (menus 0.1) adds as a text index")


def test_an_index_reads_dates_as_days(db, recipes):
    recipe = objweb.content.type_named("Recipe")
    upgrade(db)
    with objweb.site(db) as root:
        root["soup"] = recipe(title="Soup", cooked=date(2024, 1, 5))
        assert [result.path for result in search(root, cooked="2024-01-05")] == ["/soup"]
