"""The management screens carry the headers of objweb.security.headers, and obey sessions."""

import re

import pytest

import objweb
from objweb import Folder, Page
from objweb.security.headers import LOGIN_CSP, MANAGEMENT_HEADERS
from support import (
    ADMIN, ADMIN_PASSWORD, BROWSER_ACCEPT, basic_auth, browser_login, csrf_token_in,
    tampered)

ADMIN_AUTH = basic_auth(ADMIN, ADMIN_PASSWORD)
SCREENS = [
    ("/manage", 303), ("/news/manage", 303), ("/news/manage_contents", 200),
    ("/news/hello/manage_edit", 200), ("/news/manage_security", 200),
    ("/acl_users/manage_users", 200), ("/manage_undo", 200), ("/manage_find", 200),
    ("/manage_control", 200), ("/manage_importexport", 200),
    ("/news/manage_add?type=Page", 200), ("/manage_tree", 200),
    ("/news/hello/manage_properties", 200),
]


@pytest.fixture
def site(db):
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
    return db


@pytest.mark.parametrize("path,status", SCREENS)
def test_every_screen_refuses_framing_and_sends_the_policy(site, app, path, status):
    response = app.get(path, headers=ADMIN_AUTH, status=status)
    for name, value in MANAGEMENT_HEADERS.items():
        assert response.headers[name] == value, name
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_screen_after_a_change_carries_them_too(site, app):
    token = browser_login(app, ADMIN, ADMIN_PASSWORD)
    response = app.post("/news/hello/manage_properties",
                        {"command": "save", "title": "Changed", "csrf_token": token}, status=303)
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_browser_without_credentials_is_asked_to_log_in_and_comes_back(site, app):
    page = app.get("/news/manage_contents", headers=BROWSER_ACCEPT, status=401)
    assert page.headers["Content-Security-Policy"] == LOGIN_CSP
    form = page.forms[0]
    assert form["came_from"].value == "/news/manage_contents"
    form["login"], form["password"] = ADMIN, ADMIN_PASSWORD
    response = form.submit(headers=BROWSER_ACCEPT, status=303)
    assert response.location == "http://localhost/news/manage_contents"
    assert "hello" in response.follow(headers=BROWSER_ACCEPT, status=200).text


def test_screens_carry_the_session_token_and_refuse_a_post_without_it(site, app, db):
    token = browser_login(app, ADMIN, ADMIN_PASSWORD)
    page = app.get("/news/hello/manage_properties", status=200)
    assert csrf_token_in(page.text) == token
    before = db.lastTransaction()
    app.post("/news/hello/manage_properties", {"command": "save", "title": "Pwned"}, status=403)
    app.post("/news/hello/manage_properties", {"command": "save", "title": "Pwned",
                                               "csrf_token": tampered(token)}, status=403)
    assert db.lastTransaction() == before
    with objweb.site(db) as root:
        assert root["news"]["hello"].title == "Hello"


def test_an_editor_may_not_reach_the_security_screen(site, app, db):
    with objweb.site(db) as root:
        root["acl_users"].add_user("editor", "editor-pw", roles=["Editor"])
    app.get("/news/manage_contents", headers=basic_auth("editor", "editor-pw"), status=200)
    app.get("/news/manage_security", headers=basic_auth("editor", "editor-pw"), status=403)
    app.get("/acl_users/manage_users", headers=basic_auth("editor", "editor-pw"), status=403)


def test_no_screen_shows_a_password_hash(site, app, db):
    with objweb.site(db) as root:
        hashes = [root["acl_users"].get_user(ADMIN).password_hash]
    texts = [app.get(path, headers=ADMIN_AUTH, status=status).text for path, status in SCREENS]
    texts.append(app.get("/acl_users/manage_user?name=admin", headers=ADMIN_AUTH,
                         status=200).text)
    for text in texts:
        assert not any(value in text for value in hashes)
        assert not re.search(r"\$argon2", text)
