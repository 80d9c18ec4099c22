"""The JSON API: GET, POST, PATCH, DELETE and PUT, as the contract writes them."""

import base64
from datetime import datetime

import pytest

import objweb
from objweb import Folder, Page
from support import ADMIN_AUTH, basic_auth

from sample_site import REPORT, png_bytes

JSON = {"Accept": "application/json"}
ADMIN_JSON = dict(ADMIN_AUTH, **JSON)


def test_get_answers_an_object_as_json(app, sample):
    data = app.get("/news/hello", headers=JSON, status=200).json
    assert data["@id"] == "http://localhost/news/hello"
    assert (data["@type"], data["id"], data["title"]) == ("Page", "hello", "Hello")
    assert data["body"] == "<p>Hi</p>" and data["owner"] is None
    assert datetime.fromisoformat(data["modified"]).tzinfo is not None
    assert datetime.fromisoformat(data["created"]) <= datetime.fromisoformat(data["modified"])


def test_get_answers_a_file_without_its_bytes(app, sample):
    data = app.get("/news/report", headers=JSON, status=200).json
    assert data["size"] == len(REPORT) and data["content_type"] == "application/pdf"
    assert "data" not in data
    image = app.get("/news/logo", headers=JSON, status=200).json
    assert (image["width"], image["height"], image["@type"]) == (3, 2, "Image")


def test_a_container_adds_its_items_in_batches(app, sample):
    data = app.get("/news", headers=JSON, status=200).json
    assert data["@type"] == "Folder" and data["items_total"] == 3
    assert [item["id"] for item in data["items"]] == ["hello", "logo", "report"]
    assert data["items"][0] == {
        "@id": "http://localhost/news/hello", "@type": "Page", "id": "hello",
        "title": "Hello", "modified": data["items"][0]["modified"]}
    assert data["batching"] == {"b_start": 0, "b_size": 50, "next": None, "prev": None}


def test_batches_link_to_their_neighbours(app, db):
    with objweb.site(db) as root:
        many = root.add("many", Folder())
        for index in range(7):
            many.add(f"p{index}", Page(title=str(index)))
    data = app.get("/many?b_start=2&b_size=2", headers=JSON, status=200).json
    assert [item["id"] for item in data["items"]] == ["p2", "p3"]
    assert data["batching"]["next"] == "http://localhost/many?b_start=4&b_size=2"
    assert data["batching"]["prev"] == "http://localhost/many?b_start=0&b_size=2"
    last = app.get("/many?b_start=6&b_size=2", headers=JSON, status=200).json
    assert [item["id"] for item in last["items"]] == ["p6"] and last["batching"]["next"] is None
    beyond = app.get("/many?b_start=70", headers=JSON, status=200).json
    assert beyond["items"] == [] and beyond["items_total"] == 7


def test_b_size_is_at_most_1000(app, sample):
    assert app.get("/news?b_size=1000", headers=JSON, status=200).json["batching"]["b_size"] == 1000
    refused = app.get("/news?b_size=1001", headers=JSON, status=400)
    assert refused.json == {"error": "b_size can be at most 1000"}


def test_items_the_visitor_may_not_view_are_left_out(app, sample):
    with objweb.site(sample) as root:
        root["news"]["hello"].manage_permission("View", roles=["Manager"], acquire=False)
    anonymous = app.get("/news", headers=JSON, status=200).json
    assert [item["id"] for item in anonymous["items"]] == ["logo", "report"]
    manager = app.get("/news", headers=ADMIN_JSON, status=200).json
    assert [item["id"] for item in manager["items"]] == ["hello", "logo", "report"]


def test_post_creates_and_answers_201_with_location(app, sample):
    response = app.post_json("/news", {"@type": "Page", "id": "b", "title": "B",
                                       "body": "<p>b</p>"}, headers=ADMIN_AUTH, status=201)
    assert response.headers["Location"] == "http://localhost/news/b"
    assert response.json["@id"] == "http://localhost/news/b"
    assert response.json["owner"] == "admin"
    with objweb.site(sample) as root:
        page = root["news"]["b"]
        assert (page.title, page.body, page.owner) == ("B", "<p>b</p>", "admin")


