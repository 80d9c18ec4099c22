"""Templates and Scripts over HTTP: rendering, calling, parameters, answers, errors, limits."""

import logging
import re

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script, Template
from objweb import Settings
from sandbox_support import base_storage, db  # noqa: F401 (fixtures: users made once)
from support import (
    ADMIN_AUTH, ADMIN_PASSWORD, BROWSER_ACCEPT, basic_auth, basic_csrf_token, browser_login)


@pytest.fixture
def site(db):
    """A site with a few Templates and Scripts (users admin, editor and alice)."""
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
        root["view"] = Template(title="View", source=(
            '<h1 tal:content="context/title">t</h1><p tal:content="request/form/q | nothing"/>'))
        root["greet"] = Script(title="Greet", params="name='world', n=1",
                               body="return 'Hello %s from %s, %r' % (name, context.title, n + 1)")
    return db


@pytest.fixture
def web(site):
    return TestApp(objweb.make_app(site))


def add(db, name, obj, where="/"):
    with objweb.site(db) as root:
        objweb.find(root, where)[name] = obj


def test_template_renders_in_the_context_reached(web):
    response = web.get("/news/hello/view", status=200)
    assert response.content_type == "text/html"
    assert response.text == "<h1>Hello</h1><p></p>"


def test_template_escapes_request_values(web):
    response = web.get("/view", params={"q": "<script>x</script>"}, status=200)
    assert "&lt;script&gt;x&lt;/script&gt;" in response.text
    assert "<script>" not in response.text


def test_template_answers_a_posted_form(web):
    assert web.post("/news/view", {"q": "posted"}, status=200).text == (
        "<h1>News</h1><p>posted</p>")


def test_template_head(web):
    response = web.head("/view", status=200)
    assert response.body == b""


def test_template_json_get_describes_the_object(web):
    response = web.get("/view", headers={"Accept": "application/json", **ADMIN_AUTH}, status=200)
    assert response.json["@type"] == "Template"
    assert "tal:content" in response.json["source"]


def test_index_html_template_renders_in_its_folder(site, web):
    add(site, "index_html", Template(source='<p tal:content="context/title"/>'), "/news")
    assert web.get("/news", status=200).text == "<p>News</p>"


def test_script_answers_text(web):
    response = web.get("/news/hello/greet", params={"name": "bob", "n": "41"}, status=200)
    assert response.content_type == "text/plain"
    assert response.text == "Hello bob from Hello, 42"


def test_script_parameters_from_a_posted_form(web):
    assert web.post("/greet", {"name": "form", "n": "2"}, status=200).text == (
        "Hello form from objweb, 3")


def test_script_parameters_from_a_json_body(web):
    response = web.post_json("/greet", {"name": "json", "n": 5}, status=200)
    assert response.text == "Hello json from objweb, 6"


def test_script_json_body_must_be_an_object(web):
    response = web.post("/greet", "[1]", content_type="application/json", status=400)
    assert "object" in response.json["error"]


def test_missing_parameter_is_a_bad_request(site, web):
    add(site, "needs", Script(params="x", body="context.edit(title='ran')\nreturn x"))
    response = web.get("/needs", headers=ADMIN_AUTH, status=400)
    assert "x" in response.text
    with objweb.site(site) as root:
        assert root.title == "objweb"


def test_parameter_converted_by_its_default(site, web):
    add(site, "kinds", Script(params="i=0, f=0.5, b=False, l=[], s=''",
                              body="return [i, f, b, l, s]"))
    response = web.get("/kinds?i=3&f=2.5&b=on&l=x&s=7", status=200)
    assert response.json == [3, 2.5, True, ["x"], "7"]


def test_keyword_only_parameter_converted_by_its_default(site, web):
    add(site, "counted", Script(params="*, count=0, step=1", body="return count + step"))
    assert web.get("/counted?count=3", status=200).json == 4


def test_parameter_that_does_not_convert_is_a_bad_request(web):
    response = web.get("/greet?n=many", status=400)
    assert "whole number" in response.text


