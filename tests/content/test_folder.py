"""Folders: the container suite, plus rename, move and the O(1) length."""

import pytest
import transaction

import objweb
from objweb.content.positions import PositionSamples
from objweb import Folder, NameInUseError, NotFoundError, Page
from objweb.content.site import site_root

from container_suite import ContainerSuite


class TestFolder(ContainerSuite):
    @pytest.fixture
    def path(self, db):
        with objweb.site(db) as root:
            root["box"] = Folder(title="Box")
        return "/box"


class TestRootFolder(ContainerSuite):
    @pytest.fixture
    def path(self):
        return "/"


class TestNestedFolder(ContainerSuite):
    @pytest.fixture
    def path(self, db):
        with objweb.site(db) as root:
            root.add("a", Folder()).add("b", Folder()).add("c", Folder())
        return "/a/b/c"


@pytest.fixture
def folder():
    root = Folder(title="Root")
    box = root.add("box", Folder(title="Box"))
    box.add("one", Page(title="One"))
    return box


def test_a_folder_is_true_even_when_empty():
    assert Folder() and len(Folder()) == 0


def test_keys_take_a_range(folder):
    for name in ("apple", "banana", "cherry"):
        folder.add(name, Page())
    assert list(folder.keys("b", "d")) == ["banana", "cherry"]
    assert list(folder.keys("o")) == ["one"]


def test_rename(folder):
    page = folder.rename("one", "uno")
    assert page.__name__ == "uno" and folder["uno"] is page and "one" not in folder
    assert folder.rename("uno", "uno") is page


def test_rename_refuses_and_changes_nothing(folder):
    folder.add("two", Page())
    with pytest.raises(NameInUseError):
        folder.rename("one", "two")
    with pytest.raises(ValueError):
        folder.rename("one", "_bad")
    with pytest.raises(NotFoundError):
        folder.rename("nope", "fine")
    assert folder["one"].__name__ == "one" and len(folder) == 2


def test_move(folder):
    target = folder.__parent__.add("target", Folder())
    page = folder.move("one", target)
    assert target["one"] is page and page.__parent__ is target and "one" not in folder
    assert target.move("one", folder, "renamed") is page
    assert folder["renamed"] is page


def test_move_refuses_and_changes_nothing(folder):
    root = folder.__parent__
    inner = folder.add("inner", Folder())
    with pytest.raises(ValueError, match="inside itself"):
        root.move("box", inner)
    with pytest.raises(ValueError, match="inside itself"):
        root.move("box", folder)
    other = root.add("other", Folder())
    other.add("one", Page())
    with pytest.raises(NameInUseError):
        folder.move("one", other)
    assert folder["one"].__parent__ is folder and root["box"] is folder


def test_a_folder_cannot_hold_itself(folder):
    root = folder.__parent__
    detached = root.remove("box")
    with pytest.raises(ValueError):
        detached.add("self", detached)


def test_a_folder_cannot_hold_its_ancestor():
    outer = Folder()
    inner = outer.add("inner", Folder())
    with pytest.raises(ValueError, match="inside itself"):
        inner.add("outer", outer)


def test_len_does_not_load_the_items(db):
    with objweb.site(db) as root:
        box = root.add("box", Folder())
        for index in range(100):
            box.add(f"p{index}", Page())
    connection = db.open()
    try:
        box = site_root(connection)["box"]
        box._p_deactivate()
        box._items._p_deactivate()
        assert len(box) == 100
        assert box._items._p_changed is None  # the B-tree is still a ghost
    finally:
        connection.close()


def test_adding_does_not_write_the_folder(db):
    with objweb.site(db) as root:
        root.add("box", Folder())
    with objweb.site(db) as root:
        box = root["box"]
        box._p_activate()  # a ghost's serial says nothing
        serial = box._p_serial
        box.add("new", Page())
    with objweb.site(db) as root:
        root["box"]._p_activate()
        assert root["box"]._p_serial == serial and "new" in root["box"]


@pytest.fixture
def numbered(db):
    """A stored folder of 3,000 pages named n0000 to n2999."""
    with objweb.site(db) as root:
        folder = root.add("numbered", Folder())
        for index in range(3000):
            folder.add(f"n{index:04d}", Page())
    return db


@pytest.mark.parametrize("start, stop", [
    (0, 10), (255, 257), (256, 300), (1000, 1050), (2990, 3010), (2999, 3000), (3000, 3050),
    (5000, 5001), (10, 10), (511, 1024),
])
def test_keys_at_positions(numbered, start, stop):
    with objweb.site(numbered) as root:
        folder = root["numbered"]
        assert folder.keys_at(start, stop) == [f"n{i:04d}" for i in range(start, min(stop, 3000))]


def test_keys_at_follows_committed_changes(numbered):
    with objweb.site(numbered) as root:
        assert root["numbered"].keys_at(1000, 1001) == ["n1000"]
    with objweb.site(numbered) as root:
        root["numbered"].add("n0000a", Page())
        assert root["numbered"].keys_at(1000, 1002) == ["n0999", "n1000"]
    with objweb.site(numbered) as root:
        assert root["numbered"].keys_at(1000, 1002) == ["n0999", "n1000"]
        root["numbered"].remove("n0001")
        root["numbered"].remove("n0002")
    with objweb.site(numbered) as root:
        assert root["numbered"].keys_at(1000, 1001) == ["n1001"]


def test_keys_at_in_another_connection_sees_its_own_state(numbered):
    with objweb.site(numbered) as root:
        assert root["numbered"].keys_at(2000, 2001) == ["n2000"]
    reader = transaction.TransactionManager()
    connection = numbered.open(reader)
    try:
        stale = site_root(connection)["numbered"]
        assert stale.keys_at(2000, 2001) == ["n2000"]
        with objweb.site(numbered) as root:
            root["numbered"].remove("n0000")
        assert stale.keys_at(2000, 2001) == ["n2000"]  # its snapshot predates the removal
        reader.abort()
        assert stale.keys_at(2000, 2001) == ["n2001"]
    finally:
        reader.abort()
        connection.close()


def test_keys_at_of_a_folder_not_stored():
    folder = Folder()
    for index in range(600):
        folder.add(f"k{index:03d}", Page())
    assert folder.keys_at(500, 502) == ["k500", "k501"]


def test_far_batches_stay_right_when_more_folders_are_read_than_samples_are_kept(
        db, monkeypatch):
    from objweb.content import folder as folder_module
    samples = PositionSamples(capacity=2)
    monkeypatch.setattr(folder_module, "position_samples", samples)
    with objweb.site(db) as root:
        for name in ("a", "b", "c"):
            box = root.add(name, Folder())
            for index in range(300):
                box.add(f"{name}{index:03d}", Page())
    with objweb.site(db) as root:
        for name in ("a", "b", "c", "a"):
            assert root[name].keys_at(299, 300) == [f"{name}299"]
            assert samples.count(db) <= 2


def test_items_releasing_yields_every_item_in_order_and_lets_them_go(db):
    with objweb.site(db) as root:
        folder = root.add("big", Folder())
        for number in range(1500):
            folder.add(f"p{number:04d}", Page())
    with objweb.site(db) as root:
        folder = root["big"]
        # Indexing the new Pages for search may have loaded them in this connection.
        folder._p_jar.cacheMinimize()
        names = []
        for name, obj in folder.items_releasing(keep=10):
            obj.title  # loads it
            names.append(name)
        assert names == sorted(names) and len(names) == 1500
        assert folder["p1499"]._p_changed is None
        assert folder["p0000"]._p_changed is False
