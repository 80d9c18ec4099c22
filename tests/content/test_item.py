"""What every object has: title, place, times, owner, fields edited all or nothing."""

import time

import pytest

import objweb
from objweb import Folder, Page, ValidationError
from objweb.content import Item
from objweb.content.schema import MAX_TITLE_LENGTH
from objweb.security.principals import Principal, acting_as
from objweb.security.rolemap import permission_setting, role_map_of


def test_every_object_has_the_contract_attributes():
    before = time.time()
    page = Page(title="Hello")
    assert page.title == "Hello" and page.__name__ is None and page.__parent__ is None
    assert before <= page.created == page.modified <= time.time()
    assert page.owner is None


def test_edit_changes_fields_and_the_modification_time():
    page = Page(title="Old", body="<p>old</p>")
    page.modified -= 10
    old_modified = page.modified
    page.edit(title="New", body="<p>new</p>")
    assert (page.title, page.body) == ("New", "<p>new</p>")
    assert page.modified > old_modified


@pytest.mark.parametrize("values, field", [
    ({"title": "ok", "colour": "red"}, "colour"),
    ({"title": "x" * (MAX_TITLE_LENGTH + 1)}, "title"),
    ({"title": "two\nlines"}, "title"),
    ({"title": 5}, "title"),
    ({"body": ["not", "text"]}, "body"),
])
def test_edit_is_all_or_nothing(values, field):
    page = Page(title="Kept", body="<p>kept</p>")
    with pytest.raises(ValidationError) as caught:
        page.edit(**values)
    assert caught.value.field == field
    assert (page.title, page.body) == ("Kept", "<p>kept</p>")


def test_objects_added_in_a_users_site_block_are_theirs(db):
    with objweb.site(db, user="editor") as root:
        root["mine"] = Folder()
        root["mine"]["page"] = Page()
    with objweb.site(db) as root:
        assert root["mine"].owner == "editor" and root["mine"]["page"].owner == "editor"


def test_objects_added_by_trusted_code_have_no_owner(db):
    with objweb.site(db) as root:
        root["nobody"] = Page()
    with objweb.site(db) as root:
        assert root["nobody"].owner is None


def test_an_object_made_as_one_user_keeps_that_owner_when_added():
    with acting_as(Principal(id="maker")):
        page = Page()
    folder = Folder()
    with acting_as(Principal(id="adder")):
        folder.add("p", page)
    assert page.owner == "maker"


def test_change_owner():
    page = Page()
    page.change_owner("editor")
    assert page.owner == "editor"
    page.change_owner(None)
    assert page.owner is None
    for bad in ("", 5):
        with pytest.raises(ValidationError):
            page.change_owner(bad)


def test_manage_permission_and_local_roles_are_stored_on_the_object():
    folder = Folder()
    assert role_map_of(folder) is None
    folder.manage_permission("View", roles=["Manager", "Editor"], acquire=False)
    setting = permission_setting(folder, "View")
    assert setting.roles == frozenset({"Manager", "Editor"}) and setting.acquire is False
    folder.manage_setLocalRoles("editor", ["Owner"])
    assert role_map_of(folder).local_roles == {"editor": frozenset({"Owner"})}
    with pytest.raises(ValueError):
        folder.manage_permission("Fly", roles=["Manager"])


def test_repr_names_the_type_and_the_name():
    folder = Folder()
    page = folder.add("hello", Page())
    assert repr(page).startswith("<Page 'hello' at 0x")


def test_a_bare_item_has_a_title_only():
    item = Item(title="plain")
    item.edit(title="still plain")
    assert item.title == "still plain" and item.type_name == "Item"
