"""Every command of every screen refuses a POST without the CSRF token, changing nothing.

The table names one place for each command; a test checks the table against
the registry, so a command added later without a refusal test fails here.
"""

import pytest

from objweb import Folder, Page, Script
from objweb.zmi import screen_classes

PLACES = {
    "manage_contents": "/news/manage_contents",
    "manage_add": "/news/manage_add",
    "manage_edit": "/news/page/manage_edit",
    "manage_properties": "/news/manage_properties",
    "manage_security": "/news/manage_security",
    "manage_users": "/acl_users/manage_users",
    "manage_user": "/acl_users/manage_user",
    "manage_undo": "/manage_undo",
    "manage_importexport": "/news/manage_importexport",
    "manage_control": "/manage_control",
    "manage_davlocks": "/news/manage_davlocks",
    "manage_history": "/news/page/manage_history",
    "manage_test": "/news/greet/manage_test",
    "manage_catalog": "/manage_catalog",
}

# Values that would make each command succeed if the token were there.
VALUES = {
    ("manage_contents", "delete"): {"names": "page"},
    ("manage_contents", "rename_confirm"): {"old": "page", "new": "renamed"},
    ("manage_add", "add"): {"type": "Page", "name": "new"},
    ("manage_edit", "save"): {"title": "Changed", "body": "x"},
    ("manage_properties", "save"): {"title": "Changed"},
    ("manage_properties", "add_property"): {"new_name": "rank", "new_kind": "int"},
    ("manage_security", "block"): {"block": "on"},
    ("manage_security", "define_role"): {"role": "Reviewer"},
    ("manage_users", "add_user"): {"name": "ann", "password": "p", "confirm": "p"},
    ("manage_user", "save_user"): {"name": "admin", "title": "Changed"},
    ("manage_user", "set_password"): {"name": "admin", "password": "p", "confirm": "p"},
    ("manage_control", "pack"): {"days": "0"},
    ("manage_davlocks", "clear"): {"tokens": "opaquelocktoken:x"},
    ("manage_history", "revert"): {"revision": "1"},
    ("manage_test", "run"): {"parameter.title": "Changed"},
    ("manage_catalog", "add_index"): {"name": "rank", "kind": "field"},
    ("manage_catalog", "remove_index"): {"name": "rank"},
}

COMMANDS = sorted((cls.name, command) for cls in screen_classes() for command in cls.commands)


def test_the_table_covers_every_command():
    assert {name for name, _ in COMMANDS} <= set(PLACES)
    assert len(COMMANDS) >= 28


@pytest.fixture
def news(site):
    site(lambda root: root.add("news", Folder(title="News")).add("page", Page(title="P")))
    # A second revision, so that reverting to the first would succeed with the token.
    site(lambda root: root["news"]["page"].edit(body="<p>2</p>"))
    site(lambda root: root["news"].add("greet", Script(
        params="title", body="context['page'].edit(title=title)")))


@pytest.mark.parametrize("screen, command", COMMANDS)
def test_a_post_without_the_token_is_refused_and_changes_nothing(basic, news, db, screen,
                                                                  command):
    before = db.lastTransaction()
    values = {"command": command, **VALUES.get((screen, command), {})}
    response = basic.post(PLACES[screen], values, status=403, token=False)
    assert "did not come from this site" in response.text
    assert db.lastTransaction() == before


@pytest.mark.parametrize("screen, command", [("manage_contents", "delete"),
                                             ("manage_edit", "save"),
                                             ("manage_users", "add_user")])
def test_a_session_post_without_the_token_is_refused_too(manager, news, db, look, screen,
                                                         command):
    before = db.lastTransaction()
    values = {"command": command, **VALUES.get((screen, command), {})}
    manager.post(PLACES[screen], values, status=403, token=False)
    assert db.lastTransaction() == before
    assert look(lambda root: root["news"]["page"].title) == "P"