@pytest.mark.parametrize("query, expected", [
    ("v:int=4", 4),
    ("v:float=1.5", 1.5),
    ("v:boolean=no", False),
    ("v:boolean=", False),
    ("v:list=a", ["a"]),
    ("v:list=a&v:list=b", ["a", "b"]),
    ("v:int:list=1&v:int:list=2", [1, 2]),
    ("v:tuple=a", ["a"]),
    ("v:lines=a%0Ab%0A%0Ac", ["a", "b", "c"]),
    ("v:tokens=a b  c", ["a", "b", "c"]),
    ("v:string=x", "x"),
    ("v:text=a%0D%0Ab", "a\nb"),
    ("v:required=x", "x"),
    ("v=a&v=b", ["a", "b"]),
])
def test_zope_converters(site, web, query, expected):
    add(site, "echo", Script(params="v=None", body="return [v]"))
    assert web.get("/echo?" + query, status=200).json == [expected]


@pytest.mark.parametrize("query, message", [
    ("v:int=x", "whole number"), ("v:float=x", "a number"), ("v:boolean=maybe", "true or false"),
    ("v:required=%20", "a value is required"), ("v:nonsense=1", "unknown converter")])
def test_refused_conversions(site, web, query, message):
    add(site, "echo", Script(params="v=None", body="return [v]"))
    response = web.get("/echo?" + query, status=400)
    assert message in response.text


def test_positional_only_and_unknown_parameters(site, web):
    add(site, "pos", Script(params="a, /, b=2", body="return [a, b]"))
    assert web.get("/pos?a=1&b=3&other=x", status=200).json == ["1", 3]


def test_uploads_are_readable(site, web):
    add(site, "upload", Script(params="f",
                               body="return [f.filename, f.content_type, f.size, len(f.read())]"))
    response = web.post("/upload", upload_files=[("f", "a.txt", b"hello", "text/plain")],
                        status=200)
    assert response.json == ["a.txt", "text/plain", 5, 5]


@pytest.mark.parametrize("body, content_type, text", [
    ("return {'a': [1, (2, 3)], 'when': datetime.date(2020, 1, 2), 's': {1}}",
     "application/json", '{"a": [1, [2, 3]], "when": "2020-01-02", "s": [1]}'),
    ("return [1, 'x']", "application/json", '[1, "x"]'),
    ("return 42", "application/json", "42"),
    ("return True", "application/json", "true"),
    ("return None", "text/plain", ""),
    ("return b'raw'", "application/octet-stream", "raw"),
    ("return datetime.date(2021, 5, 6)", "text/plain", "2021-05-06"),
])
def test_script_answers(site, web, body, content_type, text):
    add(site, "answer", Script(body="import datetime\n" + body))
    response = web.get("/answer", status=200)
    assert response.content_type == content_type
    assert response.text == text


@pytest.mark.parametrize("body", ["return context", "return [context]",
                                  "return float('nan')"])
def test_script_answers_that_cannot_be_sent(site, web, body):
    add(site, "answer", Script(body=body))
    response = web.get("/answer", headers=ADMIN_AUTH, status=500)
    assert "Script" in response.text
    assert "incident" in response.text


def test_script_sets_headers_and_content_type(site, web):
    add(site, "html", Script(body=(
        "request.response.set_header('Content-Type', 'text/html; charset=utf-8')\n"
        "request.response.set_header('X-Custom', 'yes')\n"
        "return '<b>bold</b>'")))
    response = web.get("/html", status=200)
    assert response.content_type == "text/html"
    assert response.headers["X-Custom"] == "yes"
    assert response.text == "<b>bold</b>"


def test_template_sets_a_header(site, web):
    add(site, "feed", Template(source=(
        '<x tal:define="d python: request.response.set_header(\'Content-Type\', '
        '\'application/xml\')">feed</x>')))
    response = web.get("/feed", status=200)
    assert response.content_type == "application/xml"


