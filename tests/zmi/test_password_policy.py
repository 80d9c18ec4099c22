"""The password policy: long enough, not a common password, not the user name; on every
screen that sets a password, configurable, and never for trusted Python code."""

import pytest
from webtest import TestApp

import objweb
from objweb import Settings
from objweb.security.passwords import PasswordPolicy, WeakPasswordError
from support import ADMIN, ADMIN_PASSWORD, basic_auth

USERS = "/acl_users/manage_users"
USER = "/acl_users/manage_user"


@pytest.mark.parametrize("password, reason", [
    ("short", "at least 10 characters"),
    ("password123", "most common"),
    ("QWERTYUIOP", "most common"),
    ("annabelle-x", "the user name"),
])
def test_the_policy_refuses_weak_passwords(password, reason):
    with pytest.raises(WeakPasswordError, match=reason):
        PasswordPolicy().check(password, user_id="Annabelle-X")


def test_the_policy_accepts_a_long_uncommon_password():
    assert PasswordPolicy().check("violet tractor harbour", user_id="ann") is None


def test_the_common_check_can_be_narrowed_or_turned_off():
    assert PasswordPolicy(refuse_common=0).check("password123") is None
    assert PasswordPolicy(refuse_common=10).check("iloveyou12") is None


@pytest.mark.parametrize("password, message", [
    ("short-pw", "at least 10 characters"),
    ("1234567890", "one of the most common ones"),
    ("ann-the-user", None),
])
def test_adding_a_user_applies_the_policy(manager, look, password, message):
    page = manager.post(USERS, {"command": "add_user", "name": "ann-the-user",
                                "password": password, "confirm": password}, status=400)
    error = page.html.find(id="field-password-error").get_text()
    assert (message or "the user name") in error
    assert look(lambda root: root["acl_users"].get_user("ann-the-user")) is None


def test_resetting_a_password_applies_the_policy(manager, look, site):
    site(lambda root: root["acl_users"].add_user("ann", "old-but-fine-pw"))
    page = manager.post(USER, {"command": "set_password", "name": "ann", "password": "letmein",
                               "confirm": "letmein"}, status=400)
    assert "at least 10" in page.html.find(id="field-password-error").get_text()
    assert look(lambda root: root["acl_users"].check_password("ann", "old-but-fine-pw"))


def test_the_forms_say_the_rule(manager, site):
    site(lambda root: root["acl_users"].add_user("ann", "old-but-fine-pw"))
    for url in (USERS, USER + "?name=ann"):
        help_text = manager.get(url).html.find(id="field-password-help").get_text()
        assert "At least 10 characters" in help_text


def test_the_policy_is_configurable(db):
    app = TestApp(objweb.make_app(db, Settings(password_min_length=4,
                                               password_common_refused=0)))
    headers = basic_auth(ADMIN, ADMIN_PASSWORD)
    page = app.get(USERS, headers=headers, status=200)
    token = page.html.find("input", attrs={"name": "csrf_token"})["value"]
    assert "At least 4 characters." in page.text
    app.post(USERS, {"command": "add_user", "name": "bob", "password": "abcd", "confirm": "abcd",
                     "csrf_token": token}, headers=headers, status=303)


def test_trusted_python_code_is_not_held_to_it(db):
    with objweb.site(db) as root:
        root["acl_users"].add_user(ADMIN + "2", "pw")
        assert root["acl_users"].check_password(ADMIN + "2", "pw")
