"""Publishing by traversal over HTTP: items, default views, HEAD, 404, 405, 406."""

import pytest
import webob
import ZODB
from webtest import TestApp

import objweb
from objweb import Page
from objweb.content import Item
from support import ADMIN_AUTH

from sample_site import REPORT


def test_a_page_answers_its_html(app, sample):
    response = app.get("/news/hello", status=200)
    assert response.content_type == "text/html" and response.charset.lower() == "utf-8"
    assert "<title>Hello</title>" in response.text and "<p>Hi</p>" in response.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_answers_its_bytes(app, sample):
    response = app.get("/news/report", status=200)
    assert response.body == REPORT and response.content_type == "application/pdf"


def test_a_trailing_slash_reaches_the_same_object(app, sample):
    assert "<p>Hi</p>" in app.get("/news/hello/", status=200).text


def test_an_encoded_slash_separates_segments_as_in_zope(app, sample):
    assert "<p>Hi</p>" in app.get("/news%2Fhello", status=200).text


def test_index_html_is_a_folders_default_view(app, sample):
    with objweb.site(sample) as root:
        root["news"]["index_html"] = Page(title="Front", body="<p>front page</p>")
    assert "<p>front page</p>" in app.get("/news", status=200).text
    as_json = app.get("/news", headers={"Accept": "application/json"}, status=200).json
    assert as_json["@type"] == "Folder"


def test_head_answers_the_headers_of_get(app, sample):
    got = app.get("/news/hello", status=200)
    head = app.head("/news/hello", status=200)
    assert head.body == b""
    assert head.headers["Content-Length"] == got.headers["Content-Length"]
    assert head.content_type == "text/html"


@pytest.mark.parametrize("path", [
    "/nope", "/news/nope", "/news/hello/nope", "/news/nope/deeper", "/news/__parent__",
    "/news/_items", "/news/_count", "/news/title", "/news/keys", "/news/hello/body",
    "/news/aq_parent", "/news/__class__", "/news/hello/__dict__", "/news/../news/hello",
    "/news/@@", "/news/@@nope", "/news/hello/@@nope", "/news/_p_jar", "/news/owner",
    "/acl_users/admin", "/acl_users/_users", "/news/hello/edit",
])
def test_nothing_but_items_and_views_is_published(app, sample, path):
    response = app.get(path, headers=ADMIN_AUTH, status=404)
    assert "There is nothing at this address." in response.text
    assert "Traceback" not in response.text and 'href="http://localhost/"' in response.text


def test_a_missing_object_answers_json_to_json_clients(app, sample):
    response = app.get("/news/nope", headers={"Accept": "application/json"}, status=404)
    assert response.json == {"error": "There is nothing at this address."}


def test_a_path_that_is_not_utf8_is_missing(app, sample):
    response = app.get("/news/%FF", status=404)
    assert "nothing at this address" in response.text


def test_a_method_no_view_answers_is_405_with_allow(app, sample):
    response = app.post("/news/hello", {"a": "b"}, status=405)
    assert response.headers["Allow"] == "DELETE, GET, HEAD, PATCH, PUT"
    assert "POST is not allowed here" in response.text


def test_the_root_cannot_be_deleted(app, sample):
    response = app.delete("/", headers=ADMIN_AUTH, status=405)
    assert response.headers["Allow"] == "GET, HEAD, PATCH, POST, PUT"
    assert response.json == {"error": "the root cannot do this"}


class Memo(Item):
    """A type with a JSON form only, for the 406 answer."""

    type_name = "Memo"


def test_a_type_without_a_browser_page_answers_406(app_with, test_views, db):
    with objweb.site(db) as root:
        root["memo"] = Memo(title="M")
    app = app_with(test_views)
    app.head("/memo", status=406)  # as GET: the method is answered, only not for a browser
    response = app.get("/memo", status=406)
    assert "<p>this object has no page for a browser; ask for application/json</p>" in (
        response.text)
    assert app.get("/memo", headers={"Accept": "application/json"}, status=200).json[
        "@type"] == "Memo"


def test_views_with_a_subpath(app_with, test_views, sample):
    test_views.register(Page, "echo", lambda obj, request: webob.Response(
        "/".join(request.traversal.subpath)), action="view", accepts_subpath=True)
    test_views.register(Page, "plain", lambda obj, request: webob.Response("plain"),
                        action="view")
    app = app_with(test_views)
    assert app.get("/news/hello/@@echo/a/b", status=200).text == "a/b"
    assert app.get("/news/hello/@@plain", status=200).text == "plain"
    app.get("/news/hello/@@plain/a", status=404)


def test_a_database_without_a_site_answers_404():
    db = ZODB.DB(None)
    try:
        app = TestApp(objweb.Application(db))
        response = app.get("/", status=404)
        assert "nothing at this address" in response.text
    finally:
        db.close()


def test_a_request_body_over_the_limit_is_refused_unread(app_with, sample):
    app = app_with(settings=objweb.Settings(max_request_body=100))
    response = app.put("/news/big", b"x" * 101, headers=ADMIN_AUTH, status=413)
    assert "over 100 bytes" in response.text
    app.get("/news/big", status=404)
