"""The permission matrix: every content type × every permission × every way of holding a role.

Principals come from real user folders (the root's, a group's, a nested
one), roles from user folders, groups, local roles (blocked or not),
ownership and a role defined on a folder. What each permission needs is
written out here from the contract (Zope's defaults), not read from the
code under test.
"""

import pytest
import transaction

from objweb.security.authentication import principal_by_login
from objweb.security.policy import SecurityPolicy
from objweb.security.principals import ANONYMOUS_PRINCIPAL
from objweb.traversal.resolve import find
from security_site import HOLDERS, LOCATIONS, TYPES, roles_held, site_template, target_path
from support import layered_db

EDITORS = {"Editor", "Owner", "Manager"}
NEEDED = {
    "View": {"Anonymous", "Manager"},
    "Access contents information": {"Anonymous", "Manager"},
    "View management screens": EDITORS,
    "Change permissions": {"Manager"},
    "Change local roles": {"Owner", "Manager"},
    "Manage users": {"Manager"},
    "Add objects": EDITORS,
    "Delete objects": EDITORS,
    # /zone gives Change objects to the role it defines, and everything below acquires it.
    "Change objects": EDITORS | {"Reviewer"},
    "Change scripts and templates": {"Manager"},
    "Undo changes": {"Owner", "Manager"},
    "Import/Export objects": {"Manager"},
    "Write unfiltered HTML": {"Manager"},
}


@pytest.fixture(scope="module")
def root():
    db = layered_db(site_template())
    manager = transaction.TransactionManager()
    connection = db.open(manager)
    yield connection.root()["objweb"]
    manager.abort()
    connection.close()
    db.close()


def principal_of(holder: str, obj):
    if holder == "anonymous":
        return ANONYMOUS_PRINCIPAL
    principal = principal_by_login(obj, holder)
    assert principal is not None, holder
    return principal


@pytest.mark.parametrize("permission", sorted(NEEDED))
@pytest.mark.parametrize("holder", HOLDERS)
@pytest.mark.parametrize("location", LOCATIONS)
@pytest.mark.parametrize("type_name", TYPES)
def test_permission_matrix(root, type_name, location, holder, permission):
    obj = find(root, target_path(location, type_name))
    assert obj.type_name == type_name
    policy = SecurityPolicy(principal_of(holder, obj))
    held = roles_held(holder, location, on_owned=True)
    assert policy.roles_in(obj) == held
    expected = bool(held & NEEDED[permission])
    assert policy.has_permission(permission, obj) is expected


@pytest.mark.parametrize("holder", ["nested", "nestedmanager"])
@pytest.mark.parametrize("path", ["/", "/acl_users"])
def test_users_of_a_nested_folder_are_nobody_outside_it(root, holder, path):
    inside = find(root, "/zone/page")
    principal = principal_by_login(inside, holder)
    policy = SecurityPolicy(principal)
    outside = find(root, path)
    assert policy.roles_in(outside) == {"Anonymous"}
    assert principal_by_login(outside, holder) is None
    for permission in NEEDED:
        assert policy.has_permission(permission, outside) is ("Anonymous" in NEEDED[permission])


def test_the_defined_role_is_known_only_below_its_folder(root):
    from objweb.security.rolemap import valid_roles
    assert "Reviewer" in valid_roles(find(root, "/zone/blocked/page"))
    assert "Reviewer" not in valid_roles(root)


def test_ownership_is_recorded_for_whoever_made_the_objects(root):
    for location in LOCATIONS:
        for type_name in TYPES:
            assert find(root, target_path(location, type_name)).owner == "owner"
    assert find(root, "/zone/inbox").owner is None
