"""`objweb adduser`: adds, updates, and refuses bad names, passwords and roles in one sentence."""

import pytest

from objweb.security.passwords import verify_password
from support import run_objweb

from cli_support import one_sentence, stored_site

# Passwords the password policy accepts: at least 10 characters, not a common one.
PW, OTHER_PW = "boss-passw0rd-1", "editor-passw0rd-2"


def adduser(home, *args):
    return run_objweb(["adduser", *args], home)


def test_adduser_creates_the_database_and_the_user(home):
    result = adduser(home, "editor", "secret-pw-1", "--role", "Editor")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Added user 'editor' with roles Editor"
    with stored_site(home) as root:
        user = root["acl_users"].get_user("editor")
        assert user.roles == ("Editor",)
        assert verify_password(user.password_hash, "secret-pw-1")
        assert user.password_hash.startswith("$argon2id$")
    assert b"secret-pw-1" not in (home / "var" / "Data.fs").read_bytes()
    assert "secret-pw-1" not in result.stderr


def test_a_new_user_is_a_manager_unless_told(home):
    assert adduser(home, "boss", PW).stdout.strip() == "Added user 'boss' with roles Manager"
    with stored_site(home) as root:
        assert root["acl_users"].get_user("boss").roles == ("Manager",)


def test_several_roles(home):
    result = adduser(home, "both", PW, "--role", "Editor", "--role", "Manager")
    assert result.stdout.strip() == "Added user 'both' with roles Editor, Manager"


def test_updating_changes_the_password_and_keeps_the_roles(home):
    adduser(home, "editor", OTHER_PW, "--role", "Editor")
    result = adduser(home, "editor", PW)
    assert result.returncode == 0
    assert result.stdout.strip() == "Updated user 'editor' with roles Editor"
    with stored_site(home) as root:
        user = root["acl_users"].get_user("editor")
        assert user.roles == ("Editor",)
        assert verify_password(user.password_hash, PW)
        assert not verify_password(user.password_hash, OTHER_PW)


def test_updating_with_roles_replaces_them(home):
    adduser(home, "editor", PW, "--role", "Editor")
    result = adduser(home, "editor", PW, "--role", "Manager")
    assert result.stdout.strip() == "Updated user 'editor' with roles Manager"
    with stored_site(home) as root:
        assert root["acl_users"].get_user("editor").roles == ("Manager",)


@pytest.mark.parametrize("args, fragment", [
    (["a:b", PW], "cannot contain ':'"),
    (["", PW], "cannot be empty"),
    ([" padded", PW], "no surrounding spaces"),
    (["x" * 101, PW], "at most 100 characters"),
    (["bell\x07", PW], "control characters"),
    (["someone", ""], "a password needs at least 10 characters"),
    (["someone", "x" * 5000], "at most 4096"),
    (["someone", PW, "--role", "Wizard"], "unknown role 'Wizard'"),
    (["someone", PW, "--role", "Authenticated"], "cannot be given to a user"),
    (["someone", PW, "--role", "Owner"], "cannot be given to a user"),
])
def test_bad_input_is_one_sentence_and_changes_nothing(home, args, fragment):
    result = adduser(home, *args)
    assert result.returncode == 1
    assert fragment in one_sentence(result.stderr, "adduser")
    with stored_site(home) as root:
        assert root["acl_users"].user_names() == []


def test_a_bad_update_changes_nothing(home):
    adduser(home, "editor", PW, "--role", "Editor")
    result = adduser(home, "editor", "", "--role", "Manager")
    assert result.returncode == 1 and "password" in one_sentence(result.stderr, "adduser")
    with stored_site(home) as root:
        user = root["acl_users"].get_user("editor")
        assert user.roles == ("Editor",) and verify_password(user.password_hash, PW)


# -- the password policy, as the user screens apply it ---------------------------------------

@pytest.mark.parametrize("password, fragment", [
    ("short-pw", "a password needs at least 10 characters"),
    ("password123", "one of the most common ones"),
    ("1234567890", "one of the most common ones"),
    ("chief-of-staff", "cannot be the user name"),
])
def test_adduser_refuses_a_password_the_policy_refuses(home, password, fragment):
    result = adduser(home, "chief-of-staff", password)
    assert result.returncode == 1
    message = one_sentence(result.stderr, "adduser")
    assert fragment in message and message.endswith("nothing was changed")
    assert password not in result.stderr
    assert not (home / "var" / "Data.fs").exists()


def test_a_refused_new_password_keeps_the_old_one(home):
    adduser(home, "editor", PW, "--role", "Editor")
    result = adduser(home, "editor", "qwertyuiop")
    assert result.returncode == 1 and "most common" in one_sentence(result.stderr, "adduser")
    with stored_site(home) as root:
        assert verify_password(root["acl_users"].get_user("editor").password_hash, PW)


def test_the_policy_follows_the_settings_of_objweb_ini(home):
    (home / "objweb.ini").write_text("[settings]\npassword_min_length = 20\n"
                                     "password_common_refused = 0\n")
    refused = adduser(home, "editor", PW)
    assert "at least 20 characters" in one_sentence(refused.stderr, "adduser")
    allowed = adduser(home, "editor", "password1234567890123")
    assert allowed.returncode == 0, allowed.stderr
