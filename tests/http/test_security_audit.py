"""Every change records who made it, where and what: in the transaction and in the log."""

import json
import logging

import pytest
import webob
from webtest import TestApp

import objweb
from objweb import Folder, Page, Settings, UserFolder
from objweb.security.protections import PUBLIC
from support import ADMIN, ADMIN_PASSWORD, BROWSER_ACCEPT, basic_auth, browser_login, csrf_token_in

ADMIN_AUTH = basic_auth(ADMIN, ADMIN_PASSWORD)
FROM = {"REMOTE_ADDR": "192.0.2.7"}


@pytest.fixture
def site(db):
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
        root["team"] = Folder()
        root["team"]["acl_users"] = UserFolder()
        root["team"]["acl_users"].add_user("carol", "carol-pw", roles=["Manager"])
    return db


@pytest.fixture
def audit_lines(caplog):
    caplog.set_level(logging.INFO, logger="objweb.audit")

    def lines():
        return [record.getMessage() for record in caplog.records if record.name == "objweb.audit"]
    return lines


def last_record(db) -> dict:
    """The metadata of the last transaction, read back from the storage."""
    last = db.lastTransaction()
    [record] = list(db.storage.iterator(last, last))
    return {"user_name": record.user, "description": record.description}


def as_text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


CHANGES = [
    ("post", "/news", json.dumps({"@type": "Page", "id": "new", "title": "New"}),
     {"Content-Type": "application/json"}, 201, "added Page /news/new"),
    ("patch", "/news/hello", json.dumps({"title": "Changed"}),
     {"Content-Type": "application/json"}, 204, "changed title of /news/hello"),
    ("delete", "/news/hello", None, {}, 204, "deleted /news/hello"),
    ("put", "/news/file.txt", b"bytes", {"Content-Type": "text/plain"}, 201,
     "uploaded /news/file.txt"),
    ("put", "/news/hello", b"<p>new</p>", {"Content-Type": "text/html"}, 204,
     "replaced /news/hello"),
]


@pytest.mark.parametrize("method,path,body,headers,status,note", CHANGES,
                         ids=[f"{c[0]} {c[1]}" for c in CHANGES])
def test_a_change_records_user_and_note_in_the_transaction(site, app, method, path, body,
                                                           headers, status, note):
    call = getattr(app, method)
    args = (path, body) if body is not None else (path,)
    call(*args, headers={**ADMIN_AUTH, **headers}, extra_environ=FROM, status=status)
    record = last_record(site)
    assert as_text(record["user_name"]) == "/ admin"
    assert as_text(record["description"]) == f"{method.upper()} {path}\n{note}"


@pytest.mark.parametrize("method,path,body,headers,status,note", CHANGES,
                         ids=[f"{c[0]} {c[1]}" for c in CHANGES])
def test_a_change_writes_one_audit_line(site, app, audit_lines, method, path, body, headers,
                                        status, note):
    call = getattr(app, method)
    args = (path, body) if body is not None else (path,)
    call(*args, headers={**ADMIN_AUTH, **headers}, extra_environ=FROM, status=status)
    assert audit_lines() == [f"admin@/ from 192.0.2.7: {method.upper()} {path}: {note}"]


def test_a_user_of_a_nested_folder_is_recorded_with_it(site, app, audit_lines):
    app.patch("/team", json.dumps({"title": "Team"}),
              headers={**basic_auth("carol", "carol-pw"), "Content-Type": "application/json"},
              extra_environ=FROM, status=204)
    assert as_text(last_record(site)["user_name"]) == "/team carol"
    assert audit_lines()[-1].startswith("carol@/team from 192.0.2.7: PATCH /team:")


def test_a_session_change_is_recorded_like_any_other(site, app, audit_lines):
    token = browser_login(app, ADMIN, ADMIN_PASSWORD)
    app.patch("/news/hello", json.dumps({"title": "Changed"}),
              headers={"Content-Type": "application/json", "X-CSRF-Token": token}, status=204)
    assert as_text(last_record(site)["user_name"]) == "/ admin"
    assert audit_lines()[-1].endswith("PATCH /news/hello: changed title of /news/hello")


def test_an_anonymous_change_is_recorded_as_anonymous(site, app, db, audit_lines):
    with objweb.site(db) as root:
        root["news"].manage_permission("Add objects", roles=["Anonymous"])
    app.put("/news/note.txt", b"hi", headers={"Content-Type": "text/plain"}, extra_environ=FROM,
            status=201)
    assert as_text(last_record(site)["user_name"]) == "/ Anonymous User"
    assert audit_lines()[-1] == "Anonymous from 192.0.2.7: PUT /news/note.txt: uploaded /news/note.txt"


