"""The request, response, upload and user views handed to code."""

import io

import pytest
import webob

from objweb.sandbox import RequestView, ResponseView, UploadView
from objweb.sandbox.bindings import CodeView, UserView, environ_key
from sandbox_support import policy_for


def test_response_headers():
    response = ResponseView()
    response.set_header("X-One", "1")
    response.set_header("x-one", "2")
    response.set_header("Content-Type", "text/csv")
    assert response.headers == [("x-one", "2"), ("Content-Type", "text/csv")]


@pytest.mark.parametrize("name, value, error", [
    ("X-Bad", "a\r\nb", ValueError), ("X-Bad", "a\nb", ValueError), ("X-Bad", "a\x7fb", ValueError),
    ("Bad Name", "x", ValueError), ("X:y", "x", ValueError), (1, "x", ValueError),
    ("Content-Length", "1", ValueError), ("transfer-encoding", "x", ValueError),
    ("X-Bad", 1, TypeError)])
def test_response_header_refusals(name, value, error):
    response = ResponseView()
    with pytest.raises(error):
        response.set_header(name, value)
    assert response.headers == []


def test_response_header_values_hold_latin_1_only():
    response = ResponseView()
    response.set_header("X-Name", "café")
    with pytest.raises(ValueError):
        response.set_header("X-Name", "5 €")
    assert response.headers == [("X-Name", "café")]


def test_redirects_escape_what_a_url_cannot_hold():
    response = ResponseView()
    response.redirect("/café/a b?q=€&r=%41")
    assert response.location == "/caf%C3%A9/a%20b?q=%E2%82%AC&r=%41"
    with pytest.raises(TypeError):
        response.redirect(b"/x")


def test_header_names_map_to_the_keys_webob_reads():
    assert environ_key("Content-Type") == "CONTENT_TYPE"
    assert environ_key("content_type") == "HTTP_CONTENT_TYPE"
    assert environ_key("Proxy_Authorization") == "HTTP_PROXY_AUTHORIZATION"


def test_response_header_may_hold_tabs():
    response = ResponseView()
    response.set_header("X-Tab", "a\tb")
    assert response.headers == [("X-Tab", "a\tb")]


def test_response_status_and_redirect():
    response = ResponseView()
    response.set_status(201)
    assert response.status == 201
    response.redirect("/there", 303)
    assert (response.status, response.location) == (303, "/there")
    for status in (True, 99, 101, 600, "200"):
        with pytest.raises(ValueError):
            response.set_status(status)
    with pytest.raises(ValueError):
        response.redirect("/x", 200)
    with pytest.raises(ValueError):
        response.redirect("/x\r\nSet-Cookie: a=b")


def test_request_view_reads_the_request():
    request = webob.Request.blank("/a/b?q=1", headers={"Authorization": "Basic eA==",
                                                       "Cookie": "s=secret", "X-Plain": "p"})
    request.base_url = "http://localhost"
    view = RequestView(request, {"q": "1"})
    assert (view.method, view.url, view.URL, view.base_url) == (
        "GET", "http://localhost/a/b?q=1", "http://localhost/a/b", "http://localhost")
    assert view.get("q") == "1" and view.get("nope", 0) == 0
    assert view._code_item("q") == "1"
    assert view.get_header("X-Plain") == "p" and view.get_header("x_plain") == "p"
    assert view.get_header("Authorization") is None
    assert view.get_header("cookie", "none") == "none"
    for name in (1, "authorızation", "a b"):
        with pytest.raises(ValueError):
            view.get_header(name)
    assert isinstance(view.response, ResponseView)
    assert view.csrf_token == ""
    request.csrf_token = "token"
    assert view.csrf_token == "token"


def test_request_view_urls_come_from_the_request():
    class Request:
        def url_of(self, obj):
            return f"http://site/{obj}"
    assert RequestView(Request(), {}).url_of("x") == "http://site/x"


def test_upload_view(within):
    upload = UploadView("a.txt", "text/plain", io.BytesIO(b"hello"))
    assert (upload.filename, upload.content_type, upload.size) == ("a.txt", "text/plain", 5)
    assert within(lambda run: upload.read()) == b"hello"


def test_code_views_have_no_items_by_default():
    with pytest.raises(TypeError):
        CodeView()._code_item("x")


def test_user_view(root):
    admin = UserView(policy_for(root, "admin"), root)
    assert (admin.id, admin.title, admin.roles, admin.is_authenticated) == (
        "admin", "admin", ("Manager",), True)
    assert admin.has_role("Manager")
    assert admin.has_permission("View", root["private"])
    visitor = UserView(policy_for(root, None), root)
    assert (visitor.id, visitor.title, visitor.is_authenticated) == (
        None, "Anonymous User", False)
    assert not visitor.has_permission("View", root["private"])
    assert visitor.has_role("Anonymous", root["news"])


def test_user_view_checks_its_arguments(root):
    from objweb.content import Script
    from objweb.sandbox import BoundCode
    user = UserView(policy_for(root, "editor"), root)
    script = Script(body="return 1")
    root["code"]["s"] = script
    assert user.has_permission("View", BoundCode(script, root))
    with pytest.raises(ValueError):
        user.has_permission("Be root", root)
    with pytest.raises(TypeError):
        user.has_role("Manager", "not an object")


def test_user_in_templates(render, root):
    source = '<p tal:content="user/title"/><p tal:content="python: user.has_permission(\'View\')"/>'
    assert render(source, user="editor") == "<p>editor</p><p>True</p>"
