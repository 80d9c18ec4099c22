"""The request, response, upload and user views as code meets them: bounds and exact refusals.

Each case runs a Script with a real WebOb request behind its `request`,
as a code view gets it, and pins what the Script is told when it asks for
something it may not have.
"""

import io

import pytest
import webob
from webtest import TestApp

import objweb
from objweb.content import Script
from objweb.sandbox import CodeError, CodeLimitError, Limits, RequestView, ResponseView, UploadView


@pytest.fixture
def with_request(run_script):
    """Return a function running a Script body with a request (a form with an upload `f`).

    It returns what the Script returned and the response view it set up.
    """
    def call(body, **options):
        response = ResponseView()
        upload = UploadView("a.txt", "text/plain", io.BytesIO(b"x" * 200))
        view = RequestView(webob.Request.blank("/code"), {"f": upload}, response)
        return run_script(body, request=view, **options), response
    return call


@pytest.fixture
def told(with_request):
    """Return a function running a Script body with a request and returning its refusal as text."""
    def call(body, **options):
        try:
            with_request(body, **options)
        except CodeLimitError as error:
            return f"BudgetExceeded: {error.__cause__}"
        except Exception as error:  # noqa: BLE001 (a CodeError, or a denial as it is)
            error = error.__cause__ or error
            return f"{type(error).__name__}: {error}"
        raise AssertionError("nothing was refused")
    return call


@pytest.mark.parametrize("body, status, headers", [
    ("request.response.set_status(200)", 200, []),
    ("request.response.set_status(599)", 599, []),
    # Latin-1 ends at ÿ (255).
    ("request.response.set_header('X-Name', 'ÿ')", None, [("X-Name", "ÿ")]),
])
def test_the_response_takes(with_request, body, status, headers):
    _, response = with_request(body)
    assert (response.status, response.headers) == (status, headers)


@pytest.mark.parametrize("body, message", [
    ("return request.response['x']", "TypeError: a ResponseView has no items"),
    ("request.response.set_header('X-Bad', 1)", "TypeError: a header value is text"),
    ("request.response.set_header('X-Bad', 'a\\r\\nb')",
     "ValueError: a header value cannot contain CR, LF or other control characters"),
    ("request.response.set_header('X-Bad', 'Ā')",
     "ValueError: a header value holds only Latin-1 characters"),
    ("request.response.set_header('Content-Length', '1')",
     "ValueError: code cannot set the Content-Length header"),
    ("request.response.set_status(600)", "ValueError: not an HTTP status: 600"),
    ("request.response.redirect('/x', 200)",
     "ValueError: a redirect status is one of [301, 302, 303, 307, 308]"),
])
def test_the_views_refuse_saying(told, body, message):
    assert told(body) == message


@pytest.mark.parametrize("expression, message", [
    ("user.has_permission('Be root')", "ValueError: unknown permission: 'Be root'"),
    ("user.has_role('Manager', 'here')",
     "TypeError: roles and permissions are held on objects of the site"),
])
def test_the_user_of_a_template_refuses_saying(render, expression, message):
    with pytest.raises(CodeError) as caught:
        render(f'<p tal:content="python: {expression}"/>')
    error = caught.value.__cause__
    assert f"{type(error).__name__}: {error}" == message


def test_an_upload_is_read_within_the_size_limit(with_request, told):
    assert with_request("return request.form['f'].read()")[0] == b"x" * 200
    assert told("return request.form['f'].read()", limits=Limits(output_limit=100)) \
        == "BudgetExceeded: tried to build an upload of 200 characters (at most 100)"


@pytest.mark.parametrize("where", ["code", "root"], ids=["held", "acquired"])
def test_a_script_reached_through_its_context_takes_positional_arguments(root, run_script, where):
    (root["code"] if where == "code" else root)["double"] = Script(
        params="x, y=0", body="return x * 2 + y")
    assert run_script("return context.double(20, 2), context.double(x=1)",
                      context=root["code"]) == (42, 2)


@pytest.mark.parametrize("user, expected", [("alice", "False"), ("admin", "True")])
def test_the_user_of_a_template_answers_for_its_context(root, render, user, expected):
    source = "<p tal:content=\"python: user.has_permission('View')\"/>"
    assert render(source, user=user, context=root["private"]) == f"<p>{expected}</p>"


def test_only_a_script_that_redirects_sends_a_location(db):
    with objweb.site(db, user="admin") as root:
        root["plain"] = Script(body="request.response.set_header('X-Done', 'yes')\nreturn 'ok'")
        root["away"] = Script(body="request.response.redirect('/there')\nreturn 'moved'")
    web = TestApp(objweb.make_app(db))
    plain = web.get("/plain", status=200)
    assert plain.headers["X-Done"] == "yes" and "Location" not in plain.headers
    assert web.get("/away", status=302).headers["Location"].endswith("/there")
