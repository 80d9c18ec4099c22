"""Serving and uploading files over HTTP: ranges, conditions, HEAD, and PUT in bounded memory."""

import gc
import os
import tracemalloc
import warnings
from datetime import datetime, timedelta, timezone

import pytest
from webob.datetime_utils import serialize_date
from webtest import TestRequest

import objweb
from objweb import File
from support import ADMIN_AUTH

SIZE = 5 * 1024 * 1024 + 123  # several megabytes, not a multiple of any chunk size


@pytest.fixture(scope="module")
def payload():
    return os.urandom(SIZE)


@pytest.fixture
def big(db, payload):
    """A File of several MB at /big."""
    with objweb.site(db) as root:
        root["big"] = File(title="Big", data=payload, content_type="application/octet-stream")
    return db


def test_a_whole_file_with_its_validators(app, big, payload):
    response = app.get("/big", status=200)
    assert response.body == payload
    assert response.headers["Content-Length"] == str(SIZE)
    assert response.content_type == "application/octet-stream"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.etag and response.last_modified is not None
    assert "Content-Disposition" not in response.headers


@pytest.mark.parametrize("header, start, stop", [
    ("bytes=0-99", 0, 100),
    ("bytes=1048576-2097151", 1048576, 2097152),
    ("bytes=-100", SIZE - 100, SIZE),
    ("bytes=5242800-", 5242800, SIZE),
    ("bytes=5000000-999999999", 5000000, SIZE),
])
def test_a_range_is_206(app, big, payload, header, start, stop):
    response = app.get("/big", headers={"Range": header}, status=206)
    assert response.body == payload[start:stop]
    assert response.headers["Content-Range"] == f"bytes {start}-{stop - 1}/{SIZE}"
    assert response.headers["Content-Length"] == str(stop - start)


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}"])
def test_a_range_past_the_end_is_416(app, big, header):
    response = app.get("/big", headers={"Range": header}, status=416)
    assert response.headers["Content-Range"] == f"bytes */{SIZE}"


def test_an_unreadable_range_is_ignored(app, big, payload):
    assert app.get("/big", headers={"Range": "pages=1-2"}, status=200).body == payload


def test_if_none_match_is_304(app, big):
    etag = app.get("/big", status=200).etag
    response = app.get("/big", headers={"If-None-Match": f'"{etag}"'}, status=304)
    assert response.body == b""
    app.get("/big", headers={"If-None-Match": '"other"'}, status=200)


def test_if_modified_since_is_304(app, big):
    last_modified = app.get("/big", status=200).headers["Last-Modified"]
    app.get("/big", headers={"If-Modified-Since": last_modified}, status=304)
    earlier = serialize_date(datetime.now(timezone.utc) - timedelta(days=1))
    app.get("/big", headers={"If-Modified-Since": earlier}, status=200)


def test_if_range_serves_the_range_only_while_the_file_is_unchanged(app, big, payload):
    etag = app.get("/big", status=200).etag
    fresh = app.get("/big", headers={"Range": "bytes=0-9", "If-Range": f'"{etag}"'}, status=206)
    assert fresh.body == payload[:10]
    stale = app.get("/big", headers={"Range": "bytes=0-9", "If-Range": '"stale"'}, status=200)
    assert stale.body == payload


def test_the_etag_changes_when_the_file_does(app, big):
    etag = app.get("/big", status=200).etag
    app.put("/big", b"new", headers=dict(ADMIN_AUTH, **{"Content-Type": "text/plain"}),
            status=204)
    changed = app.get("/big", status=200)
    assert changed.etag != etag and changed.body == b"new"
    app.get("/big", headers={"If-None-Match": f'"{etag}"'}, status=200)


def test_head_sends_the_headers_only(app, big):
    response = app.head("/big", status=200)
    assert response.body == b"" and response.headers["Content-Length"] == str(SIZE)
    ranged = app.head("/big", headers={"Range": "bytes=0-9"}, status=206)
    assert ranged.body == b"" and ranged.headers["Content-Range"] == f"bytes 0-9/{SIZE}"


def test_every_answer_closes_the_blob(app, big):
    etag = app.get("/big", status=200).etag
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        app.head("/big", status=200)
        app.head("/big", headers={"Range": "bytes=0-9"}, status=206)
        app.get("/big", headers={"If-None-Match": f'"{etag}"'}, status=304)
        app.get("/big", headers={"Range": f"bytes={SIZE}-"}, status=416)
        app.get("/big", headers={"Range": "bytes=0-9"}, status=206)
        gc.collect()
    assert etag


def test_active_content_is_downloaded_under_a_sandbox(app, db):
    with objweb.site(db) as root:
        root["page.html"] = File(data=b"<script>alert(1)</script>", content_type="text/html")
        root["ünï code"] = File(data=b"<svg/>", content_type="image/svg+xml")
    response = app.get("/page.html", status=200)
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"page.html\"; filename*=UTF-8''page.html")
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    odd = app.get("/%C3%BCn%C3%AF%20code", status=200)
    assert odd.headers["Content-Disposition"] == (
        "attachment; filename=\"_n_ code\"; filename*=UTF-8''%C3%BCn%C3%AF%20code")


def test_put_streams_a_large_upload_in_bounded_memory(app, db, tmp_path):
    upload = tmp_path / "upload.bin"
    with open(upload, "wb") as out:
        for _ in range(20):
            out.write(os.urandom(1024 * 1024))
    size = upload.stat().st_size
    with open(upload, "rb") as body:
        request = TestRequest.blank("/upload.bin", method="PUT", headers=dict(
            ADMIN_AUTH, **{"Content-Type": "application/octet-stream"}))
        request.body_file = body
        request.content_length = size
        tracemalloc.start()
        try:
            response = app.do_request(request, status=201)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert response.json["size"] == size
    print(f"PUT of {size} bytes: peak {peak} bytes traced")
    assert peak < size / 10, f"the upload of {size} bytes peaked at {peak} bytes in memory"
    with objweb.site(db) as root:
        with root["upload.bin"].open() as stored, open(upload, "rb") as original:
            assert stored.read() == original.read()


def test_the_headers_follow_every_committed_change_of_the_file(app, db):
    with objweb.site(db) as root:
        root["doc"] = File(data=b"<b>x</b>", content_type="application/octet-stream")
    first = app.get("/doc", status=200)
    assert "Content-Disposition" not in first.headers
    assert app.get("/doc", status=200).headers["ETag"] == first.headers["ETag"]
    app.patch_json("/doc", {"content_type": "text/html"}, headers=ADMIN_AUTH, status=204)
    active = app.get("/doc", status=200)
    assert active.headers["Content-Type"] == "text/html"
    assert active.headers["Content-Disposition"].startswith('attachment; filename="doc"')
    assert active.headers["ETag"] != first.headers["ETag"]
    with objweb.site(db) as root:  # another connection: this one's copy is invalidated
        root["doc"].content_type = "text/plain"
        root["doc"].write(b"plain")
    plain = app.get("/doc", status=200)
    assert plain.headers["Content-Type"] == "text/plain" and plain.body == b"plain"
    assert "Content-Disposition" not in plain.headers
    assert plain.headers["Content-Length"] == "5"
