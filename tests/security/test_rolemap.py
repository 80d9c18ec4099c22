"""Per-object role maps: permission map, local roles, blocking, defined roles."""

import pytest

import objweb
from objweb import Folder, Page
from objweb.security import permissions as p
from support import installed_permissions
from objweb.security.rolemap import (
    PermissionSetting, RoleMap, define_role, editable_role_map, local_roles_of,
    permission_matrix, permission_setting, remove_role, set_block_local_roles, set_local_roles,
    set_permission, role_map_of, valid_roles)


@pytest.fixture
def tree():
    root = Folder()
    root.add("news", Folder())
    root["news"].add("hello", Page())
    return root


def test_objects_carry_no_settings_until_something_is_set(tree):
    assert role_map_of(tree["news"]) is None
    assert permission_setting(tree["news"], p.VIEW) == PermissionSetting(frozenset(), True)
    assert local_roles_of(tree["news"]) == {}


def test_editable_settings_are_made_once(tree):
    first = editable_role_map(tree["news"])
    assert isinstance(first, RoleMap)
    assert editable_role_map(tree["news"]) is first


def test_set_permission_records_roles_and_acquire(tree):
    set_permission(tree["news"], p.VIEW, ["Manager", "Editor"], acquire=False)
    assert permission_setting(tree["news"], p.VIEW) == PermissionSetting(
        frozenset({"Manager", "Editor"}), False)


def test_manage_permission_is_the_contract_spelling(tree):
    tree["news"].manage_permission(p.VIEW, roles=["Manager"], acquire=False)
    assert permission_matrix(tree["news"])[p.VIEW] == PermissionSetting(frozenset({"Manager"}), False)


def test_acquire_all_with_no_roles_removes_the_entry(tree):
    set_permission(tree["news"], p.VIEW, ["Manager"], acquire=False)
    set_permission(tree["news"], p.VIEW, [], acquire=True)
    assert p.VIEW not in role_map_of(tree["news"]).permissions


def test_a_permission_set_without_saying_acquires_by_default(tree):
    set_permission(tree["news"], p.VIEW, ["Editor"])
    assert permission_setting(tree["news"], p.VIEW) == PermissionSetting(frozenset({"Editor"}), True)


def test_automatic_roles_may_hold_a_permission(tree):
    set_permission(tree["news"], p.VIEW, ["Anonymous", "Authenticated"])
    assert permission_setting(tree["news"], p.VIEW).roles == {"Anonymous", "Authenticated"}


@pytest.mark.parametrize("permission,roles,message", [
    ("Viev", ["Manager"], "unknown permission"),
    (p.VIEW, ["Wizard"], "unknown role"),
])
def test_set_permission_refuses_unknown_names(tree, permission, roles, message):
    with pytest.raises(ValueError, match=message):
        set_permission(tree["news"], permission, roles)
    assert role_map_of(tree["news"]) is None


def test_permission_matrix_lists_every_permission(tree):
    set_permission(tree["news"], p.CHANGE_OBJECTS, ["Owner"], acquire=False)
    matrix = permission_matrix(tree["news"])
    assert list(matrix) == [*p.ALL_PERMISSIONS, *installed_permissions()]
    assert matrix[p.CHANGE_OBJECTS] == PermissionSetting(frozenset({"Owner"}), False)
    assert matrix[p.VIEW] == PermissionSetting(frozenset(), True)


def test_local_roles_are_set_replaced_and_removed(tree):
    news = tree["news"]
    set_local_roles(news, "alice", ["Editor"])
    news.manage_setLocalRoles("staff", ["Editor", "Owner"])
    assert local_roles_of(news) == {"alice": {"Editor"}, "staff": {"Editor", "Owner"}}
    set_local_roles(news, "alice", [])
    assert local_roles_of(news) == {"staff": {"Editor", "Owner"}}


def test_local_roles_of_shows_the_owner(tree):
    news = tree["news"]
    news.change_owner("bob")
    set_local_roles(news, "bob", ["Editor"])
    assert local_roles_of(news) == {"bob": {"Editor", "Owner"}}


@pytest.mark.parametrize("principal_id,roles,message", [
    ("", ["Editor"], "^a local role needs a user or group id$"),
    (None, ["Editor"], "^a local role needs a user or group id$"),
    ("alice", ["Anonymous"], "cannot be granted"),
    ("alice", ["Authenticated", "Editor"], "^Authenticated cannot be granted$"),
    ("alice", ["Anonymous", "Authenticated"], "^Anonymous, Authenticated cannot be granted$"),
    ("alice", ["Wizard"], "unknown role"),
    ("alice", ["Wizard", "Elf", "Editor"], r"^unknown role\(s\): Elf, Wizard$"),
])
def test_set_local_roles_refuses_bad_grants(tree, principal_id, roles, message):
    with pytest.raises(ValueError, match=message):
        set_local_roles(tree["news"], principal_id, roles)
    assert local_roles_of(tree["news"]) == {}


def test_block_local_roles_is_a_flag(tree):
    set_block_local_roles(tree["news"], True)
    assert role_map_of(tree["news"]).block_local_roles is True
    set_block_local_roles(tree["news"], False)
    assert role_map_of(tree["news"]).block_local_roles is False


