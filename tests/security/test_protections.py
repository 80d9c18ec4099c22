"""Protection tables: each type says, in one place, which permission guards each action."""

import pytest

from objweb import File, Folder, Image, Page, Script, Template, UserFolder
from objweb.security import permissions as p
from objweb.security import protections
from objweb.security.protections import UnknownActionError, permission_for

# The contract's defaults, written out: what each action of each type needs.
EXPECTED = {
    Folder: {"view": p.VIEW, "access": p.ACCESS_CONTENTS, "manage": p.VIEW_MANAGEMENT,
             "change": p.CHANGE_OBJECTS, "add": p.ADD_OBJECTS, "delete": p.DELETE_OBJECTS,
             "create": None},
    Page: {"view": p.VIEW, "change": p.CHANGE_OBJECTS, "create": None},
    File: {"view": p.VIEW, "change": p.CHANGE_OBJECTS, "create": None},
    Image: {"view": p.VIEW, "change": p.CHANGE_OBJECTS, "create": None},
    Template: {"view": p.VIEW, "change": p.CHANGE_CODE, "create": p.CHANGE_CODE},
    Script: {"view": p.VIEW, "change": p.CHANGE_CODE, "create": p.CHANGE_CODE},
    UserFolder: {"view": p.MANAGE_USERS, "change": p.MANAGE_USERS, "manage": p.VIEW_MANAGEMENT,
                 "manage_users": p.MANAGE_USERS, "create": p.MANAGE_USERS},
}
COMMON = {"change_permissions": p.CHANGE_PERMISSIONS, "change_local_roles": p.CHANGE_LOCAL_ROLES,
          "undo": p.UNDO_CHANGES, "import_export": p.IMPORT_EXPORT, "public": None,
          "change_owner": p.CHANGE_PERMISSIONS}


@pytest.mark.parametrize("cls,action,permission", [
    (cls, action, permission) for cls, table in EXPECTED.items()
    for action, permission in {**COMMON, **table}.items()])
def test_type_declares_the_permission_of_each_action(cls, action, permission):
    assert permission_for(cls, action) == permission


def test_objects_answer_like_their_types():
    assert permission_for(Page(), protections.CHANGE) == p.CHANGE_OBJECTS
    assert permission_for(Script(), protections.CHANGE) == p.CHANGE_CODE


@pytest.mark.parametrize("cls,action", [(Page, "add"), (Page, "delete"), (Folder, "frobnicate"),
                                        (File, "__class__"), (Folder, "")])
def test_an_action_nobody_declares_is_refused(cls, action):
    with pytest.raises(UnknownActionError) as caught:
        permission_for(cls, action)
    assert cls.__name__ in str(caught.value)


def test_a_subclass_overrides_only_what_it_names():
    class Secret(Page):
        protections = {protections.VIEW: p.VIEW_MANAGEMENT}
    assert permission_for(Secret, protections.VIEW) == p.VIEW_MANAGEMENT
    assert permission_for(Secret, protections.CHANGE) == p.CHANGE_OBJECTS


def test_every_permission_is_a_contract_name_the_html_filter_s_or_zope_s_webdav_ones():
    names = {"View", "Access contents information", "View management screens",
             "Change permissions", "Change local roles", "Manage users", "Add objects",
             "Delete objects", "Change objects", "Change scripts and templates",
             "Undo changes", "Import/Export objects", "Write unfiltered HTML",
             "WebDAV access", "WebDAV Lock items", "WebDAV Unlock items",
             "Manage WebDAV Locks"}
    assert set(p.ALL_PERMISSIONS) == names
    assert set(p.DEFAULT_ROLES) == names
    assert p.BUILTIN_ROLES == ("Anonymous", "Authenticated", "Owner", "Editor", "Manager")
