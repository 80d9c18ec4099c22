"""Files: bytes in a blob, streamed in and out, with a content type."""

import io

import pytest
import ZODB
from ZODB.blob import Blob
from webtest import TestApp

import objweb
from objweb import File, ValidationError
from objweb.content.file import CHUNK_SIZE


class CountingReader(io.RawIOBase):
    """A binary stream that records the largest read it was asked for."""

    def __init__(self, size: int):
        self.remaining = size
        self.largest = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.largest = max(self.largest, len(buffer))
        count = min(len(buffer), self.remaining)
        buffer[:count] = b"x" * count
        self.remaining -= count
        return count


def test_a_file_keeps_bytes_and_their_type():
    report = File(title="Q3", data=b"%PDF-1.4 ...", content_type="application/pdf")
    assert report.data == b"%PDF-1.4 ..." and report.size == 12
    assert report.content_type == "application/pdf" and report.type_name == "File"
    with report.open() as stream:
        assert stream.read(4) == b"%PDF"


def test_the_content_type_is_guessed_from_a_filename_else_octet_stream():
    assert File(data=b"a,b", filename="table.csv").content_type == "text/csv"
    assert File(data=b"?").content_type == "application/octet-stream"


@pytest.mark.parametrize("content_type", [
    "nonsense", "text/", "/plain", "text/html\r\nX: y", "text/plain, text/html",
    "text/plain text/html", "text/plain; a=b, text/html", "text/plain;;", "a/b/c",
    "text/plain; charset", "text/plain; a=1; a=2", "tëxt/plain", "text/plain\x00",
    "text/plain; name*=utf-8''%C3%A9"])
def test_a_bad_content_type_is_refused(content_type):
    with pytest.raises(ValidationError) as caught:
        File(data=b"", content_type=content_type)
    assert caught.value.field == "content_type"


def test_data_is_copied_from_a_stream_in_chunks():
    source = CountingReader(5 * CHUNK_SIZE + 7)
    big = File(data=source)
    assert big.size == 5 * CHUNK_SIZE + 7
    assert source.largest <= CHUNK_SIZE


def test_write_replaces_the_content():
    report = File(data=b"old")
    report.modified -= 10
    before = report.modified
    assert report.write(b"newer") == 5
    assert report.data == b"newer" and report.size == 5 and report.modified > before


def test_text_is_not_file_data():
    with pytest.raises(TypeError, match="bytes or a binary file"):
        File(data="text")


def test_edit_writes_data_and_content_type():
    report = File(data=b"old", content_type="text/plain")
    report.edit(data=b"<b>new</b>", content_type="text/html; charset=utf-8")
    assert report.data == b"<b>new</b>" and report.content_type == "text/html; charset=utf-8"
    with pytest.raises(ValidationError):
        report.edit(size=3)
    assert report.size == 10


@pytest.mark.parametrize("given, stored", [
    (" TEXT/HTML ; Charset=UTF-8 ", "text/html; charset=UTF-8"),
    ('text/plain; charset="utf-8"', "text/plain; charset=utf-8"),
    ("text/plain (a comment)", "text/plain"),
    ('text/plain; title="a, b"', 'text/plain; title="a, b"'),
    ('text/plain; q="x\\"y"', 'text/plain; q="x\\"y"'),
])
def test_a_content_type_is_stored_in_one_form(given, stored):
    assert File(content_type=given).content_type == stored


@pytest.mark.parametrize("content_type, active", [
    ("text/html", True), ("TEXT/HTML; charset=utf-8", True), ("image/svg+xml", True),
    ("application/javascript", True), ("text/javascript1.5", True), ("text/jscript", True),
    ("multipart/x-mixed-replace; boundary=x", True), ("application/xslt+xml", True),
    ("text/plain", False), ("image/png", False), ("application/pdf", False),
])
def test_active_content_is_recognised(content_type, active):
    assert File(content_type=content_type).is_active_content is active


@pytest.mark.parametrize("stored", ["text/plain, text/html", "text/plain text/html", ""])
def test_a_stored_type_that_does_not_parse_is_active_and_served_as_bytes(stored):
    old = File(data=b"<script>x</script>", content_type="text/plain")
    old.content_type = stored  # as a database written before types were parsed may hold
    assert old.is_active_content is True
    assert old.served_content_type == "application/octet-stream"


def test_files_are_stored_as_blobs(db):
    payload = bytes(range(256)) * 4096
    with objweb.site(db) as root:
        root["blob"] = File(data=payload, content_type="application/octet-stream")
    with objweb.site(db) as root:
        stored = root["blob"]
        assert stored.size == len(payload) and stored.data == payload


def test_a_database_without_blobs_keeps_files_in_chunks():
    db = ZODB.DB(None)
    payload = bytes(range(256)) * 1000  # several chunks, the last one short
    try:
        objweb.bootstrap(db)
        with objweb.site(db) as root:
            root["report"] = File(data=payload)
            root["new"] = objweb.Folder()
            root["new"]["inner"] = File(data=b"made before its folder was stored")
        with objweb.site(db) as root:
            assert root["report"].data == payload and root["report"].size == len(payload)
            assert root["new"]["inner"].data == b"made before its folder was stored"
            assert not isinstance(root["report"]._blob, Blob)
            root["report"].write(b"replaced")
        with objweb.site(db) as root:
            assert root["report"].data == b"replaced" and root["report"].size == 8
    finally:
        db.close()


def test_files_in_a_database_without_blobs_are_served_by_range():
    db = ZODB.DB(None)
    try:
        objweb.bootstrap(db)
        with objweb.site(db) as root:
            root["report"] = File(data=b"0123456789" * 10000, content_type="text/plain")
        app = TestApp(objweb.make_app(db))
        assert app.get("/report", status=200).body == b"0123456789" * 10000
        ranged = app.get("/report", headers={"Range": "bytes=99990-"}, status=206)
        assert ranged.body == b"0123456789"
    finally:
        db.close()
