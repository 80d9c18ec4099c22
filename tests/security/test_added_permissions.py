"""Permissions an extension adds: their default roles, the checks, and the action naming them."""

import pytest

from objweb import Folder, Page
from objweb.security import permissions
from objweb.security.policy import SecurityPolicy
from objweb.security.principals import ANONYMOUS_PRINCIPAL, Principal
from objweb.security.protections import action_for_permission, permission_for
from objweb.security.rolemap import permission_matrix, set_permission
from support import installed_permissions

PUBLISH = "Publish things"


@pytest.fixture
def publish():
    permissions.add_permission(PUBLISH, ["Manager", "Editor"])
    yield PUBLISH
    permissions.remove_permission(PUBLISH)


def test_added_permission_is_known_after_objwebs_own(publish):
    assert permissions.known_permissions()[-1] == publish
    assert permissions.known_permissions()[:-1] == (
        *permissions.ALL_PERMISSIONS, *installed_permissions())
    assert permissions.is_known_permission(publish)


def test_added_permission_has_its_default_roles(publish):
    assert permissions.default_roles_of(publish) == {"Manager", "Editor"}
    folder = Folder()
    editor = SecurityPolicy(Principal(id="ed", roles=frozenset({"Editor"})))
    assert editor.has_permission(publish, folder)
    assert not SecurityPolicy(ANONYMOUS_PRINCIPAL).has_permission(publish, folder)


def test_added_permission_can_be_set_on_an_object(publish):
    folder = Folder()
    set_permission(folder, publish, ["Anonymous"], acquire=False)
    assert SecurityPolicy(ANONYMOUS_PRINCIPAL).has_permission(publish, folder)
    assert permission_matrix(folder)[publish].roles == {"Anonymous"}


def test_removed_permission_is_unknown(publish):
    permissions.remove_permission(publish)
    assert not permissions.is_known_permission(publish)
    assert permissions.default_roles_of(publish) == frozenset()
    with pytest.raises(ValueError, match="unknown permission"):
        set_permission(Folder(), publish, ["Manager"])


def test_adding_again_with_the_same_roles_changes_nothing(publish):
    permissions.add_permission(publish, ["Editor", "Manager"])
    assert permissions.known_permissions().count(publish) == 1


@pytest.mark.parametrize("name,roles,message", [
    ("View", ["Manager"], "one of objweb's own"),
    (PUBLISH, ["Manager"], "already defined with other roles"),
    ("Cook", ["Chef"], "permission 'Cook': unknown role 'Chef'; use some of Anonymous, "
                       "Authenticated, Owner, Editor, Manager$"),
    (" padded", [], "a permission is a name"),
    (7, [], "a permission is a name"),
])
def test_add_permission_refuses(publish, name, roles, message):
    with pytest.raises(ValueError, match=message):
        permissions.add_permission(name, roles)


def test_permission_action_is_guarded_by_that_permission_on_every_type():
    action = action_for_permission(PUBLISH)
    assert permission_for(Page, action) == PUBLISH
    assert permission_for(Folder(), action) == PUBLISH
