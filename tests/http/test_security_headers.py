"""Security headers: nosniff everywhere, uploads that cannot run, pages that cannot be framed."""

import json

import pytest
import webob
from webtest import TestApp

import objweb
from objweb import File, Folder, Image, Page, Settings
from objweb.content.file import ACTIVE_CONTENT_TYPES
from objweb.security.headers import (
    FRAME_REFUSAL, LOGIN_CSP, MANAGEMENT_CSP, MANAGEMENT_HEADERS, NOSNIFF, PLAIN_PAGE_CSP,
    UPLOAD_SANDBOX_CSP)
from support import ADMIN, ADMIN_PASSWORD, BROWSER_ACCEPT, basic_auth

from sample_site import png_bytes

ADMIN_AUTH = basic_auth(ADMIN, ADMIN_PASSWORD)


@pytest.fixture
def site(db):
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
        root["news"]["logo"] = Image(title="Logo", data=png_bytes(), content_type="image/png")
        root["private"] = Folder()
        root["private"].manage_permission("View", roles=["Manager"], acquire=False)
    return db


def requests_of_every_kind(app):
    """Yield responses of many statuses and kinds."""
    yield app.get("/", status=200)
    yield app.get("/news/hello", status=200)
    yield app.get("/news/logo", status=200)
    yield app.get("/news/logo", headers={"Range": "bytes=0-3"}, status=206)
    etag = app.get("/news/logo", status=200).headers["ETag"]
    yield app.get("/news/logo", headers={"If-None-Match": etag}, status=304)
    yield app.get("/news", headers={"Accept": "application/json"}, status=200)
    yield app.get("/missing", status=404)
    yield app.get("/private", status=401)
    yield app.get("/private", headers=BROWSER_ACCEPT, status=401)
    yield app.get("/private", headers=basic_auth(ADMIN, "wrong"), status=401)
    yield app.put("/news/hello", b"x", headers={**ADMIN_AUTH, "Content-Type": "image/png"},
                  status=400)
    yield app.post("/news/hello", status=405)
    yield app.post("/news", b"{}", headers={**ADMIN_AUTH, "Content-Type": "text/plain"}, status=403)
    yield app.post("/news", b"{}", headers={**ADMIN_AUTH, "Content-Type": "application/xml"},
                   status=415)
    yield app.post("/news", json.dumps({"@type": "Page", "id": "p"}),
                   headers={**ADMIN_AUTH, "Content-Type": "application/json"}, status=201)
    yield app.delete("/news/p", headers=ADMIN_AUTH, status=204)
    yield app.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    yield app.get("/@@logout", status=200)


def test_every_response_says_nosniff(site, app):
    for response in requests_of_every_kind(app):
        assert response.headers["X-Content-Type-Options"] == "nosniff", response.request.url


def test_even_refusals_before_publishing_say_nosniff(site, db):
    app = objweb.make_app(db, Settings(max_request_body=10))
    response = TestApp(app).post("/news", b"x" * 100, headers=ADMIN_AUTH, status=413)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_throttled_answers_say_nosniff(site, db):
    app = TestApp(objweb.make_app(db, Settings(login_attempts=1)))
    app.get("/", headers=basic_auth(ADMIN, "wrong"), status=401)
    response = app.get("/", headers=ADMIN_AUTH, status=429)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


ACTIVE_TYPES = sorted(ACTIVE_CONTENT_TYPES) + [
    "TEXT/HTML; charset=utf-8", " text/html ", "application/rss+xml", "application/atom+xml",
    "application/xslt+xml", "text/xsl", "application/vnd.wap.xhtml+xml", "image/SVG+XML",
]


@pytest.mark.parametrize("content_type", ACTIVE_TYPES)
def test_active_uploads_are_attachments_under_a_sandbox(site, app, db, content_type):
    with objweb.site(db) as root:
        root["news"]["upload"] = File(data=b"<script>alert(document.cookie)</script>",
                                      content_type=content_type)
    response = app.get("/news/upload", headers=BROWSER_ACCEPT, status=200)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"] == UPLOAD_SANDBOX_CSP
    assert "sandbox" in UPLOAD_SANDBOX_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml"])
def test_active_uploads_through_put_are_sandboxed_too(site, app, content_type):
    if content_type == "text/html":
        # HTML PUT makes a Page (editors' own HTML); as a File it must come with a name.
        app.put("/news/evil.htm", b"<script>x</script>",
                headers={**ADMIN_AUTH, "Content-Type": "application/xhtml+xml"}, status=201)
        response = app.get("/news/evil.htm", status=200)
    else:
        app.put("/news/evil.svg", b"<svg onload='x'/>",
                headers={**ADMIN_AUTH, "Content-Type": content_type}, status=201)
        response = app.get("/news/evil.svg", status=200)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"] == UPLOAD_SANDBOX_CSP


