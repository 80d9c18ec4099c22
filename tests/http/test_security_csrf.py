"""CSRF: every state change a browser session makes carries the session's token.

Each door that changes state is tried three ways with a session: without a
token, with a wrong one, and with the right one (as the header, and as the
form field where a form can be sent). Refusals answer 403 and leave the
database exactly as it was; Basic-auth clients need no token.
"""

import json
import time

import pytest
from webtest import TestApp

import objweb
from objweb import File, Folder, Page
from objweb.security import csrf
from support import (
    ADMIN, ADMIN_PASSWORD, BROWSER_ACCEPT, basic_auth, basic_csrf_token, browser_login,
    csrf_token_in, tampered)


@pytest.fixture
def site(db):
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
        root["news"]["data"] = File(title="Data", data=b"old", content_type="text/plain")
    return db


@pytest.fixture
def session_app(site, app):
    """The app logged in as the Manager through the form; `.token` is the session's token."""
    app.token = browser_login(app, ADMIN, ADMIN_PASSWORD)
    return app


def json_headers(token=None) -> dict:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token is not None:
        headers["X-CSRF-Token"] = token
    return headers


# Each door: (name, function(app, headers) -> response, status on success).
DOORS = {
    "json-create": (lambda app, headers, status: app.post(
        "/news", json.dumps({"@type": "Page", "id": "new", "title": "New"}),
        headers=json_headers() | headers, status=status), 201),
    "json-patch": (lambda app, headers, status: app.patch(
        "/news/hello", json.dumps({"title": "Changed"}), headers=json_headers() | headers,
        status=status), 204),
    "json-delete": (lambda app, headers, status: app.delete(
        "/news/hello", headers={"Accept": "application/json"} | headers, status=status), 204),
    "put-create": (lambda app, headers, status: app.put(
        "/news/upload.txt", b"new file", headers={"Content-Type": "text/plain"} | headers,
        status=status), 201),
    "put-replace": (lambda app, headers, status: app.put(
        "/news/data", b"new data", headers={"Content-Type": "text/plain"} | headers,
        status=status), 204),
}


def snapshot(db) -> tuple:
    """What the site holds, as plain values, to compare before and after."""
    with objweb.site(db) as root:
        news = root["news"]
        return (sorted(news.keys()), news["hello"].title if "hello" in news else None,
                news["data"].data, db.lastTransaction())


@pytest.mark.parametrize("door", sorted(DOORS))
def test_a_session_without_a_token_is_refused_and_nothing_changes(session_app, site, door):
    call, _ = DOORS[door]
    before = snapshot(site)
    response = call(session_app, {}, 403)
    assert "did not come from this site" in response.text
    assert snapshot(site) == before


@pytest.mark.parametrize("door", sorted(DOORS))
def test_a_session_with_a_wrong_token_is_refused_and_nothing_changes(session_app, site, door):
    call, _ = DOORS[door]
    before = snapshot(site)
    call(session_app, {"X-CSRF-Token": tampered(session_app.token)}, 403)
    assert snapshot(site) == before


@pytest.mark.parametrize("door", sorted(DOORS))
def test_a_token_of_another_session_is_refused(session_app, site, door):
    other = TestApp(objweb.make_app(site))
    other_token = browser_login(other, ADMIN, ADMIN_PASSWORD)
    assert other_token != session_app.token
    call, _ = DOORS[door]
    before = snapshot(site)
    call(session_app, {"X-CSRF-Token": other_token}, 403)
    assert snapshot(site) == before


@pytest.mark.parametrize("door", sorted(DOORS))
def test_a_session_with_its_token_header_succeeds(session_app, site, door):
    call, status = DOORS[door]
    before = snapshot(site)
    call(session_app, {"X-CSRF-Token": session_app.token}, status)
    assert snapshot(site) != before


@pytest.mark.parametrize("door", sorted(DOORS))
def test_basic_auth_needs_no_token(site, app, door):
    call, status = DOORS[door]
    before = snapshot(site)
    call(app, basic_auth(ADMIN, ADMIN_PASSWORD), status)
    assert snapshot(site) != before


def test_the_token_may_come_as_a_form_field(session_app, site):
    before = snapshot(site)
    session_app.post("/@@logout", {"csrf_token": "wrong"}, status=403)
    assert snapshot(site) == before
    session_app.post("/@@logout", {"csrf_token": session_app.token}, status=303)
    session_app.get("/news/hello", headers=BROWSER_ACCEPT, status=200)


def test_a_form_field_in_a_json_body_does_not_count(session_app, site):
    before = snapshot(site)
    body = json.dumps({"@type": "Page", "id": "new", "csrf_token": session_app.token})
    session_app.post("/news", body, headers=json_headers(), status=403)
    assert snapshot(site) == before


def test_a_multipart_form_carries_the_token_too(session_app, site):
    session_app.post("/@@logout", {"csrf_token": session_app.token},
                     upload_files=[("attachment", "a.txt", b"x")], status=303)
    assert "You are not logged in." in session_app.get("/@@logout", status=200).text


