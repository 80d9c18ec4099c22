"""Failed logins are throttled per user name and per client address: 429 with Retry-After."""

import base64

import pytest
from webtest import TestApp

import objweb
from objweb import Settings
from support import ADMIN, ADMIN_PASSWORD, BROWSER_ACCEPT, basic_auth

SETTINGS = Settings(login_attempts=3, login_attempts_per_address=5, login_window=60)


@pytest.fixture
def app(db):
    with objweb.site(db) as root:
        root["acl_users"].add_user("editor", "editor-pw", roles=["Editor"])
    return TestApp(objweb.make_app(db, SETTINGS))


def from_address(address: str) -> dict:
    return {"REMOTE_ADDR": address}


def fail_basic(app, login, times, address="10.0.0.1"):
    for _ in range(times):
        app.get("/", headers=basic_auth(login, "wrong"), extra_environ=from_address(address),
                status=401)


def form_login(app, login, password, status, address="10.0.0.1"):
    page = app.get("/@@login", headers=BROWSER_ACCEPT, extra_environ=from_address(address),
                   status=200)
    form = page.forms[0]
    form["login"], form["password"] = login, password
    return form.submit(headers=BROWSER_ACCEPT, extra_environ=from_address(address), status=status)


def test_basic_auth_is_throttled_per_user_even_with_the_right_password(app):
    fail_basic(app, ADMIN, 3, address="10.0.0.1")
    response = app.get("/", headers=basic_auth(ADMIN, ADMIN_PASSWORD),
                       extra_environ=from_address("10.0.0.2"), status=429)
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "Too many failed logins" in response.text
    assert ADMIN_PASSWORD not in response.text
    app.get("/", headers=basic_auth("editor", "editor-pw"),
            extra_environ=from_address("10.0.0.2"), status=200)


def test_basic_auth_is_throttled_per_address_for_every_user(app):
    for index in range(5):
        fail_basic(app, f"guess{index}", 1, address="10.0.0.7")
    app.get("/", headers=basic_auth("editor", "editor-pw"),
            extra_environ=from_address("10.0.0.7"), status=429)
    app.get("/", headers=basic_auth("editor", "editor-pw"),
            extra_environ=from_address("10.0.0.8"), status=200)


def test_throttled_json_clients_get_json(app):
    fail_basic(app, ADMIN, 3)
    response = app.get("/", headers={**basic_auth(ADMIN, ADMIN_PASSWORD),
                                     "Accept": "application/json"}, status=429)
    assert response.json["error"].startswith("Too many failed logins")
    assert response.headers["Retry-After"]


def test_below_the_limit_the_right_password_works_and_resets_the_count(app):
    fail_basic(app, ADMIN, 2)
    app.get("/", headers=basic_auth(ADMIN, ADMIN_PASSWORD), status=200)
    fail_basic(app, ADMIN, 2)
    app.get("/", headers=basic_auth(ADMIN, ADMIN_PASSWORD), status=200)


def test_the_login_form_is_throttled_per_user(app):
    for _ in range(3):
        form_login(app, "editor", "wrong", 401)
    response = form_login(app, "editor", "editor-pw", 429, address="10.0.0.9")
    assert "Too many failed logins" in response.text
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.forms[0]["login"].value == ""
    assert "objweb_session" not in app.cookies
    form_login(app, ADMIN, ADMIN_PASSWORD, 303, address="10.0.0.9")


def test_the_login_form_and_basic_auth_share_the_count(app):
    fail_basic(app, "editor", 2)
    form_login(app, "editor", "wrong", 401)
    app.get("/", headers=basic_auth("editor", "editor-pw"), status=429)


def test_the_login_form_is_throttled_per_address(app):
    for index in range(5):
        form_login(app, f"guess{index}", "wrong", 401, address="10.0.0.3")
    form_login(app, ADMIN, ADMIN_PASSWORD, 429, address="10.0.0.3")
    form_login(app, ADMIN, ADMIN_PASSWORD, 303, address="10.0.0.4")


def test_unknown_and_known_users_are_throttled_alike(app):
    fail_basic(app, "nobody", 3)
    fail_basic(app, "editor", 3, address="10.0.0.2")
    unknown = app.get("/", headers=basic_auth("nobody", "x"), extra_environ=from_address("10.1.0.1"),
                      status=429)
    known = app.get("/", headers=basic_auth("editor", "x"), extra_environ=from_address("10.1.0.2"),
                    status=429)
    assert unknown.text == known.text


def test_the_window_and_limits_come_from_the_settings(db):
    app = TestApp(objweb.make_app(db, Settings(login_attempts=1, login_window=5)))
    fail_basic(app, ADMIN, 1)
    response = app.get("/", headers=basic_auth(ADMIN, ADMIN_PASSWORD), status=429)
    assert 1 <= int(response.headers["Retry-After"]) <= 5


def test_each_application_counts_for_itself(db, app):
    fail_basic(app, ADMIN, 3)
    other = TestApp(objweb.make_app(db, SETTINGS))
    other.get("/", headers=basic_auth(ADMIN, ADMIN_PASSWORD), status=200)


def test_malformed_basic_headers_are_not_counted_as_failed_logins(app):
    no_colon = {"Authorization": "Basic " + base64.b64encode(b"editor").decode("ascii")}
    for _ in range(6):
        app.get("/", headers=no_colon, extra_environ=from_address("10.0.0.1"), status=401)
    app.get("/", headers=basic_auth("editor", "editor-pw"),
            extra_environ=from_address("10.0.0.1"), status=200)