def test_a_change_without_a_note_and_a_noted_read_are_recorded_too(site, db, app_with,
                                                                   test_views, audit_lines):
    """Any unsafe request is a change, whatever its view noted; a safe one that
    notes what it did (a counted visit) is one too."""
    def quiet_change(obj, request):
        obj.title = "Changed quietly"
        return webob.Response("done")

    def noted_read(obj, request):
        obj.title = "Visited"
        request.connection.transaction_manager.get().note("counted a visit")
        return webob.Response("seen")
    test_views.register(Page, "quiet", quiet_change, action=PUBLIC, methods=("POST",))
    test_views.register(Page, "visit", noted_read, action=PUBLIC, methods=("GET",))
    app = app_with(test_views)
    app.post("/news/hello/@@quiet", extra_environ=FROM, status=200)
    assert last_record(db) == {"user_name": b"/ Anonymous User",
                               "description": b"POST /news/hello/@@quiet"}
    app.get("/news/hello/@@visit", extra_environ=FROM, status=200)
    assert last_record(db) == {"user_name": b"/ Anonymous User",
                               "description": b"GET /news/hello/@@visit\ncounted a visit"}
    assert audit_lines() == [
        "Anonymous from 192.0.2.7: POST /news/hello/@@quiet: (no note)",
        "Anonymous from 192.0.2.7: GET /news/hello/@@visit: counted a visit"]


def test_refused_and_read_only_requests_record_nothing(site, app, audit_lines):
    before = site.lastTransaction()
    app.get("/news/hello", extra_environ=FROM, status=200)
    app.get("/news", headers={**ADMIN_AUTH, "Accept": "application/json"}, status=200)
    app.patch("/news/hello", json.dumps({"title": "x"}),
              headers={"Content-Type": "application/json"}, status=401)
    app.patch("/news/hello", json.dumps({"nope": "x"}),
              headers={**ADMIN_AUTH, "Content-Type": "application/json"}, status=400)
    assert site.lastTransaction() == before
    assert audit_lines() == []


def test_logins_and_logouts_are_logged(site, app, audit_lines):
    form = app.get("/@@login", headers=BROWSER_ACCEPT, extra_environ=FROM, status=200).forms[0]
    form["login"], form["password"] = ADMIN, "wrong"
    form.submit(headers=BROWSER_ACCEPT, extra_environ=FROM, status=401)
    form["login"], form["password"] = "nobody", "wrong"
    form.submit(headers=BROWSER_ACCEPT, extra_environ=FROM, status=401)
    form["login"], form["password"] = ADMIN, ADMIN_PASSWORD
    form.submit(headers=BROWSER_ACCEPT, extra_environ=FROM, status=303)
    app.post("/@@logout", {"csrf_token": "wrong"}, extra_environ=FROM, status=403)
    token = csrf_token_in(app.get("/@@logout", status=200).text)
    app.post("/@@logout", {"csrf_token": token}, extra_environ=FROM, status=303)
    app.get("/", headers=basic_auth("nobody", "x"), extra_environ=FROM, status=401)
    lines = audit_lines()
    assert "Anonymous from 192.0.2.7: failed login as 'admin'" in lines
    assert "Anonymous from 192.0.2.7: failed login with an unknown user name" in lines
    assert "admin@/ from 192.0.2.7: logged in" in lines
    assert "admin@/ from 192.0.2.7: refused POST /@@logout: no valid CSRF token" in lines
    assert "admin@/ from 192.0.2.7: logged out" in lines
    assert "Anonymous from 192.0.2.7: refused HTTP Basic credentials" in lines
    assert not any("nobody" in line for line in lines)


def test_the_logout_is_in_the_undo_log(site, app):
    token = browser_login(app, ADMIN, ADMIN_PASSWORD)
    app.post("/@@logout", {"csrf_token": token}, status=303)
    record = last_record(site)
    assert as_text(record["user_name"]) == "/ admin"
    assert as_text(record["description"]) == "POST /@@logout\nlogged out"


def test_an_audit_line_is_always_one_line(site, app, audit_lines):
    path = "/VirtualHostBase/http/example.com/VirtualHostRoot/_vh_a%0D%0AFAKE/news/hello"
    front = TestApp(objweb.make_app(site, Settings(trusted_proxies="127.0.0.1")))
    front.patch(path, json.dumps({"title": "x"}), extra_environ={"REMOTE_ADDR": "127.0.0.1"},
                headers={**ADMIN_AUTH, "Content-Type": "application/json"}, status=204)
    form = app.get("/@@login", headers=BROWSER_ACCEPT, status=200).forms[0]
    form["login"], form["password"] = "admin\nFAKE", "x"
    form.submit(headers=BROWSER_ACCEPT, status=401)
    lines = audit_lines()
    assert len(lines) == 2
    assert "\\x0d\\x0aFAKE" in lines[0]
    for line in lines:
        assert "\n" not in line and "\r" not in line


def test_a_login_to_a_nested_folder_is_logged_with_it(site, app, audit_lines):
    form = app.get("/team/@@login", headers=BROWSER_ACCEPT, extra_environ=FROM, status=200).forms[0]
    form["login"], form["password"] = "carol", "carol-pw"
    form.submit(headers=BROWSER_ACCEPT, extra_environ=FROM, status=303)
    assert "carol@/team from 192.0.2.7: logged in" in audit_lines()
