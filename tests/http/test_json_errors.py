"""Every refusal of the JSON API: the right status, a JSON `{"error": ...}`, nothing changed."""

import base64
import io
import json

import pytest
from webtest import TestRequest

import objweb
from support import ADMIN_AUTH, basic_csrf_token

JSON_TYPE = {"Content-Type": "application/json"}


def snapshot(db):
    """What a fresh connection sees: the last transaction and every object under /news."""
    with objweb.site(db) as root:
        news = root["news"]
        return db.lastTransaction(), {name: (obj.title, obj.modified) for name, obj in news.items()}


def send(app, method, path, body, *, status, headers=None):
    """Send `body` (JSON-encoded unless bytes) with exactly the headers given (default JSON)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = dict(ADMIN_AUTH, **(JSON_TYPE if headers is None else headers))
    return app.request(path, method=method, body=raw, headers=headers, status=status)


def post(app, body, *, status, headers=None, path="/news"):
    return send(app, "POST", path, body, status=status, headers=headers)


def patch(app, body, *, status, headers=None, path="/news/hello"):
    return send(app, "PATCH", path, body, status=status, headers=headers)


POST_ERRORS = [
    ("bad JSON", b'{"@type": "Page",', "not valid JSON"),
    ("NaN is not JSON", b'{"@type": "Page", "id": "x", "title": NaN}', "not valid JSON"),
    ("not UTF-8", b'{"@type": "Page", "id": "\xff"}', "not valid JSON"),
    ("a list", [{"@type": "Page", "id": "x"}], "must be a JSON object"),
    ("a string", "Page", "must be a JSON object"),
    ("a number", 3, "must be a JSON object"),
    ("null", None, "must be a JSON object"),
    ("unknown @type", {"@type": "Nope", "id": "x"}, "unknown type: 'Nope'"),
    ("missing @type", {"id": "x"}, "unknown type: None"),
    ("@type not a string", {"@type": ["Page"], "id": "x"}, "unknown type"),
    ("unknown field", {"@type": "Page", "id": "x", "colour": "red"}, "no field 'colour'"),
    ("read-only field", {"@type": "File", "id": "x", "size": 3}, "size cannot be changed"),
    ("bad value", {"@type": "Page", "id": "x", "title": 5}, "title: expected text"),
    ("two-line title", {"@type": "Page", "id": "x", "title": "a\nb"}, "single line"),
    ("over-long title", {"@type": "Page", "id": "x", "title": "t" * 1001}, "at most 1000"),
    ("over-long content type", {"@type": "File", "id": "x", "content_type": "a/" + "b" * 254},
     "at most 255"),
    ("bad content type", {"@type": "File", "id": "x", "content_type": "nonsense"},
     "not a content type"),
    ("bad base64", {"@type": "File", "id": "x", "data": "!!"}, "not valid base64"),
    ("missing id", {"@type": "Page"}, "id: a name is required"),
    ("null id", {"@type": "Page", "id": None}, "id: a name is required"),
    ("used id", {"@type": "Page", "id": "hello"}, "'hello' is already in use in /news"),
    ("empty id", {"@type": "Page", "id": ""}, "cannot be empty"),
    ("dot id", {"@type": "Page", "id": "."}, "is not a name"),
    ("dot-dot id", {"@type": "Page", "id": ".."}, "is not a name"),
    ("slash id", {"@type": "Page", "id": "a/b"}, "cannot contain '/'"),
    ("underscore id", {"@type": "Page", "id": "_x"}, "cannot start with '_'"),
    ("view id", {"@type": "Page", "id": "@@x"}, "cannot start with '@@'"),
    ("aq id", {"@type": "Page", "id": "aq_x"}, "cannot start with 'aq_'"),
    ("manage id", {"@type": "Page", "id": "manage"}, "cannot start with 'manage'"),
    ("control id", {"@type": "Page", "id": "a\u0007b"}, "control characters"),
    ("long id", {"@type": "Page", "id": "x" * 256}, "at most 255"),
    ("number id", {"@type": "Page", "id": 5}, "must be a string"),
]


def test_a_folder_holds_one_user_folder(app, sample):
    response = post(app, {"@type": "UserFolder", "id": "acl_users"}, status=400, path="/")
    assert response.json == {"error": "the name 'acl_users' is already in use in /"}


@pytest.mark.parametrize("body, message", [row[1:] for row in POST_ERRORS],
                         ids=[row[0] for row in POST_ERRORS])
def test_post_refusals_are_400_and_change_nothing(app, sample, body, message):
    before = snapshot(sample)
    response = post(app, body, status=400)
    assert response.content_type == "application/json"
    assert message in response.json["error"]
    assert snapshot(sample) == before


def test_a_user_folder_is_named_acl_users(app, sample):
    response = post(app, {"@type": "UserFolder", "id": "people"}, status=400,
                    path="/news")
    assert response.json == {"error": "a user folder must be named acl_users"}


PATCH_ERRORS = [
    ("bad JSON", b"{", "not valid JSON"),
    ("a list", ["title"], "must be a JSON object"),
    ("unknown field", {"colour": "red"}, "no field 'colour'"),
    ("one bad field of two", {"title": "fine", "body": 5}, "body: expected text"),
    ("over-long title", {"title": "t" * 1001}, "at most 1000"),
    ("another @type", {"@type": "Folder"}, "@type cannot be changed"),
    ("another id", {"id": "renamed"}, "id cannot be changed"),
]


@pytest.mark.parametrize("body, message", [row[1:] for row in PATCH_ERRORS],
                         ids=[row[0] for row in PATCH_ERRORS])
def test_patch_refusals_are_400_and_change_nothing(app, sample, body, message):
    before = snapshot(sample)
    response = patch(app, body, status=400)
    assert message in response.json["error"]
    assert snapshot(sample) == before


@pytest.mark.parametrize("content_type", [
    "text/plain", "application/x-www-form-urlencoded", "application/xml", "text/json", None,
])
@pytest.mark.parametrize("verb", [post, patch])
def test_json_verbs_want_a_json_content_type(app, sample, verb, content_type):
    before = snapshot(sample)
    # With the token a form post needs even under Basic credentials.
    headers = {"X-CSRF-Token": basic_csrf_token(app, ADMIN_AUTH)}
    if content_type:
        headers["Content-Type"] = content_type
    body = {"@type": "Page", "id": "x"} if verb is post else {"title": "x"}
    response = verb(app, json.dumps(body).encode(), headers=headers, status=415)
    assert response.content_type == "application/json"
    assert response.json == {"error": "send the body as application/json"}
    assert snapshot(sample) == before


def test_a_json_body_over_the_limit_is_413(app_with, sample):
    app = app_with(settings=objweb.Settings(max_json_body=64))
    before = snapshot(sample)
    body = {"@type": "File", "id": "big", "data": base64.b64encode(b"x" * 100).decode()}
    response = post(app, body, status=413)
    assert response.json == {"error": "the JSON body is over 64 bytes"}
    chunked = TestRequest.blank("/news", method="POST", headers=dict(ADMIN_AUTH, **JSON_TYPE))
    chunked.body_file = io.BytesIO(json.dumps(body).encode())
    chunked.environ.pop("CONTENT_LENGTH", None)
    chunked.environ["wsgi.input_terminated"] = True
    response = app.do_request(chunked, status=413)
    assert "over 64 bytes" in response.json["error"]
    assert snapshot(sample) == before


BATCH_ERRORS = [
    ("b_start=abc", "b_start"), ("b_start=-1", "b_start"), ("b_start=1.5", "b_start"),
    ("b_start=%C2%B2", "b_start"), ("b_start=", "b_start"), ("b_start=1e3", "b_start"),
    ("b_start=" + "9" * 16, "b_start"), ("b_size=0", "b_size must be at least 1"),
    ("b_size=-5", "b_size"), ("b_size=ten", "b_size"), ("b_size=" + "1" * 5000, "b_size"),
]


@pytest.mark.parametrize("query, message", BATCH_ERRORS)
def test_bad_batch_parameters_are_400(app, sample, query, message):
    response = app.get("/news?" + query, headers={"Accept": "application/json"}, status=400)
    assert message in response.json["error"]
    # A folder's page for browsers lists nothing; its search page pages through results.
    html = app.get("/news/@@search?" + query, headers={"Accept": "text/html"}, status=400)
    assert html.content_type == "text/html" and message.split()[0] in html.text