@pytest.mark.parametrize("value", ["a\r\nSet-Cookie: evil=1", "a\nb", "a\rb", "a\x00b"])
def test_header_values_with_line_breaks_are_refused(site, web, value):
    add(site, "inject", Script(params="v", body="request.response.set_header('X-Test', v)"))
    response = web.get("/inject", params={"v": value}, headers=ADMIN_AUTH, status=500)
    assert "Set-Cookie" not in response.headers
    assert "X-Test" not in response.headers
    assert "control characters" in response.text


def test_redirect(site, web):
    add(site, "go", Script(body="request.response.redirect('/news')\nreturn 'ignored'"))
    response = web.get("/go", status=302)
    assert response.headers["Location"].endswith("/news")


def test_redirect_with_line_breaks_is_refused(site, web):
    add(site, "go", Script(body="request.response.redirect('/x\\r\\nX-Evil: 1')"))
    response = web.get("/go", headers=ADMIN_AUTH, status=500)
    assert "X-Evil" not in response.headers


def test_header_values_beyond_latin_1_are_refused(site, web):
    add(site, "euro", Script(body="request.response.set_header('X-Price', '5 \u20ac')"))
    response = web.get("/euro", headers=ADMIN_AUTH, status=500)
    assert "X-Price" not in response.headers
    assert "Latin-1" in response.text


def test_redirect_to_a_url_beyond_ascii_is_escaped(site, web):
    add(site, "go", Script(body="request.response.redirect('/caf\u00e9 au lait/\u20ac')"))
    response = web.get("/go", status=302)
    assert response.headers["Location"].endswith("/caf%C3%A9%20au%20lait/%E2%82%AC")


def test_status_set_by_code_aborts_the_transaction_when_an_error(site, web):
    add(site, "nf", Script(body="context.edit(title='changed')\n"
                                "request.response.set_status(404)\nreturn 'gone'"))
    response = web.get("/nf", headers=ADMIN_AUTH, status=404)
    assert response.text == "gone"
    with objweb.site(site) as root:
        assert root.title == "objweb"


def test_script_changes_are_committed(site, web):
    add(site, "rename", Script(params="title", body="context.edit(title=title)\nreturn 'ok'"))
    web.post("/news/rename", {"title": "Renamed", "csrf_token": basic_csrf_token(web, ADMIN_AUTH)},
             headers=ADMIN_AUTH, status=200)
    with objweb.site(site) as root:
        assert root["news"].title == "Renamed"


def test_traverse_subpath(site, web):
    add(site, "sub", Script(body="return traverse_subpath"))
    assert web.get("/sub/a/b", status=200).json == ["a", "b"]
    assert web.get("/news/hello/sub/c", status=200).json == ["c"]


def test_a_script_shown_as_a_folders_index_html_has_no_subpath(site, web):
    add(site, "index_html", Script(body="return [context.title, traverse_subpath]"), "/news")
    assert web.get("/news", status=200).json == ["News", []]


def test_template_does_not_take_a_subpath(web):
    web.get("/view/extra", status=404)


def test_runtime_error_for_a_visitor_and_in_the_log(site, web, caplog):
    add(site, "bad", Script(body="x = 1\nreturn x / 0"))
    with caplog.at_level(logging.ERROR, logger="objweb.publisher"):
        response = web.get("/bad", status=500)
    incident = re.search(r"\(incident ([0-9a-f]{12})\)", response.text).group(1)
    assert "ZeroDivisionError" not in response.text
    assert "return x / 0" not in response.text
    assert "Traceback" not in response.text
    assert any(record.getMessage() == f"incident {incident}: The Script at /bad failed."
               and record.exc_info for record in caplog.records)


def test_runtime_error_shows_a_manager_the_lines(site, web):
    add(site, "bad", Script(body="x = 1\ny = 2\nreturn x / 0\n# end"))
    response = web.get("/bad", headers=ADMIN_AUTH, status=500)
    assert "ZeroDivisionError: division by zero" in response.text
    assert "Script /bad, line 3" in response.text
    assert "&gt;    3 | return x / 0" in response.text
    assert "Traceback" not in response.text


