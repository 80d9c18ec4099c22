"""Object events: each change of the content room is announced once, after it is made."""

import io

import pytest

import objweb
from objweb import Folder, Page, events
from objweb.content import properties
from objweb.storage.transfer import copy_of, copy_to, export_subtree, import_subtree
from objweb.security import rolemap


@pytest.fixture
def heard():
    """The events sent while a test runs, in order."""
    found = []
    events.subscribe(events.ObjectEvent, found.append)
    yield found
    events.unsubscribe(events.ObjectEvent, found.append)


def kinds(found) -> list[tuple[str, str | None]]:
    return [(type(event).__name__, event.object.__name__) for event in found]


@pytest.fixture
def news(db):
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
    return db


def test_adding_announces_the_object_once_it_is_in(db, heard):
    with objweb.site(db) as root:
        page = Page(title="One")
        root["one"] = page
        assert kinds(heard) == [("ObjectAdded", "one")]
        assert heard[0].object is page and page.__parent__ is root


def test_adding_a_folder_built_in_memory_announces_only_its_top(db, heard):
    folder = Folder()
    folder["inner"] = Page()
    heard.clear()
    with objweb.site(db) as root:
        root["box"] = folder
    assert kinds(heard) == [("ObjectAdded", "box")]


def test_a_refused_add_announces_nothing(db, heard):
    with objweb.site(db) as root:
        with pytest.raises(ValueError):
            root["_bad"] = Page()
    assert heard == []


def test_editing_announces_a_modification_after_the_change(news, heard):
    seen_titles = []

    def note_title(event):
        seen_titles.append(event.object.title)
    events.subscribe(events.ObjectModified, note_title)
    try:
        with objweb.site(news) as root:
            root["news"]["hello"].edit(title="Changed")
    finally:
        events.unsubscribe(events.ObjectModified, note_title)
    assert kinds(heard) == [("ObjectModified", "hello")]
    assert seen_titles == ["Changed"]


def test_property_changes_announce_a_modification(news, heard):
    with objweb.site(news) as root:
        page = root["news"]["hello"]
        properties.add_property(page, "colour", "string", "red")
        properties.set_properties(page, {"colour": "blue"})
        properties.remove_properties(page, ["colour"])
    assert kinds(heard) == [("ObjectModified", "hello")] * 3


def test_renaming_announces_a_move_with_the_old_name(news, heard):
    with objweb.site(news) as root:
        root["news"].rename("hello", "greeting")
    assert kinds(heard) == [("ObjectMoved", "greeting")]
    assert heard[0].old_name == "hello" and heard[0].old_parent.__name__ == "news"


def test_moving_announces_a_move_from_the_old_folder(news, heard):
    with objweb.site(news) as root:
        root["archive"] = Folder()
        heard.clear()
        root["news"].move("hello", root["archive"])
        assert kinds(heard) == [("ObjectMoved", "hello")]
        assert heard[0].old_parent is root["news"] and heard[0].object.__parent__ is root["archive"]


def test_a_refused_move_announces_nothing(news, heard):
    with objweb.site(news) as root:
        with pytest.raises(KeyError):
            root["news"].move("ghost", root)
        with pytest.raises(ValueError):
            root.move("news", root["news"])
    assert heard == []


def test_removing_announces_the_detached_object_and_where_it_was(news, heard):
    with objweb.site(news) as root:
        page = root["news"].remove("hello")
    assert kinds(heard) == [("ObjectRemoved", None)]
    assert heard[0].object is page and heard[0].old_name == "hello"
    assert heard[0].old_parent.__name__ == "news"


def test_deleting_by_mapping_announces_a_removal(news, heard):
    with objweb.site(news) as root:
        del root["news"]["hello"]
    assert [type(event) for event in heard] == [events.ObjectRemoved]


def test_copying_announces_the_copy_then_its_addition(news, heard):
    with objweb.site(news) as root:
        original = root["news"]["hello"]
        copy = copy_to(original, root, "hello2")
        assert [type(event) for event in heard] == [events.ObjectCopied, events.ObjectAdded]
        assert heard[0].object is copy and heard[0].original is original
        assert heard[1].object is copy


def test_a_trusted_copy_is_announced_before_it_has_a_place(news, heard):
    with objweb.site(news) as root:
        copy = copy_of(root["news"])
    assert [type(event) for event in heard] == [events.ObjectCopied]
    assert heard[0].object is copy and copy.__parent__ is None


def test_importing_announces_the_addition_of_the_top_object(news, heard):
    buffer = io.BytesIO()
    with objweb.site(news) as root:
        export_subtree(root["news"], buffer)
    heard.clear()
    buffer.seek(0)
    with objweb.site(news) as root:
        root["target"] = Folder()
        heard.clear()
        imported = import_subtree(root["target"], buffer)
    added = [event for event in heard if isinstance(event, events.ObjectAdded)]
    assert [event.object for event in added] == [imported]


@pytest.mark.parametrize("change", [
    lambda obj: obj.manage_permission("View", roles=["Manager"], acquire=False),
    lambda obj: obj.manage_setLocalRoles("someone", ["Editor"]),
    lambda obj: rolemap.set_block_local_roles(obj, True),
    lambda obj: obj.change_owner("admin"),
], ids=["permission", "local roles", "block", "owner"])
def test_security_changes_are_announced(news, heard, change):
    with objweb.site(news) as root:
        change(root["news"])
    assert kinds(heard) == [("SecurityChanged", "news")]


def test_removing_a_role_announces_a_security_change(news, heard):
    with objweb.site(news) as root:
        rolemap.define_role(root["news"], "Wizard")
        assert heard == []
        root["news"].manage_permission("View", roles=["Wizard"])
        heard.clear()
        rolemap.remove_role(root["news"], "Wizard")
    assert kinds(heard) == [("SecurityChanged", "news")]


def test_a_raising_subscriber_stops_the_change(news):
    def refuse(event):
        raise RuntimeError("no")
    events.subscribe(events.ObjectAdded, refuse)
    try:
        with pytest.raises(RuntimeError), objweb.site(news) as root:
            root["news"]["other"] = Page()
    finally:
        events.unsubscribe(events.ObjectAdded, refuse)
    with objweb.site(news) as root:
        assert "other" not in root["news"]


def test_a_subscriber_hears_subclasses_and_can_unsubscribe(news):
    found = []
    events.subscribe(events.ObjectEvent, found.append)
    assert events.is_subscribed(events.ObjectEvent, found.append)
    events.unsubscribe(events.ObjectEvent, found.append)
    events.unsubscribe(events.ObjectEvent, found.append)
    assert not events.is_subscribed(events.ObjectEvent, found.append)
    with objweb.site(news) as root:
        root["news"]["hello"].touch()
    assert found == []


def test_events_name_their_object_in_their_repr(news):
    with objweb.site(news) as root:
        assert repr(events.ObjectModified(root["news"])) == \
            f"<ObjectModified {root['news']!r}>"