@pytest.mark.parametrize("values, check", [
    ({"@type": "Folder", "title": "F"}, lambda obj: obj.title == "F" and len(obj) == 0),
    ({"@type": "File", "data": base64.b64encode(b"raw").decode(), "content_type": "text/plain"},
     lambda obj: obj.data == b"raw" and obj.content_type == "text/plain"),
    ({"@type": "Image", "data": base64.b64encode(png_bytes(5, 6)).decode()},
     lambda obj: (obj.width, obj.height, obj.content_type) == (5, 6, "image/png")),
])
def test_post_creates_every_type(app, sample, values, check):
    app.post_json("/news", dict(values, id="new"), headers=ADMIN_AUTH, status=201)
    with objweb.site(sample) as root:
        assert check(root["news"]["new"])


def test_a_json_body_may_say_its_charset_or_a_json_subtype(app, sample):
    app.post("/news", '{"@type": "Page", "id": "c1", "title": "é"}'.encode(),
             headers=dict(ADMIN_AUTH, **{"Content-Type": "application/json; charset=utf-8"}),
             status=201)
    app.post("/news", b'{"@type": "Page", "id": "c2"}', status=201,
             headers=dict(ADMIN_AUTH, **{"Content-Type": "application/merge-patch+json"}))
    with objweb.site(sample) as root:
        assert root["news"]["c1"].title == "é" and "c2" in root["news"]


def test_patch_changes_the_named_fields(app, sample):
    response = app.patch_json("/news/hello", {"title": "Hello, world"}, headers=ADMIN_AUTH,
                              status=204)
    assert response.body == b""
    with objweb.site(sample) as root:
        assert (root["news"]["hello"].title, root["news"]["hello"].body) == (
            "Hello, world", "<p>Hi</p>")


def test_patch_may_repeat_type_and_id(app, sample):
    app.patch_json("/news/hello", {"@type": "Page", "id": "hello", "body": "<p>2</p>"},
                   headers=ADMIN_AUTH, status=204)
    with objweb.site(sample) as root:
        assert root["news"]["hello"].body == "<p>2</p>"


def test_delete_removes(app, sample):
    app.delete("/news/hello", headers=ADMIN_AUTH, status=204)
    app.get("/news/hello", status=404)
    with objweb.site(sample) as root:
        assert "hello" not in root["news"] and len(root["news"]) == 2


def test_the_site_user_folder_cannot_be_deleted(app, sample):
    response = app.delete("/acl_users", headers=ADMIN_AUTH, status=400)
    assert "cannot be deleted" in response.json["error"]


def test_put_creates_a_file(app, sample):
    response = app.put("/news/new.pdf", REPORT, headers=dict(
        ADMIN_AUTH, **{"Content-Type": "application/pdf"}), status=201)
    assert response.headers["Location"] == "http://localhost/news/new.pdf"
    assert response.json["@type"] == "File" and response.json["size"] == len(REPORT)
    assert app.get("/news/new.pdf", status=200).body == REPORT


def test_put_creates_a_page_from_html_and_an_image_from_an_image(app, sample):
    app.put("/news/p", b"<p>put</p>", headers=dict(ADMIN_AUTH, **{"Content-Type": "text/html"}),
            status=201)
    app.put("/news/i", png_bytes(7, 8), headers=dict(ADMIN_AUTH, **{"Content-Type": "image/png"}),
            status=201)
    with objweb.site(sample) as root:
        assert root["news"]["p"].body == "<p>put</p>" and root["news"]["p"].type_name == "Page"
        assert (root["news"]["i"].width, root["news"]["i"].height) == (7, 8)