def test_runtime_error_details_in_json_for_a_manager(site, web):
    add(site, "bad", Script(body="return {}['missing']"))
    response = web.post_json("/bad", {}, headers=ADMIN_AUTH, status=500)
    assert "KeyError" in response.json["detail"]
    assert response.json["incident"]


def test_template_error_shows_a_manager_the_template_line(site, web):
    add(site, "broken", Template(source='<p>\n<b tal:content="python: 1 / 0">x</b></p>'))
    response = web.get("/broken", headers=ADMIN_AUTH, status=500)
    assert "Template /broken, line 2" in response.text
    assert "division by zero" in response.text


def test_error_in_a_script_called_by_a_template_points_at_the_script(site, web):
    add(site, "fails", Script(body="return [][1]"))
    add(site, "page", Template(source='<p tal:content="context/fails"/>'))
    response = web.get("/page", headers=ADMIN_AUTH, status=500)
    assert "Script /fails, line 1" in response.text
    assert "IndexError" in response.text


def test_editors_see_details_of_code_they_may_read(site, web):
    add(site, "bad", Script(body="return 1 / 0"))
    response = web.get("/bad", headers=basic_auth("editor", "pw-editor"), status=500)
    assert "ZeroDivisionError" in response.text


def test_a_manager_of_one_folder_sees_details_of_code_in_it(site, web):
    with objweb.site(site) as root:
        root["news"].manage_setLocalRoles("alice", ["Manager"])
    add(site, "bad", Script(body="return 1 / 0"), where="/news")
    response = web.get("/news/bad", headers=basic_auth("alice", "pw-alice"), status=500)
    assert "ZeroDivisionError" in response.text


def test_denial_in_code_asks_a_visitor_to_log_in(site, web):
    add(site, "change", Script(body="context.edit(title='x')"))
    response = web.get("/change", status=401)
    assert response.headers["WWW-Authenticate"] == 'Basic realm="objweb"'


@pytest.fixture
def quick(site):
    return TestApp(objweb.make_app(site, Settings(code_time_budget=0.3, code_output_limit=4096)))


def test_endless_loop_is_stopped_and_aborted(site, quick):
    add(site, "loop", Script(body="context.edit(title='changed')\nwhile True:\n    pass"))
    response = quick.get("/loop", headers=ADMIN_AUTH, status=503)
    assert "ran past its time budget of 0.3 s" in response.text
    assert "Script /loop, line 2" in response.text
    with objweb.site(site) as root:
        assert root.title == "objweb"


def test_huge_output_is_stopped(site, quick):
    add(site, "huge", Template(source='<p tal:repeat="i python: range(100000)">xxxxxxxx</p>'))
    response = quick.get("/huge", status=503)
    assert "more than 4096 characters" in response.text


def test_huge_answer_is_stopped(site, quick):
    add(site, "big", Script(params="data", body="return data"))
    response = quick.post("/big", {"data": "x" * 5000}, status=503)
    assert "more than 4096 characters" in response.text


def test_huge_json_answer_is_stopped(site, quick):
    add(site, "bigjson", Script(body="s = 'x' * 4000\nreturn [s, s]"))
    response = quick.get("/bigjson", status=503)
    assert "more than 4096 characters" in response.text


def test_printed_past_the_limit_is_stopped(site, quick):
    add(site, "chatty", Script(body="for i in range(1000):\n    print('xxxxxxxxxx')\nreturn printed"))
    response = quick.get("/chatty", status=503)
    assert "characters of output" in response.text


def test_script_acquired_by_url_runs_on_the_object_reached(site, web):
    add(site, "whereami", Script(body="return [context.path, container.path]"))
    assert web.get("/news/hello/whereami", status=200).json == ["/news/hello", "/"]