def test_logout_without_a_token_keeps_the_session(session_app, site):
    session_app.post("/@@logout", status=403)
    assert "You are logged in as" in session_app.get("/@@logout", status=200).text


def test_safe_methods_need_no_token(session_app, site):
    session_app.get("/news/hello", status=200)
    session_app.head("/news/hello", status=200)
    session_app.get("/news", headers={"Accept": "application/json"}, status=200)


def test_a_token_from_a_page_matches_the_session(session_app, site):
    page = session_app.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    assert csrf_token_in(page.text) == session_app.token


def test_login_form_without_its_token_is_refused(site, app):
    before = snapshot(site)
    response = app.post("/@@login", {"login": ADMIN, "password": ADMIN_PASSWORD,
                                     "came_from": "/"}, headers=BROWSER_ACCEPT, status=403)
    # The one refusal every missing or wrong token gets, the login form's included.
    assert "did not come from this site" in response.text
    assert "objweb_session" not in app.cookies
    assert snapshot(site) == before


def test_login_form_token_needs_its_own_nonce_cookie(site, app):
    page = app.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    token = page.forms[0]["csrf_token"].value
    # A page on another site cannot read the victim's nonce: a foreign token fails.
    attacker = TestApp(objweb.make_app(site))
    attacker.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    attacker.post("/@@login", {"login": ADMIN, "password": ADMIN_PASSWORD, "csrf_token": token},
                  headers=BROWSER_ACCEPT, status=403)
    app.set_cookie("objweb_login", "not a nonce!")
    app.post("/@@login", {"login": ADMIN, "password": ADMIN_PASSWORD, "csrf_token": token},
             headers=BROWSER_ACCEPT, status=403)
    assert "objweb_session" not in app.cookies


def test_login_form_works_with_its_nonce(site, app):
    page = app.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    nonce = app.cookies["objweb_login"]
    response = app.post("/@@login", {"login": ADMIN, "password": ADMIN_PASSWORD,
                                     "csrf_token": page.forms[0]["csrf_token"].value},
                        headers=BROWSER_ACCEPT, status=303)
    assert "objweb_session" in app.cookies
    assert response.headers.getall("Set-Cookie")[-1].startswith("objweb_login=;")
    assert nonce


@pytest.mark.parametrize("cookie", ["short", "a" * 65, "has spaces in it ok", "a" * 20 + ";"])
def test_a_malformed_login_cookie_is_replaced(site, app, cookie):
    app.set_cookie("objweb_login", cookie)
    app.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    nonce = app.cookies["objweb_login"]
    assert nonce != cookie and 16 <= len(nonce) <= 64


@pytest.mark.parametrize("method", ["post", "patch"])
def test_json_verbs_need_the_json_content_type(site, app, method):
    before = snapshot(site)
    call = getattr(app, method)
    url = "/news" if method == "post" else "/news/hello"
    auth = basic_auth(ADMIN, ADMIN_PASSWORD)
    response = call(url, json.dumps({"@type": "Page", "id": "x", "title": "x"}),
                    headers={**auth, "Content-Type": "text/plain", "Accept": "application/json",
                             "X-CSRF-Token": basic_csrf_token(app, auth)}, status=415)
    assert "application/json" in response.json["error"]
    assert snapshot(site) == before


def test_a_cross_site_form_post_as_json_is_refused_even_with_basic(site, app):
    before = snapshot(site)
    response = app.post("/news", {"@type": "Page", "id": "x"},
                        headers={**basic_auth(ADMIN, ADMIN_PASSWORD),
                                 "Accept": "application/json"}, status=403)
    assert "did not come from this site" in response.json["error"]
    assert snapshot(site) == before


def test_templates_and_scripts_can_make_forms_for_logged_in_visitors(site, db, app):
    from objweb import Script, Template
    with objweb.site(db) as root:
        root["form"] = Template(source='<form method="post" action="save">'
                                       '<input name="csrf_token" value="${request/csrf_token}">'
                                       '</form>')
        root["save"] = Script(params="title=''", body="context['news']['hello'].edit(title=title)\n"
                                                      "return 'saved'")
    anonymous_form = app.get("/form", status=200).text
    assert 'value=""' in anonymous_form
    token = browser_login(app, ADMIN, ADMIN_PASSWORD)
    assert csrf_token_in(app.get("/form", status=200).text) == token
    before = snapshot(site)
    app.post("/save", {"title": "Saved"}, status=403)
    assert snapshot(site) == before
    assert app.post("/save", {"title": "Saved", "csrf_token": token}, status=200).text == "saved"
    with objweb.site(db) as root:
        assert root["news"]["hello"].title == "Saved"


# Form doors under Basic credentials: (path, fields, status with the token). A
# browser holding cached Basic credentials sends them with a form another site
# posts, so every form needs the token whatever the credentials.
BASIC_FORM_DOORS = {
    "script": ("/save", {"title": "Saved"}, 200),
    "proxy-roles": ("/save/@@proxy-roles", {"roles": "Manager"}, 200),
    "management screen": ("/news/manage_properties", {"command": "save", "title": "Saved"}, 303),
    "logout": ("/@@logout", {}, 303),
    "login": ("/@@login", {"login": ADMIN, "password": ADMIN_PASSWORD}, 303),
    "json verb sent as a form": ("/news", {"@type": "Page", "id": "x"}, 415),
}