def test_defined_roles_are_known_below_and_not_above(tree):
    define_role(tree["news"], "Reviewer")
    assert valid_roles(tree["news"]["hello"]) == list(p.BUILTIN_ROLES) + ["Reviewer"]
    assert valid_roles(tree) == list(p.BUILTIN_ROLES)
    set_local_roles(tree["news"]["hello"], "carol", ["Reviewer"])
    with pytest.raises(ValueError, match="unknown role"):
        set_local_roles(tree, "carol", ["Reviewer"])


def test_defined_roles_sort_after_the_builtin_ones(tree):
    define_role(tree, "Zebra")
    define_role(tree["news"], "Author")
    assert valid_roles(tree["news"]) == list(p.BUILTIN_ROLES) + ["Author", "Zebra"]


@pytest.mark.parametrize("role", ["", "   ", None, 42, "x" * 101, "tab\there"])
def test_define_role_refuses_bad_names(tree, role):
    with pytest.raises(ValueError) as refused:
        define_role(tree, role)
    assert str(refused.value) == "a role needs a printable name of at most 100 characters"


def test_a_role_name_may_take_the_whole_hundred_characters(tree):
    define_role(tree, "x" * 100)
    assert "x" * 100 in valid_roles(tree)


@pytest.mark.parametrize("role", ["Manager", "Anonymous", "Reviewer"])
def test_define_role_refuses_names_in_use(tree, role):
    define_role(tree, "Reviewer")
    with pytest.raises(ValueError, match="already exists"):
        define_role(tree["news"], role)


def test_remove_role_forgets_it_and_its_grants(tree):
    news = tree["news"]
    define_role(news, "Reviewer")
    set_permission(news, p.VIEW, ["Reviewer", "Manager"], acquire=False)
    set_permission(news, p.CHANGE_OBJECTS, ["Reviewer"], acquire=True)
    set_local_roles(news, "carol", ["Reviewer"])
    set_local_roles(news, "dave", ["Reviewer", "Editor"])
    set_permission(news, p.DELETE_OBJECTS, ["Manager"], acquire=False)
    set_local_roles(news, "erin", ["Editor"])
    remove_role(news, "Reviewer")
    assert valid_roles(news) == list(p.BUILTIN_ROLES)
    assert permission_setting(news, p.VIEW) == PermissionSetting(frozenset({"Manager"}), False)
    assert p.CHANGE_OBJECTS not in role_map_of(news).permissions
    assert local_roles_of(news) == {"dave": {"Editor"}, "erin": {"Editor"}}
    assert permission_setting(news, p.DELETE_OBJECTS).roles == {"Manager"}


@pytest.mark.parametrize("role", ["Manager", "Reviewer", "Nobody"])
def test_remove_role_refuses_roles_not_defined_here(tree, role):
    define_role(tree, "Reviewer")
    with pytest.raises(ValueError, match="not defined here"):
        remove_role(tree["news"], role)
    with pytest.raises(ValueError, match="not defined here"):
        remove_role(Folder(), role)


def test_settings_are_stored_with_the_object(db, reopen):
    with objweb.site(db) as root:
        root["news"] = Folder()
        root["news"].manage_permission(p.VIEW, roles=["Manager"], acquire=False)
        root["news"].manage_setLocalRoles("alice", ["Editor"])
        set_block_local_roles(root["news"], True)
        define_role(root["news"], "Reviewer")
    news = reopen("/news")
    assert permission_setting(news, p.VIEW) == PermissionSetting(frozenset({"Manager"}), False)
    assert local_roles_of(news) == {"alice": {"Editor"}}
    assert role_map_of(news).block_local_roles is True
    assert "Reviewer" in valid_roles(news)


def test_a_second_change_in_a_later_transaction_is_stored(db, reopen):
    with objweb.site(db) as root:
        root["news"] = Folder()
        root["news"].manage_setLocalRoles("alice", ["Editor"])
    with objweb.site(db) as root:
        root["news"].manage_setLocalRoles("bob", ["Owner"])
        root["news"].manage_permission(p.VIEW, roles=["Owner"], acquire=True)
    news = reopen("/news")
    assert local_roles_of(news) == {"alice": {"Editor"}, "bob": {"Owner"}}
    assert permission_setting(news, p.VIEW).roles == {"Owner"}


def test_local_roles_set_on_an_object_are_stored(db):
    with objweb.site(db) as root:
        root.add("news", Folder())
        set_local_roles(root["news"], "alice", ["Editor"])
    with objweb.site(db) as root:  # a role map stored before: only a change marks it
        set_local_roles(root["news"], "bob", ["Editor"])
    db.cacheMinimize()  # read the role map again from the storage, not from memory
    with objweb.site(db) as root:
        assert local_roles_of(root["news"]) == {"alice": frozenset({"Editor"}),
                                                "bob": frozenset({"Editor"})}


def test_changes_to_a_stored_role_map_are_kept(db):
    with objweb.site(db) as root:
        root["shared"] = Folder()
        set_permission(root["shared"], p.VIEW, ["Editor"])
    with objweb.site(db) as root:
        set_permission(root["shared"], p.ACCESS_CONTENTS, ["Editor"], acquire=False)
    db.cacheMinimize()  # read back what was stored, not what a connection keeps
    with objweb.site(db) as root:
        assert permission_setting(root["shared"], p.ACCESS_CONTENTS) == \
            PermissionSetting(frozenset({"Editor"}), False)
        set_local_roles(root["shared"], "alice", ["Editor"])
    db.cacheMinimize()
    with objweb.site(db) as root:
        assert local_roles_of(root["shared"]) == {"alice": {"Editor"}}