def test_put_without_a_type_makes_an_octet_stream(app, sample):
    response = app.request("/news/blob", method="PUT", body=b"\x00\x01", headers=ADMIN_AUTH,
                           status=201)
    assert response.json["content_type"] == "application/octet-stream"
    with objweb.site(sample) as root:
        assert root["news"]["blob"].content_type == "application/octet-stream"


def test_put_replaces_a_file_and_a_page(app, sample):
    app.put("/news/report", b"new bytes", headers=dict(
        ADMIN_AUTH, **{"Content-Type": "text/plain"}), status=204)
    app.put("/news/hello", b"<p>replaced</p>", headers=dict(
        ADMIN_AUTH, **{"Content-Type": "text/html"}), status=204)
    with objweb.site(sample) as root:
        assert root["news"]["report"].data == b"new bytes"
        assert root["news"]["report"].content_type == "text/plain"
        assert root["news"]["hello"].body == "<p>replaced</p>"


@pytest.mark.parametrize("path, content_type", [
    ("/news", "text/plain"), ("/news/hello", "text/plain"), ("/news/hello", None),
])
def test_put_refuses_what_it_cannot_replace(app, sample, path, content_type):
    headers = dict(ADMIN_AUTH)
    if content_type:
        headers["Content-Type"] = content_type
    response = app.put(path, b"x", headers=headers, status=400)
    assert "PUT cannot replace" in response.json["error"]


@pytest.mark.parametrize("name", ["_x", "manage_me", "a\x01b"])
def test_put_refuses_bad_names(app, sample, name):
    from urllib.parse import quote
    response = app.put("/news/" + quote(name), b"x", headers=ADMIN_AUTH, status=400)
    assert "name" in response.json["error"]


def test_put_into_a_missing_folder_is_404(app, sample):
    app.put("/news/nope/file", b"x", headers=ADMIN_AUTH, status=404)
    app.put("/news/hello/file", b"x", headers=ADMIN_AUTH, status=404)


def test_put_text_must_decode(app, sample):
    response = app.put("/news/bad", b"\xff\xfe", status=400, headers=dict(
        ADMIN_AUTH, **{"Content-Type": "text/html; charset=utf-8"}))
    assert "declared charset" in response.json["error"]


@pytest.mark.parametrize("method, path, body", [
    ("post_json", "/news", {"@type": "Page", "id": "x"}),
    ("patch_json", "/news/hello", {"title": "x"}),
    ("delete", "/news/hello", None),
    ("put", "/news/new", b"data"),
    ("put", "/news/report", b"data"),
])
def test_writes_need_credentials(app, sample, method, path, body):
    call = getattr(app, method)
    args = (path,) if body is None else (path, body)
    response = call(*args, status=401)
    assert response.headers["WWW-Authenticate"] == 'Basic realm="objweb"'
    assert response.json["error"]
    assert call(*args, headers=basic_auth("admin", "wrong"), status=401).headers[
        "WWW-Authenticate"] == 'Basic realm="objweb"'


def test_writes_need_a_role_that_may(app, sample):
    with objweb.site(sample) as root:
        root["acl_users"].add_user("reader", "pw", roles=[])
    reader = basic_auth("reader", "pw")
    response = app.post_json("/news", {"@type": "Page", "id": "x"}, headers=reader, status=403)
    assert "WWW-Authenticate" not in response.headers
    app.patch_json("/news/hello", {"title": "x"}, headers=reader, status=403)
    app.delete("/news/hello", headers=reader, status=403)
    with objweb.site(sample) as root:
        assert "x" not in root["news"] and root["news"]["hello"].title == "Hello"


def test_the_transaction_records_who_did_what(sample, app):
    app.post_json("/news", {"@type": "Page", "id": "noted"}, headers=ADMIN_AUTH, status=201)
    connection = sample.open()
    try:
        last = connection._storage.lastTransaction()
        [record] = [txn for txn in connection.db().storage.iterator(last, last)]
    finally:
        connection.close()
    assert record.user.decode().endswith("admin")
    assert record.description.decode() == "POST /news\nadded Page /news/noted"
