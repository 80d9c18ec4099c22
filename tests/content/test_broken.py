"""Broken objects: a stored object whose class went away reads as it was, changes only its place.

A module made in the test stands for a package: it is put in `sys.modules`
to store objects, then taken out as an uninstall does, and put back.
"""

import sys
import types

import pytest
import transaction
import ZODB
from ZODB.broken import BrokenModified
from ZODB.FileStorage import FileStorage

import objweb
from objweb.content.broken import BrokenItem, broken_class, class_factory, is_broken
from objweb.storage.db import open_db


@pytest.fixture
def package():
    """The module `gone_pkg` with a content class `Thing`, importable until a test removes it."""
    module = types.ModuleType("gone_pkg")

    class Thing(objweb.Item):
        type_name = "Thing"
    Thing.__module__ = module.__name__
    module.Thing = Thing
    sys.modules[module.__name__] = module
    yield module
    sys.modules.pop(module.__name__, None)


@pytest.fixture
def storage(tmp_path):
    """Where the database lives: each opening is a new process's, with a cache of its own."""
    return str(tmp_path / "Data.fs")


def open_on(storage):
    return ZODB.DB(FileStorage(storage), class_factory=class_factory)


def store_thing(storage, package):
    db = open_on(storage)
    with db.transaction() as connection:
        root = connection.root()
        root["a"] = objweb.Folder(title="A")
        root["b"] = objweb.Folder(title="B")
        thing = package.Thing(title="Kept")
        root["a"].add("thing", thing)
    db.close()


def test_a_missing_class_loads_as_a_broken_item_reading_its_state(storage, package):
    store_thing(storage, package)
    del sys.modules["gone_pkg"]
    db = open_on(storage)
    with db.transaction() as connection:
        thing = connection.root()["a"]["thing"]
        assert is_broken(thing) and isinstance(thing, BrokenItem)
        assert (thing.type_name, thing.title, thing.__name__) == ("Broken", "Kept", "thing")
        assert thing.__parent__ is connection.root()["a"]
        assert thing.missing_class == "gone_pkg.Thing"
        assert repr(thing) == "<broken gone_pkg.Thing 'thing'>"
        with pytest.raises(BrokenModified, match="gone_pkg.Thing is missing"):
            thing.title = "Changed"
    db.close()


def test_a_broken_item_moves_and_returns_whole_where_it_went(storage, package):
    store_thing(storage, package)
    del sys.modules["gone_pkg"]
    db = open_on(storage)
    with db.transaction() as connection:
        root = connection.root()
        root["a"].move("thing", root["b"], "moved")
    db.close()
    sys.modules["gone_pkg"] = package
    db = open_on(storage)
    with db.transaction() as connection:
        thing = connection.root()["b"]["moved"]
        assert type(thing) is package.Thing
        assert (thing.title, thing.__name__) == ("Kept", "moved")
        assert thing.__parent__ is connection.root()["b"]
        assert "thing" not in connection.root()["a"]
    db.close()


def test_a_broken_item_survives_being_unloaded_and_loaded_again(storage, package):
    store_thing(storage, package)
    del sys.modules["gone_pkg"]
    db = open_on(storage)
    with db.transaction() as connection:
        thing = connection.root()["a"]["thing"]
        thing._p_deactivate()
        assert thing.__getnewargs__() == ()
        connection.root()["a"].move("thing", connection.root()["b"])
    db.close()
    db = open_on(storage)
    with db.transaction() as connection:
        assert connection.root()["b"]["thing"].title == "Kept"
    db.close()


def test_one_broken_class_stands_for_each_missing_name():
    first = broken_class("nowhere", "Gone")
    assert first is broken_class("nowhere", "Gone")
    assert class_factory(None, "nowhere", "Gone") is first
    assert class_factory(None, "objweb.content.folder", "Folder") is objweb.Folder


def test_objwebs_databases_load_broken_items(tmp_path, package):
    uri = f"file://{tmp_path}/Data.fs"
    store = open_db(uri)
    with store.transaction() as connection:
        connection.root()["thing"] = package.Thing(title="Kept")
    store.close()
    del sys.modules["gone_pkg"]
    store = open_db(uri)
    try:
        with store.transaction() as connection:
            assert connection.root()["thing"].missing_class == "gone_pkg.Thing"
    finally:
        transaction.abort()
        store.close()
