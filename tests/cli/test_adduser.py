"""`objweb adduser`: adds, updates, and refuses bad names, passwords and roles in one sentence."""

import pytest

from objweb.security.passwords import verify_password
from support import run_objweb

from cli_support import one_sentence, stored_site


def adduser(home, *args):
    return run_objweb(["adduser", *args], home)


def test_adduser_creates_the_database_and_the_user(home):
    result = adduser(home, "editor", "secret-pw", "--role", "Editor")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Added user 'editor' with roles Editor"
    with stored_site(home) as root:
        user = root["acl_users"].get_user("editor")
        assert user.roles == ("Editor",)
        assert verify_password(user.password_hash, "secret-pw")
        assert user.password_hash.startswith("$argon2id$")
    assert b"secret-pw" not in (home / "var" / "Data.fs").read_bytes()
    assert "secret-pw" not in result.stderr


def test_a_new_user_is_a_manager_unless_told(home):
    assert adduser(home, "boss", "pw").stdout.strip() == "Added user 'boss' with roles Manager"
    with stored_site(home) as root:
        assert root["acl_users"].get_user("boss").roles == ("Manager",)


def test_several_roles(home):
    result = adduser(home, "both", "pw", "--role", "Editor", "--role", "Manager")
    assert result.stdout.strip() == "Added user 'both' with roles Editor, Manager"


def test_updating_changes_the_password_and_keeps_the_roles(home):
    adduser(home, "editor", "old-pw", "--role", "Editor")
    result = adduser(home, "editor", "new-pw")
    assert result.returncode == 0
    assert result.stdout.strip() == "Updated user 'editor' with roles Editor"
    with stored_site(home) as root:
        user = root["acl_users"].get_user("editor")
        assert user.roles == ("Editor",)
        assert verify_password(user.password_hash, "new-pw")
        assert not verify_password(user.password_hash, "old-pw")


def test_updating_with_roles_replaces_them(home):
    adduser(home, "editor", "pw", "--role", "Editor")
    result = adduser(home, "editor", "pw", "--role", "Manager")
    assert result.stdout.strip() == "Updated user 'editor' with roles Manager"
    with stored_site(home) as root:
        assert root["acl_users"].get_user("editor").roles == ("Manager",)


@pytest.mark.parametrize("args, fragment", [
    (["a:b", "pw"], "cannot contain ':'"),
    (["", "pw"], "cannot be empty"),
    ([" padded", "pw"], "no surrounding spaces"),
    (["x" * 101, "pw"], "at most 100 characters"),
    (["bell\x07", "pw"], "control characters"),
    (["someone", ""], "a password cannot be empty"),
    (["someone", "x" * 5000], "at most 4096"),
    (["someone", "pw", "--role", "Wizard"], "unknown role 'Wizard'"),
    (["someone", "pw", "--role", "Authenticated"], "cannot be given to a user"),
    (["someone", "pw", "--role", "Owner"], "cannot be given to a user"),
])
def test_bad_input_is_one_sentence_and_changes_nothing(home, args, fragment):
    result = adduser(home, *args)
    assert result.returncode == 1
    assert fragment in one_sentence(result.stderr, "adduser")
    with stored_site(home) as root:
        assert root["acl_users"].user_names() == []


def test_a_bad_update_changes_nothing(home):
    adduser(home, "editor", "pw", "--role", "Editor")
    result = adduser(home, "editor", "", "--role", "Manager")
    assert result.returncode == 1 and "password" in one_sentence(result.stderr, "adduser")
    with stored_site(home) as root:
        user = root["acl_users"].get_user("editor")
        assert user.roles == ("Editor",) and verify_password(user.password_hash, "pw")
