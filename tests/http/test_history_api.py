"""The history of a source as JSON: the list, one revision with its source, and revert."""

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script, Template
from objweb.content.revisions import revisions_of
from support import ADMIN, ADMIN_AUTH, basic_auth, browser_login

EDITOR_AUTH = basic_auth("editor", "ed-Pw-123")
CODER_AUTH = basic_auth("coder", "co-Pw-123")


@pytest.fixture
def app(db):
    with objweb.site(db, user=ADMIN) as root:
        users = root["acl_users"]
        users.add_user("editor", "ed-Pw-123", roles=["Editor"])
        users.add_user("coder", "co-Pw-123", roles=["Manager"])
        root.add("news", Folder(title="News"))
        root["news"].add("greet", Script(params="name='world'", body="return 'Hi ' + name"))
        root["news"].add("view", Template(source="<p>one</p>"))
        root["news"].add("page", Page(body="<p>one</p>"))
    with objweb.site(db, user="coder") as root:
        root["news"]["greet"].edit(body="return 'Hello ' + name")
        root["news"]["view"].edit(source="<p>two</p>")
        root["news"]["page"].edit(body="<p>two</p>")
    return TestApp(objweb.make_app(db))


def read(db, function):
    with objweb.site(db) as root:
        return function(root["news"])


def test_the_history_lists_the_revisions_newest_first(app):
    response = app.get("/news/greet/@@history", headers=ADMIN_AUTH, status=200)
    assert response.content_type == "application/json"
    items = response.json["items"]
    assert [(item["id"], item["author"], item["note"]) for item in items] == [
        (2, "coder", ""), (1, ADMIN, "")]
    assert items[0]["time"].endswith("+00:00")


def test_one_revision_adds_its_source_with_the_parameters_header(app):
    response = app.get("/news/greet/@@history/1", headers=ADMIN_AUTH, status=200)
    assert response.json["source"] == "## parameters=name='world'\nreturn 'Hi ' + name"
    assert response.json["id"] == 1 and response.json["author"] == ADMIN
    page = app.get("/news/page/@@history/2", headers=ADMIN_AUTH, status=200)
    assert page.json["source"] == "<p>two</p>"


@pytest.mark.parametrize("path", ["/news/greet/@@history/9", "/news/greet/@@history/x",
                                  "/news/greet/@@history/1/2", "/news/@@history",
                                  "/news/@@revert"])
def test_what_is_not_a_kept_revision_is_missing(app, path):
    if path.endswith("revert"):
        app.post_json(path, {"revision": 1}, headers=ADMIN_AUTH, status=404)
    else:
        app.get(path, headers=ADMIN_AUTH, status=404)


def test_revert_makes_an_old_source_current_as_a_new_revision(app, db):
    response = app.post_json("/news/greet/@@revert", {"revision": 1, "note": "back"},
                             headers=CODER_AUTH, status=200)
    assert (response.json["id"], response.json["author"], response.json["note"]) == (
        3, "coder", "reverted to revision 1: back")
    assert app.get("/news/greet", {"name": "you"}, status=200).text == "Hi you"
    assert read(db, lambda news: [revision.id for revision in revisions_of(news["greet"])]) \
        == [3, 2, 1]


def test_the_reverter_of_code_becomes_its_owner(app, db):
    assert read(db, lambda news: news["greet"].owner) == "coder"
    app.post_json("/news/greet/@@revert", {"revision": 1}, headers=ADMIN_AUTH, status=200)
    assert read(db, lambda news: news["greet"].owner) == ADMIN


@pytest.mark.parametrize("body,fragment", [
    ({}, "revision: give the id"), ({"revision": "1"}, "revision: give the id"),
    ({"revision": True}, "revision: give the id"), ({"revision": 7}, "there is no revision 7"),
    ({"revision": 2}, "is the current source already"), ({"revision": 1, "x": 1}, "x: a revert"),
    ({"revision": 1, "note": 5}, "a note is text"),
])
def test_a_bad_revert_answers_400_and_changes_nothing(app, db, body, fragment):
    response = app.post_json("/news/greet/@@revert", body, headers=ADMIN_AUTH, status=400)
    assert fragment in response.json["error"]
    assert read(db, lambda news: len(revisions_of(news["greet"]))) == 2


def test_a_revert_of_a_page_cleans_what_the_reverter_may_not_write(app, db):
    with objweb.site(db, user=ADMIN) as root:
        root["news"]["page"].edit(body="<p>three</p><script>alert(1)</script>")
        root["news"]["page"].edit(body="<p>four</p>")
    app.post_json("/news/page/@@revert", {"revision": 3}, headers=EDITOR_AUTH, status=200)
    assert read(db, lambda news: news["page"].body) == "<p>three</p>"


@pytest.mark.parametrize("auth,status", [({}, 401), (EDITOR_AUTH, 200)])
def test_reading_a_page_s_history_needs_the_right_to_manage_it(app, auth, status):
    app.get("/news/page/@@history", headers=auth, status=status)


@pytest.mark.parametrize("auth,status", [({}, 401), (EDITOR_AUTH, 403), (CODER_AUTH, 200)])
def test_reverting_code_needs_the_right_to_change_code(app, db, auth, status):
    app.post_json("/news/view/@@revert", {"revision": 1}, headers=auth, status=status)
    expected = "<p>one</p>" if status == 200 else "<p>two</p>"
    assert read(db, lambda news: news["view"].source) == expected


def test_an_editor_without_manage_rights_here_reads_no_history(app, db):
    with objweb.site(db) as root:
        root["news"]["page"].manage_permission("View management screens", ["Manager"],
                                               acquire=False)
    app.get("/news/page/@@history", headers=EDITOR_AUTH, status=403)
    app.get("/news/page/@@history/1", headers=EDITOR_AUTH, status=403)


def test_a_browser_s_revert_needs_the_csrf_token(app, db):
    browser_login(app, "coder", "co-Pw-123")
    app.post_json("/news/greet/@@revert", {"revision": 1}, status=403)
    assert read(db, lambda news: len(revisions_of(news["greet"]))) == 2
