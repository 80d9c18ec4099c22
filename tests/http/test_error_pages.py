"""Errors as a client reads them: a small page for a browser, JSON for a program."""

import re

import webob
from webtest import TestApp

import objweb
from objweb import Folder
from objweb.security.protections import PUBLIC
from objweb.web.boundary import Problem, render_problem
from objweb.web.request import Request
from support import BROWSER_ACCEPT

NOT_FOUND = "There is nothing at this address."
BUG = "Something went wrong on the server; it has been logged."
# Past the default limit on a URL's length: refused before publishing.
TOO_LONG = "/" + "a" * objweb.Settings().max_url_length


def main_of(page: str) -> str:
    return re.search(r"<main>(.*)</main>", page, re.S).group(1)


def test_a_browser_is_told_in_a_small_page_with_its_way_home(app):
    response = app.get("/nowhere", headers=BROWSER_ACCEPT, status=404)
    # Charset names are case-insensitive.
    assert response.headers["Content-Type"].lower() == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert "<title>404 Not Found</title>" in response.text
    assert main_of(response.text) == (
        f'<h1>Not Found</h1><p>{NOT_FOUND}</p><p><a href="http://localhost/">Home</a></p>')


def test_the_way_home_keeps_the_prefix_the_site_is_mounted_under(app):
    for mount in ("/MAILBOX", "/MAILBOX/"):
        for path, status in (("/nowhere", 404), (TOO_LONG, 414)):
            response = app.get(path, headers=BROWSER_ACCEPT, status=status,
                               extra_environ={"SCRIPT_NAME": mount})
            assert '<a href="http://localhost/MAILBOX/">Home</a>' in response.text


def test_a_request_refused_before_publishing_is_shown_the_way_home_too(app):
    response = app.get(TOO_LONG, headers=BROWSER_ACCEPT, status=414)
    assert '<a href="http://localhost/">Home</a>' in response.text


def test_the_way_home_of_a_virtual_host_is_its_public_root(db):
    app = objweb.make_app(db, objweb.Settings(trusted_proxies=("127.0.0.1",)))
    with objweb.site(db) as root:
        root["site"] = Folder()
    response = TestApp(app).get(
        "/VirtualHostBase/https/example.org/site/VirtualHostRoot/nowhere",
        headers=BROWSER_ACCEPT, extra_environ={"REMOTE_ADDR": "127.0.0.1"}, status=404)
    assert '<a href="https://example.org/">Home</a>' in response.text


def test_a_program_is_told_in_json_that_no_cache_keeps(app):
    response = app.get("/nowhere", headers={"Accept": "application/json"}, status=404)
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json == {"error": NOT_FOUND}


def test_a_bug_is_told_in_the_same_words_to_both(app_with, test_views, db):
    with objweb.site(db) as root:
        root["box"] = Folder()

    def broken(obj, request):
        raise RuntimeError("secret")
    test_views.register(Folder, "broken", broken, action=PUBLIC)
    app = app_with(test_views)
    page = app.get("/box/@@broken", headers=BROWSER_ACCEPT, status=500).text
    assert "<title>500 Internal Server Error</title>" in page
    incident = re.search(r"incident ([0-9a-f]{12})", page).group(1)
    assert main_of(page) == (f"<h1>Internal Server Error</h1><p>{BUG} (incident {incident})"
                             '</p><p><a href="http://localhost/">Home</a></p>')
    answer = app.get("/box/@@broken", headers={"Accept": "application/json"}, status=500).json
    assert answer == {"error": f"{BUG} (incident {answer['incident']})",
                      "incident": answer["incident"]}


def test_a_refused_method_says_which_and_what_is_allowed(app_with, test_views, db):
    with objweb.site(db) as root:
        root["box"] = Folder()
    test_views.register(Folder, "shown", lambda obj, request: webob.Response("shown"),
                        action=PUBLIC, methods=("GET",))
    app = app_with(test_views)
    response = app.post("/box/@@shown", headers={"Accept": "application/json"}, status=405)
    assert response.json == {"error": "POST is not allowed here"}
    assert response.headers["Allow"].startswith("GET")


def test_the_json_verbs_are_answered_in_json_even_when_refused_before_publishing(app):
    for method in ("PUT", "PATCH", "DELETE"):
        response = app.request(TOO_LONG, method=method, status=414)
        assert response.content_type == "application/json", method
        assert response.json["error"]
    assert app.get(TOO_LONG, status=414).content_type == "text/html"


def test_a_status_without_a_name_is_titled_error():
    request = Request.blank("/")
    response = render_problem(request, Problem(599, "Odd."), as_json=False)
    assert response.status_int == 599
    assert "<title>599 Error</title>" in response.text and "<h1>Error</h1>" in response.text
