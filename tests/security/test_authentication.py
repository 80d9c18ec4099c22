"""Finding users in the user folders above an object; sessions that hold or lapse."""

import pytest
import transaction
from argon2 import PasswordHasher

import objweb
from objweb import Folder, Page, UserFolder
from objweb.content.site import site_secret
from objweb.security.authentication import (
    authenticate, credential_of, find_user, open_session, principal_by_login, principal_for,
    session_principal, user_folders_above)
from objweb.security.passwords import needs_rehash
from objweb.security.sessions import Session

SECRET = b"a" * 32


@pytest.fixture
def site(db):
    """A site with a root user, a group, and a nested user folder in /team."""
    manager = transaction.TransactionManager()
    connection = db.open(manager)
    root = connection.root()["objweb"]
    users = root["acl_users"]
    users.add_group("staff", roles=["Editor"])
    users.add_user("alice", "alice-pw", groups=["staff"], title="Alice")
    users.add_user("shared", "root-pw", roles=["Manager"])
    root["team"] = Folder()
    root["team"]["acl_users"] = UserFolder()
    root["team"]["acl_users"].add_user("carol", "carol-pw", roles=["Manager"])
    root["team"]["acl_users"].add_user("shared", "team-pw", roles=["Editor"])
    root["team"]["doc"] = Page()
    root["plain"] = Folder()
    root["plain"]["acl_users"] = Folder()
    manager.commit()
    yield root
    manager.abort()
    connection.close()


def test_user_folders_above_lists_nearest_first_and_skips_impostors(site):
    found = list(user_folders_above(site["team"]["doc"]))
    assert [container for container, _ in found] == [site["team"], site]
    assert [path for path in (objweb.path_of(folder) for _, folder in found)] == [
        "/team/acl_users", "/acl_users"]
    assert [c for c, _ in user_folders_above(site["plain"])] == [site]


def test_find_user_takes_the_nearest_folder_that_knows_the_login(site):
    user, user_folder, domain = find_user(site["team"]["doc"], "shared")
    assert user_folder is site["team"]["acl_users"]
    assert domain is site["team"]
    assert find_user(site, "shared")[1] is site["acl_users"]
    assert find_user(site["team"], "alice")[2] is site
    assert find_user(site, "carol") is None


def test_principal_carries_group_roles_and_domain(site):
    alice = principal_by_login(site, "alice")
    assert alice.roles == {"Editor"}
    assert alice.groups == {"staff"}
    assert alice.title == "Alice"
    assert alice.domain is None
    carol = principal_by_login(site["team"]["doc"], "carol")
    assert carol.domain is site["team"]
    assert carol.title == "carol"
    assert principal_by_login(site, "nobody") is None


def test_principal_for_ignores_unknown_groups(site):
    users = site["acl_users"]
    user = users.get_user("alice")
    user.groups = ("staff", "gone")
    assert principal_for(user, users, site).roles == {"Editor"}


def test_authenticate_needs_the_right_password(site):
    assert authenticate(site, "alice", "alice-pw").id == "alice"
    assert authenticate(site, "alice", "wrong") is None
    assert authenticate(site, "nobody", "alice-pw") is None


def test_authenticate_uses_the_user_folder_nearest_the_object(site):
    assert authenticate(site["team"]["doc"], "shared", "team-pw").roles == {"Editor"}
    assert authenticate(site["team"]["doc"], "shared", "root-pw") is None
    assert authenticate(site, "shared", "root-pw").roles == {"Manager"}
    assert authenticate(site, "carol", "carol-pw") is None


def test_login_rehashes_a_password_hashed_with_old_parameters(site):
    user = site["acl_users"].get_user("alice")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(
        "alice-pw")
    old = user.password_hash
    assert authenticate(site, "alice", "wrong") is None
    assert user.password_hash == old
    assert authenticate(site, "alice", "alice-pw") is not None
    assert user.password_hash != old
    assert not needs_rehash(user.password_hash)


def test_open_session_binds_user_domain_and_password(site):
    principal, session = open_session(site["team"]["doc"], "carol", "carol-pw", secret=SECRET,
                                      lifetime=600, now=1000)
    assert principal.id == "carol"
    assert (session.user_id, session.domain_path, session.expires) == ("carol", "/team", 1600)
    assert open_session(site, "carol", "carol-pw", secret=SECRET, lifetime=600) is None
    assert open_session(site, "alice", "bad", secret=SECRET, lifetime=600) is None


def test_session_principal_holds_while_nothing_changed(site):
    _, session = open_session(site, "alice", "alice-pw", secret=SECRET, lifetime=600)
    principal = session_principal(site, session, SECRET)
    assert principal.id == "alice"
    assert principal.roles == {"Editor"}


def test_session_of_a_nested_user_is_bound_to_its_folder(site):
    _, session = open_session(site["team"], "shared", "team-pw", secret=SECRET, lifetime=600)
    principal = session_principal(site, session, SECRET)
    assert principal.domain is site["team"]
    assert principal.roles == {"Editor"}


def test_session_lapses_when_the_password_changes(site):
    _, session = open_session(site, "alice", "alice-pw", secret=SECRET, lifetime=600)
    site["acl_users"].set_password("alice", "new-pw")
    assert session_principal(site, session, SECRET) is None


def test_session_lapses_when_the_user_is_deleted_or_remade(site):
    _, session = open_session(site, "alice", "alice-pw", secret=SECRET, lifetime=600)
    site["acl_users"].delete_user("alice")
    assert session_principal(site, session, SECRET) is None
    site["acl_users"].add_user("alice", "alice-pw")
    assert session_principal(site, session, SECRET) is None


def test_session_lapses_when_its_user_folder_goes(site):
    _, session = open_session(site["team"], "carol", "carol-pw", secret=SECRET, lifetime=600)
    site["team"].remove("acl_users")
    assert session_principal(site, session, SECRET) is None
    site["team"]["acl_users"] = Folder()
    assert session_principal(site, session, SECRET) is None


def test_session_lapses_when_its_folder_goes(site):
    _, session = open_session(site["team"], "carol", "carol-pw", secret=SECRET, lifetime=600)
    site.remove("team")
    assert session_principal(site, session, SECRET) is None


def test_session_with_a_bad_path_or_another_secret_lapses(site):
    _, session = open_session(site, "alice", "alice-pw", secret=SECRET, lifetime=600)
    climbing = Session(**{**session.__dict__, "domain_path": "/../x"})
    assert session_principal(site, climbing, SECRET) is None
    assert session_principal(site, session, b"b" * 32) is None


def test_the_site_secret_is_random_and_kept(db):
    with db.transaction() as connection:
        secret = site_secret(connection)
    assert isinstance(secret, bytes) and len(secret) == 32
    with db.transaction() as connection:
        assert site_secret(connection) == secret
    other = objweb.open_db("memory://")
    objweb.bootstrap(other)
    with other.transaction() as connection:
        assert site_secret(connection) != secret
    other.close()


def test_credential_of_follows_the_user_s_own_password(site):
    root_shared = authenticate(site, "shared", "root-pw")
    team_shared = authenticate(site["team"], "shared", "team-pw")
    first = credential_of(site, root_shared, SECRET)
    assert first and first != credential_of(site, team_shared, SECRET)
    site["acl_users"].set_password("shared", "new-pw")
    assert credential_of(site, root_shared, SECRET) not in ("", first)
    site["acl_users"].delete_user("shared")
    assert credential_of(site, root_shared, SECRET) == ""
    del site["team"]["acl_users"]
    assert credential_of(site, team_shared, SECRET) == ""
