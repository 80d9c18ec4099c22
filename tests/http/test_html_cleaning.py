"""HTML written by users without `Write unfiltered HTML` is cleaned at every door.

A Page's body is served from the origin of the management screens, so what
an Editor writes there must not run. Each door that writes HTML (the JSON
API, PUT, the add and edit screens) cleans it and says what went; a Manager,
or anyone given the permission, keeps HTML as written.
"""

import json

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page
from objweb.content import registry
from objweb.content.base import Item
from objweb.content.schema import Field
from objweb.security.permissions import WRITE_UNFILTERED_HTML
from support import ADMIN_AUTH, basic_auth, basic_csrf_token, browser_login

EDITOR = basic_auth("editor", "editor-pw")
JSON = {"Content-Type": "application/json", "Accept": "application/json"}
SCRIPTED = ('<h2 class="lead" id="top">Hi</h2><script>steal()</script>'
            '<a href="javascript:steal()">x</a><p onclick="steal()">text</p>')
REMOVED = ["<script>", "a javascript: URL", "onclick= on <p>"]


@pytest.fixture
def site(db):
    with objweb.site(db) as root:
        root["acl_users"].add_user("editor", "editor-pw", roles=["Editor"])
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
        root["trusted"] = Folder(title="Trusted")
        root["trusted"].manage_permission(WRITE_UNFILTERED_HTML, ["Editor"])
    return db


def body_of(db, path: str) -> str:
    with objweb.site(db) as root:
        return objweb.find(root, path).body


def assert_clean(body: str) -> None:
    assert '<h2 class="lead" id="top">Hi</h2>' in body and "<p>text</p>" in body
    assert "steal" not in body and "<script" not in body


def test_json_create_cleans_and_says_what_went(site, app):
    response = app.post("/news", json.dumps({"@type": "Page", "id": "p", "body": SCRIPTED}),
                        headers={**EDITOR, **JSON}, status=201)
    assert response.json["@removed"] == {"body": REMOVED}
    assert_clean(response.json["body"])
    assert_clean(body_of(site, "/news/p"))


def test_json_patch_cleans_and_says_what_went(site, app):
    response = app.patch("/news/hello", json.dumps({"body": SCRIPTED}),
                         headers={**EDITOR, **JSON}, status=204)
    assert json.loads(response.headers["Objweb-Removed"]) == {"body": REMOVED}
    assert_clean(body_of(site, "/news/hello"))
    fine = app.patch("/news/hello", json.dumps({"body": "<p>fine</p>"}),
                     headers={**EDITOR, **JSON}, status=204)
    assert "Objweb-Removed" not in fine.headers


def test_put_of_html_cleans_a_new_page_and_a_replaced_one(site, app):
    html = {**EDITOR, "Content-Type": "text/html; charset=utf-8"}
    created = app.put("/news/put", SCRIPTED.encode(), headers=html, status=201)
    assert created.json["@removed"] == {"body": REMOVED}
    assert_clean(body_of(site, "/news/put"))
    replaced = app.put("/news/hello", SCRIPTED.encode(), headers=html, status=204)
    assert json.loads(replaced.headers["Objweb-Removed"]) == {"body": REMOVED}
    assert_clean(body_of(site, "/news/hello"))


def test_the_edit_screen_cleans_and_tells_the_editor(site, app):
    token = browser_login(app, "editor", "editor-pw")
    saved = app.post("/news/hello/manage_edit", {"command": "save", "title": "Hello",
                                                 "body": SCRIPTED, "csrf_token": token},
                     status=303)
    message = saved.follow(status=200).text
    assert "Saved your changes." in message and "Write unfiltered HTML" in message
    assert "&lt;script&gt;, a javascript: URL, onclick= on &lt;p&gt; from the body" in message
    assert_clean(body_of(site, "/news/hello"))


def test_comments_go_too(site, app):
    response = app.patch("/news/hello", json.dumps({"body": "<p>a</p><!-- <script>x</script> -->"}),
                         headers={**EDITOR, **JSON}, status=204)
    assert json.loads(response.headers["Objweb-Removed"]) == {"body": ["comments"]}
    assert body_of(site, "/news/hello") == "<p>a</p>"


def test_clean_html_is_saved_without_a_word(site, app):
    token = browser_login(app, "editor", "editor-pw")
    saved = app.post("/news/hello/manage_edit", {"command": "save", "title": "Hello",
                                                 "body": "<p>Plain</p>", "csrf_token": token},
                     status=303)
    assert "removed" not in saved.follow(status=200).text
    assert body_of(site, "/news/hello") == "<p>Plain</p>"


@pytest.mark.parametrize("auth, path", [(ADMIN_AUTH, "/news"), (EDITOR, "/trusted")])
def test_the_permission_keeps_html_as_written(site, app, auth, path):
    response = app.post(path, json.dumps({"@type": "Page", "id": "p", "body": SCRIPTED}),
                        headers={**auth, **JSON}, status=201)
    assert "@removed" not in response.json
    assert body_of(site, f"{path}/p") == SCRIPTED
    token = basic_csrf_token(app, auth)
    app.post(f"{path}/p/manage_edit", {"command": "save", "title": "P", "body": SCRIPTED,
                                       "csrf_token": token}, headers=auth, status=303)
    assert body_of(site, f"{path}/p") == SCRIPTED


class Recipe(Item):
    """An extension's type with HTML of its own."""

    type_name = "CleaningRecipe"
    fields = Item.fields + (Field("steps", "html", "Steps"),)

    def __init__(self, title: str = "", steps: str = ""):
        super().__init__(title)
        self.steps = steps


def test_any_field_of_kind_html_is_cleaned(site, app, monkeypatch):
    monkeypatch.setitem(registry._types, Recipe.type_name, Recipe)
    response = app.post("/news", json.dumps({"@type": "CleaningRecipe", "id": "r",
                                             "steps": SCRIPTED}),
                        headers={**EDITOR, **JSON}, status=201)
    assert response.json["@removed"] == {"steps": REMOVED}
    assert "steal" not in response.json["steps"]


def test_a_title_is_text_wherever_it_is_shown(site, app):
    title = '<script>steal()</script>"><img src=x onerror=steal()>'
    app.patch("/news/hello", json.dumps({"title": title}), headers={**EDITOR, **JSON},
              status=204)
    for path in ("/news/hello", "/news", "/news/hello/manage_edit", "/news/manage_contents"):
        text = TestApp(app.app).get(path, headers=ADMIN_AUTH, status=200).text
        assert "<script>steal" not in text and "<img src=x" not in text, path
