"""Ordered folders: items keep the order they are arranged in, through every door.

As Zope's OrderedFolder: items come in last, move up, down, to the top and
to the bottom, keep their place when renamed, and keep the order through a
copy, an export and import, the JSON API's `items` and the Contents tab.
"""

import io

import pytest
from webtest import TestApp

import objweb
from objweb import OrderedFolder, Page, ValidationError
from objweb.content import ordered
from objweb.errors import NotFoundError
from objweb.storage.transfer import export_subtree, import_subtree
from support import ADMIN_AUTH, ADMIN_PASSWORD

NAMES = ["d", "b", "a", "c", "e"]


def arranged(names=NAMES) -> OrderedFolder:
    folder = OrderedFolder(title="Menu")
    for name in names:
        folder.add(name, Page(title=name.upper()))
    return folder


@pytest.fixture
def db():
    database = objweb.open_db("memory://")
    objweb.bootstrap(database, admin="admin", password=ADMIN_PASSWORD)
    yield database
    database.close()


# -- the API ----------------------------------------------------------------------------

def test_items_come_in_last_and_list_in_that_order():
    folder = arranged()
    assert list(folder) == list(folder.keys()) == NAMES
    assert [name for name, _ in folder.items()] == NAMES
    assert [obj.title for obj in folder.values()] == ["D", "B", "A", "C", "E"]
    assert folder.keys_at(1, 3) == ["b", "a"] and folder.keys("a") == ("a", "c", "e")


@pytest.mark.parametrize("move, names, expected", [
    ("move_up", ["a"], ["d", "a", "b", "c", "e"]),
    ("move_up", ["d"], NAMES),
    ("move_up", ["a", "c"], ["d", "a", "c", "b", "e"]),
    ("move_down", ["d"], ["b", "d", "a", "c", "e"]),
    ("move_down", ["c", "e"], NAMES),
    ("move_to_top", ["c", "a"], ["a", "c", "d", "b", "e"]),
    ("move_to_bottom", ["d", "a"], ["b", "c", "e", "d", "a"]),
])
def test_items_move_keeping_their_own_order(move, names, expected):
    folder = arranged()
    getattr(folder, move)(names)
    assert list(folder.keys()) == expected


def test_moving_several_places_and_to_a_position():
    folder = arranged()
    folder.move_down(["d"], steps=3)
    assert list(folder.keys()) == ["b", "a", "c", "d", "e"]
    folder.move_to("e", 0)
    assert folder.position_of("e") == 0


def test_a_renamed_item_keeps_its_place_and_a_removed_one_leaves_none():
    folder = arranged()
    folder.rename("a", "z")
    assert list(folder.keys()) == ["d", "b", "z", "c", "e"]
    folder.remove("b")
    assert list(folder.keys()) == ["d", "z", "c", "e"] and len(folder) == 4


def test_moving_a_missing_item_changes_nothing():
    folder = arranged()
    with pytest.raises(NotFoundError):
        folder.move_to_top(["a", "missing"])
    assert list(folder.keys()) == NAMES


def test_an_ordered_folder_holds_at_most_its_limit(monkeypatch):
    monkeypatch.setattr(ordered, "ORDER_LIMIT", 3)
    folder = arranged(["a", "b", "c"])
    with pytest.raises(ValidationError, match="at most 3 items"):
        folder.add("d", Page())
    assert list(folder.keys()) == ["a", "b", "c"]


def test_a_stored_order_that_is_not_the_items_is_refused():
    folder = arranged()
    folder.check_stored_state()
    folder._order = ("a", "a", "b", "c", "d")
    with pytest.raises(ValidationError, match="the order is not"):
        folder.check_stored_state()


# -- copy, export and import, the JSON API ------------------------------------------------

def test_a_copy_keeps_the_order(db):
    with objweb.site(db, user="admin") as root:
        menu = root.add("menu", arranged())
        menu.move_to_top(["e"])
    with objweb.site(db) as root:
        root.copy("menu", root, "menu-copy")
    with objweb.site(db) as root:
        assert list(root["menu-copy"].keys()) == ["e", "d", "b", "a", "c"]


def test_an_export_and_import_keep_the_order(db):
    with objweb.site(db, user="admin") as root:
        root.add("menu", arranged()).move_to_bottom(["d"])
    stream = io.BytesIO()
    with objweb.site(db) as root:
        export_subtree(root["menu"], stream)
    stream.seek(0)
    with objweb.site(db, user="admin") as root:
        import_subtree(root, stream, name="imported")
    with objweb.site(db) as root:
        assert list(root["imported"].keys()) == ["b", "a", "c", "e", "d"]


def test_the_json_api_lists_items_in_the_arranged_order(db):
    with objweb.site(db, user="admin") as root:
        root.add("menu", arranged()).move_up(["e"], steps=2)
    app = TestApp(objweb.make_app(db))
    data = app.get("/menu?b_size=3", headers={"Accept": "application/json"}, status=200).json
    assert [item["id"] for item in data["items"]] == ["d", "b", "e"]
    created = app.post_json("/menu", {"@type": "Page", "id": "f"}, headers=ADMIN_AUTH,
                            status=201)
    assert created.headers["Location"].endswith("/menu/f")
    data = app.get("/menu", headers={"Accept": "application/json"}, status=200).json
    assert [item["id"] for item in data["items"]] == ["d", "b", "e", "a", "c", "f"]
    assert data["@type"] == "OrderedFolder"