@pytest.fixture
def form_site(site, db):
    from objweb import Script
    with objweb.site(db) as root:
        root["save"] = Script(params="title=''", body="context['news'].edit(title=title or "
                                                      "'Saved')\nreturn 'saved'")
    return db


def form_snapshot(db) -> tuple:
    with objweb.site(db) as root:
        return snapshot(db), root["news"].title, root["save"].proxy_roles


@pytest.mark.parametrize("door", sorted(BASIC_FORM_DOORS))
@pytest.mark.parametrize("upload", [False, True], ids=["urlencoded", "multipart"])
def test_a_form_with_basic_credentials_needs_the_token(form_site, app, door, upload):
    path, fields, status = BASIC_FORM_DOORS[door]
    auth = basic_auth(ADMIN, ADMIN_PASSWORD)
    files = [("attachment", "a.txt", b"x")] if upload else []
    before = form_snapshot(form_site)
    response = app.post(path, fields, headers=auth, upload_files=files, status=403)
    assert "did not come from this site" in response.text
    assert form_snapshot(form_site) == before
    token = basic_csrf_token(app, auth)
    app.post(path, {**fields, "csrf_token": token}, headers=auth, upload_files=files,
             status=status)


@pytest.mark.parametrize("content_type", ["text/plain", "TEXT/PLAIN; charset=utf-8", ""])
def test_a_text_post_with_basic_credentials_needs_the_token_as_a_header(form_site, app,
                                                                        content_type):
    auth = basic_auth(ADMIN, ADMIN_PASSWORD)
    before = form_snapshot(form_site)
    headers = {**auth, "Content-Type": content_type}
    app.post("/save?title=Plain", b"csrf_token=x", headers=headers, status=403)
    assert form_snapshot(form_site) == before
    headers["X-CSRF-Token"] = basic_csrf_token(app, auth)
    assert app.post("/save?title=Plain", b"", headers=headers, status=200).text == "saved"


def test_a_basic_token_lasts_one_window_more_and_no_longer(form_site, app, monkeypatch):
    auth = basic_auth(ADMIN, ADMIN_PASSWORD)
    start = time.time()
    monkeypatch.setattr(csrf, "clock", lambda: start)
    token = basic_csrf_token(app, auth)
    monkeypatch.setattr(csrf, "clock", lambda: start + csrf.BASIC_TOKEN_WINDOW)
    app.post("/save", {"title": "Later", "csrf_token": token}, headers=auth, status=200)
    monkeypatch.setattr(csrf, "clock", lambda: start + 2 * csrf.BASIC_TOKEN_WINDOW)
    app.post("/save", {"title": "Too late", "csrf_token": token}, headers=auth, status=403)


def test_a_basic_token_is_the_user_s_own_and_ends_with_the_password(form_site, app):
    with objweb.site(form_site) as root:
        root["acl_users"].add_user("second", "pw-second-1234", roles=["Manager"])
    second = basic_auth("second", "pw-second-1234")
    token = basic_csrf_token(app, second)
    admin_token = basic_csrf_token(app, basic_auth(ADMIN, ADMIN_PASSWORD))
    app.post("/save", {"csrf_token": admin_token}, headers=second, status=403)
    with objweb.site(form_site) as root:
        root["acl_users"].set_password("second", "pw-second-5678")
    changed = basic_auth("second", "pw-second-5678")
    app.post("/save", {"csrf_token": token}, headers=changed, status=403)
    app.post("/save", {"csrf_token": basic_csrf_token(app, changed)}, headers=changed, status=200)


def test_json_with_basic_credentials_needs_no_token(form_site, app):
    # A page of another site cannot send JSON without asking the site first.
    response = app.post_json("/save/@@proxy-roles", {"roles": ["Manager"]},
                             headers=basic_auth(ADMIN, ADMIN_PASSWORD), status=200)
    assert response.json == {"proxy_roles": ["Manager"]}


def test_every_door_refuses_a_token_with_the_one_sentence_once(session_app, site, app):
    from objweb.security.csrf import REFUSAL
    before = snapshot(site)
    screen = session_app.post("/news/manage_contents", {"command": "delete", "names": "hello",
                                                   "csrf_token": "wrong"},
                              headers=BROWSER_ACCEPT, status=403)
    api = DOORS["json-delete"][0](session_app, {}, 403)
    session_app.reset()
    login = session_app.post("/@@login", {"login": ADMIN, "password": ADMIN_PASSWORD},
                             headers=BROWSER_ACCEPT, status=403)
    assert screen.text.count(REFUSAL) == 1 and login.text.count(REFUSAL) == 1
    assert api.json["error"] == REFUSAL
    assert snapshot(site) == before