def test_code_saved_with_errors_is_refused_by_the_json_api(web):
    response = web.post_json("/", {"@type": "Script", "id": "s", "params": "",
                                   "body": "x = (\n"}, headers=ADMIN_AUTH, status=400)
    assert "line 1" in response.json["error"]
    web.get("/s", headers=ADMIN_AUTH, status=404)


def test_template_patch_with_errors_keeps_the_old_source(site, web):
    response = web.patch_json("/view", {"source": "<p tal:content='python: _x'>x</p>"},
                              headers=ADMIN_AUTH, status=400)
    assert "column" in response.json["error"]
    with objweb.site(site) as root:
        assert "context/title" in root["view"].source


def test_json_api_creates_working_code(web):
    web.post_json("/", {"@type": "Script", "id": "twice", "params": "x=1",
                        "body": "return x * 2"}, headers=ADMIN_AUTH, status=201)
    assert web.get("/twice?x=21", status=200).json == 42


def test_proxy_roles_cannot_be_patched(web):
    response = web.patch_json("/greet", {"proxy_roles": ["Manager"]}, headers=ADMIN_AUTH,
                              status=400)
    assert "proxy_roles" in response.json["error"]


def test_proxy_roles_by_json(site, web):
    add(site, "peek", Script(body="return context.acl_users.user_names()"))
    web.get("/peek", status=401)
    response = web.post_json("/peek/@@proxy-roles", {"roles": ["Manager"]}, headers=ADMIN_AUTH,
                             status=200)
    assert response.json == {"proxy_roles": ["Manager"]}
    assert web.get("/peek", status=200).json == ["admin", "alice", "editor"]


def test_proxy_roles_by_form(site, web):
    add(site, "peek", Script(body="return 1"))
    token = basic_csrf_token(web, ADMIN_AUTH)
    response = web.post("/peek/@@proxy-roles", {"roles": "Manager", "csrf_token": token},
                        headers=ADMIN_AUTH, status=200)
    assert response.json == {"proxy_roles": ["Manager"]}
    response = web.post("/peek/@@proxy-roles", {"csrf_token": token}, headers=ADMIN_AUTH,
                        status=200)
    assert response.json == {"proxy_roles": []}


def test_proxy_roles_only_those_the_giver_holds(site, web):
    add(site, "peek", Script(body="return 1"))
    with objweb.site(site) as root:
        root.manage_permission("Change permissions", ["Manager", "Editor"])
    response = web.post_json("/peek/@@proxy-roles", {"roles": ["Manager"]},
                             headers=basic_auth("editor", "pw-editor"), status=400)
    assert "Manager" in response.json["error"]
    web.post_json("/peek/@@proxy-roles", {"roles": ["Editor"]},
                  headers=basic_auth("editor", "pw-editor"), status=200)


def test_proxy_roles_need_change_permissions(site, web):
    add(site, "peek", Script(body="return 1"))
    web.post_json("/peek/@@proxy-roles", {"roles": []}, headers=basic_auth("alice", "pw-alice"),
                  status=403)
    with objweb.site(site) as root:
        assert root["peek"].proxy_roles == ()


def test_a_template_form_posts_to_a_script_with_the_sessions_token(site, web):
    add(site, "form", Template(source=(
        '<form method="post" action="rename"><input type="hidden" name="csrf_token"'
        ' tal:attributes="value request/csrf_token"/><input name="title"/></form>')))
    add(site, "rename", Script(params="title", body="context.edit(title=title)\nreturn 'ok'"))
    browser_login(web, "admin", ADMIN_PASSWORD)
    page = web.get("/form", headers=BROWSER_ACCEPT, status=200)
    form = page.forms[0]
    form["title"] = "From the form"
    assert form.submit(headers=BROWSER_ACCEPT, status=200).text == "ok"
    web.post("/rename", {"title": "No token"}, headers=BROWSER_ACCEPT, status=403)
    with objweb.site(site) as root:
        assert root.title == "From the form"
