"""Search shows each user what the policy lets them View, in the cases the state machine leaves out.

A Manager of a nested user folder is somebody only inside its folder; a
blocked local role stops counting below the block; the Owner role counts
for the owner wherever Owner has View; a group's local roles count for its
members. Each is checked queued and drained, and against the policy itself.
"""

import pytest

import objweb
from objweb import Folder, Page, UserFolder
from objweb.catalog import drain_all
from objweb.security.permissions import VIEW
from objweb.security.rolemap import set_block_local_roles, set_local_roles


@pytest.fixture(params=["queued", "drained"])
def db(request):
    """/dept has its own user folder with boss (Manager there); /dept/hidden and /top/hidden
    are only for Managers and Editors; the site user ann is in the group staff."""
    database = objweb.open_db("memory://")
    objweb.bootstrap(database)
    with objweb.site(database) as root:
        users = root["acl_users"]
        users.add_group("staff")
        users.add_user("ann", "pw-ann-1", groups=["staff"])
        users.add_user("bob", "pw-bob-1")
        for name in ("dept", "top"):
            folder = root[name] = Folder(title=name)
            hidden = folder["hidden"] = Folder(title="hidden")
            hidden.manage_permission(VIEW, roles=["Manager", "Editor"], acquire=False)
            hidden["doc"] = Page(title="Doc", body="<p>ledger</p>")
        root["dept"]["acl_users"] = UserFolder()
        root["dept"]["acl_users"].add_user("boss", "pw-boss-1", roles=["Manager"])
    if request.param == "drained":
        drain_all(database)
    yield database
    database.close()


def found(db, user, path="/") -> list[str]:
    """What `user` finds for the word `ledger`, searching from `path`."""
    with objweb.site(db, user=user) as root:
        return sorted(result.path for result in objweb.search(objweb.find(root, path),
                                                              text="ledger", path="/"))


def changed(db, change) -> None:
    with objweb.site(db) as root:
        change(root)


def test_a_manager_of_a_nested_user_folder_finds_only_inside_it(db):
    assert found(db, "boss", "/dept") == ["/dept/hidden/doc"]
    assert found(db, None) == ["/dept/hidden/doc", "/top/hidden/doc"]  # trusted code
    assert found(db, "bob") == []


def test_a_group_local_role_counts_for_its_members(db):
    changed(db, lambda root: set_local_roles(root["top"], "staff", ["Editor"]))
    assert found(db, "ann") == ["/top/hidden/doc"]
    assert found(db, "bob") == []


def test_a_blocked_local_role_stops_at_the_block(db):
    changed(db, lambda root: set_local_roles(root, "ann", ["Editor"]))
    assert found(db, "ann") == ["/dept/hidden/doc", "/top/hidden/doc"]
    changed(db, lambda root: set_block_local_roles(root["top"], True))
    assert found(db, "ann") == ["/dept/hidden/doc"]
    changed(db, lambda root: set_block_local_roles(root["top"], False))
    assert found(db, "ann") == ["/dept/hidden/doc", "/top/hidden/doc"]


def test_the_owner_finds_what_owner_may_view(db):
    def owner_may_view(root):
        root["top"]["hidden"].manage_permission(VIEW, roles=["Manager", "Owner"],
                                                acquire=False)
        root["top"]["hidden"]["doc"].change_owner("bob")
    changed(db, owner_may_view)
    assert found(db, "bob") == ["/top/hidden/doc"]
    changed(db, lambda root: root["top"]["hidden"]["doc"].change_owner("ann"))
    assert found(db, "bob") == []
    assert found(db, "ann") == ["/top/hidden/doc"]