@pytest.mark.parametrize("content_type", ["text/plain, text/html", "text/plain;;", "text"])
def test_a_put_with_a_malformed_type_is_refused(site, app, db, content_type):
    response = app.put("/news/upload", b"<b>x</b>",
                       headers={**ADMIN_AUTH, "Content-Type": content_type}, status=400)
    assert "not a content type" in response.json["error"]
    with objweb.site(db) as root:
        assert "upload" not in root["news"]


def test_a_file_is_served_with_its_type_as_parsed(site, app, db):
    app.put("/news/notes", b"plain", headers={**ADMIN_AUTH, "Content-Type":
                                              "Text/Plain ; Charset=UTF-8"}, status=201)
    response = app.get("/news/notes", status=200)
    assert response.headers["Content-Type"] == "text/plain; charset=UTF-8"
    assert "Content-Disposition" not in response.headers


def test_an_html_put_in_capitals_is_a_page(site, app, db):
    app.put("/news/upper", b"<p>x</p>", headers={**ADMIN_AUTH, "Content-Type": "TEXT/HTML"},
            status=201)
    with objweb.site(db) as root:
        assert root["news"]["upper"].type_name == "Page"


@pytest.mark.parametrize("name", ['quo"te', "semi;colon", "ünï.html", "back\\slash"])
def test_attachment_names_cannot_break_the_header(site, app, db, name):
    with objweb.site(db) as root:
        root["news"][name] = File(data=b"<b>x</b>", content_type="text/html")
    response = app.get("/news/" + webob.request.url_quote(name), status=200)
    disposition = response.headers["Content-Disposition"]
    assert disposition.count('"') == 2
    assert "\r" not in disposition and "\n" not in disposition


@pytest.mark.parametrize("content_type", ["image/png", "application/pdf", "text/plain",
                                          "application/octet-stream"])
def test_passive_uploads_are_served_inline(site, app, db, content_type):
    with objweb.site(db) as root:
        root["news"]["upload"] = File(data=b"plain", content_type=content_type)
    response = app.get("/news/upload", status=200)
    assert "Content-Disposition" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/@@login", "/@@logout", "/news/@@login"])
def test_login_pages_refuse_framing_and_outside_forms(site, app, path):
    response = app.get(path, headers=BROWSER_ACCEPT, status=200)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Content-Security-Policy"] == LOGIN_CSP
    assert "frame-ancestors 'none'" in LOGIN_CSP and "form-action 'self'" in LOGIN_CSP
    assert response.headers["Cache-Control"] == "no-store"


def test_the_login_challenge_refuses_framing(site, app):
    response = app.get("/private", headers=BROWSER_ACCEPT, status=401)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Content-Security-Policy"] == LOGIN_CSP


def test_management_headers_refuse_framing_and_foreign_code():
    assert MANAGEMENT_HEADERS["X-Frame-Options"] == "DENY"
    assert MANAGEMENT_HEADERS["Content-Security-Policy"] == MANAGEMENT_CSP
    for directive in ("default-src 'none'", "frame-ancestors 'none'", "script-src 'self'",
                      "style-src 'self'", "object-src 'none'", "form-action 'self'",
                      "base-uri 'none'"):
        assert directive in MANAGEMENT_CSP.split("; ")
    assert "'unsafe-eval'" not in MANAGEMENT_CSP and "'unsafe-inline'" not in MANAGEMENT_CSP
    assert "data:" not in MANAGEMENT_CSP
    assert FRAME_REFUSAL == {"X-Frame-Options": "DENY"}
    assert NOSNIFF == {"X-Content-Type-Options": "nosniff"}


@pytest.mark.parametrize("path, status", [("/missing", 404), ("/news/manage_nothing", 404)])
def test_error_pages_run_nothing_and_refuse_framing(site, app, path, status):
    response = app.get(path, headers={**ADMIN_AUTH, **BROWSER_ACCEPT}, status=status)
    assert response.headers["Content-Security-Policy"] == PLAIN_PAGE_CSP
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script" not in PLAIN_PAGE_CSP


def test_a_refused_form_on_a_screen_answers_a_page_that_runs_nothing(site, app):
    response = app.post("/news/manage_properties", {"command": "save", "title": "x"},
                        headers={**ADMIN_AUTH, **BROWSER_ACCEPT}, status=403)
    assert response.headers["Content-Security-Policy"] == PLAIN_PAGE_CSP
