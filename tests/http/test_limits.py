"""The request limits: each answers its status and a sentence naming it, and changes nothing."""

import io
import json

import pytest
from webtest import TestRequest

import objweb
from objweb.errors import ValidationError
from objweb.web.limits import RequestTooLargeError, _BoundedLines, make_body_seekable
from objweb.web.request import Request
from support import ADMIN_AUTH, BROWSER_ACCEPT

JSON = {"Accept": "application/json"}
JSON_BODY = dict(ADMIN_AUTH, **{"Content-Type": "application/json"})
FORM = "application/x-www-form-urlencoded"


def snapshot(db):
    """What a fresh connection sees: the last transaction and every name under /news."""
    with objweb.site(db) as root:
        return db.lastTransaction(), sorted(root["news"].keys())


@pytest.fixture
def limited(app_with, sample):
    """A client over the sample site with small limits, so that tests stay small."""
    return app_with(settings=objweb.Settings(
        max_request_body=1000, max_json_body=500, max_json_depth=4, max_url_length=100,
        max_form_fields=5, max_form_body=200, max_batch_size=10))


def chunked(path, body: bytes, *, method="PUT", headers=None) -> TestRequest:
    """A request whose body comes without Content-Length, as a chunked one does."""
    request = TestRequest.blank(path, method=method, headers=headers or {})
    request.body_file = io.BytesIO(body)
    request.environ.pop("CONTENT_LENGTH", None)
    request.environ["wsgi.input_terminated"] = True
    return request


# -- the request body ------------------------------------------------------------------

def test_a_body_over_the_limit_is_413_before_anything_is_read(limited, sample):
    before = snapshot(sample)
    response = limited.put("/news/big", b"x" * 1001, status=413,
                           headers=dict(ADMIN_AUTH, **{"Content-Type": "application/pdf"}))
    assert response.json == {"error": "the request body is over 1000 bytes"}
    assert snapshot(sample) == before


def test_a_body_at_the_limit_is_taken(limited, sample):
    limited.put("/news/big", b"x" * 1000, status=201,
                headers=dict(ADMIN_AUTH, **{"Content-Type": "application/pdf"}))
    with objweb.site(sample) as root:
        assert root["news"]["big"].size == 1000


def test_a_chunked_body_over_the_limit_is_413(limited, sample):
    before = snapshot(sample)
    request = chunked("/news/big", b"x" * 5000,
                      headers=dict(ADMIN_AUTH, **{"Content-Type": "application/pdf"}))
    response = limited.do_request(request, status=413)
    assert response.json == {"error": "the request body is over 1000 bytes"}
    assert snapshot(sample) == before


def test_a_chunked_body_under_the_limit_is_stored_whole(limited, sample):
    request = chunked("/news/small", b"y" * 999,
                      headers=dict(ADMIN_AUTH, **{"Content-Type": "application/pdf"}))
    limited.do_request(request, status=201)
    with objweb.site(sample) as root:
        assert root["news"]["small"].size == 999


class Recorded(io.BytesIO):
    """A body that records what the server asks of it: the size of each read, the bytes given."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.asked, self.given = [], 0

    def read(self, size=-1):
        self.asked.append(size)
        data = super().read(size)
        self.given += len(data)
        return data


def test_a_chunked_body_at_the_limit_is_stored_whole(limited, sample):
    request = chunked("/news/full", b"z" * 1000,
                      headers=dict(ADMIN_AUTH, **{"Content-Type": "application/pdf"}))
    limited.do_request(request, status=201)
    with objweb.site(sample) as root:
        assert root["news"]["full"].size == 1000


def test_a_chunked_body_is_read_no_further_than_one_byte_past_the_limit(limited, sample):
    body = Recorded(b"x" * 50_000)
    request = chunked("/news/big", b"", headers=dict(ADMIN_AUTH, **{"Content-Type": "application/pdf"}))
    request.body_file_raw = body
    limited.do_request(request, status=413)
    assert body.given == 1001


def test_a_chunked_body_is_read_in_pieces_whatever_the_limit(app_with, sample):
    # A limit of a gigabyte must not become one read of a gigabyte.
    app = app_with(settings=objweb.Settings(max_request_body=200_000))
    body = Recorded(b"x" * 150_000)
    request = chunked("/news/big", b"", headers=dict(ADMIN_AUTH, **{"Content-Type": "application/pdf"}))
    request.body_file_raw = body
    app.do_request(request, status=201)
    assert body.given == 150_000 and 0 < max(body.asked) <= 65_536


class StreamOnly(io.RawIOBase):
    """A body that can only be read forward, as some servers hand it over."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._data.readinto(buffer)


@pytest.mark.parametrize("rewindable", [True, False])
@pytest.mark.parametrize("declared", [500, 11])
def test_a_body_shorter_than_its_content_length_is_400(limited, sample, rewindable, declared):
    before = snapshot(sample)
    request = TestRequest.blank("/news/short", method="PUT",
                                headers=dict(ADMIN_AUTH, **{"Content-Type": "application/pdf"}))
    request.environ["wsgi.input"] = io.BytesIO(b"z" * 10) if rewindable else StreamOnly(b"z" * 10)
    request.environ["CONTENT_LENGTH"] = str(declared)
    response = limited.do_request(request, status=400)
    assert response.json == {"error": "the request body ended before its Content-Length"}
    assert snapshot(sample) == before


def spooled(body: bytes, declared: int, *, position: int = 0) -> Request:
    """A request whose body is a file the server spooled it to, as waitress hands it over."""
    spool = io.BytesIO(body)
    spool.seek(position)
    return Request.blank("/", method="PUT", environ={
        "wsgi.input": spool, "CONTENT_LENGTH": str(declared)})


@pytest.mark.parametrize("body", [b"z" * 10, b""], ids=["ten bytes", "empty"])
def test_a_spooled_body_is_kept_not_copied(body):
    request = spooled(body, len(body))
    spool = request.body_file_raw
    make_body_seekable(request, 1000)
    assert request.is_body_seekable and request.body_file_raw is spool
    assert request.body == body


@pytest.mark.parametrize("declared", [11, 500])
def test_a_spooled_body_shorter_than_declared_is_refused(declared):
    with pytest.raises(ValidationError) as refused:
        make_body_seekable(spooled(b"z" * 10, declared), 1000)
    assert str(refused.value) == "the request body ended before its Content-Length"


def test_a_body_read_from_already_is_copied():
    request = spooled(b"xyz" + b"z" * 10, 10, position=3)
    spool = request.body_file_raw
    make_body_seekable(request, 1000)
    assert request.body_file_raw is not spool and request.body == b"z" * 10


def test_a_browser_is_told_on_a_page(limited, sample):
    response = limited.post("/news/manage_add?type=File", b"x" * 2000, status=413,
                            headers=dict(ADMIN_AUTH, **BROWSER_ACCEPT))
    assert response.content_type == "text/html"
    assert "<h1>Request Entity Too Large</h1>" in response.text
    assert "the request body is over 1000 bytes" in response.text


# -- the URL ------------------------------------------------------------------------------

def test_a_url_over_the_limit_is_414(limited, sample):
    before = snapshot(sample)
    path = "/news/" + "a" * 100
    response = limited.get(path, headers=JSON, status=414)
    assert response.json == {"error": "the URL is 106 characters long; the limit is 100"}
    page = limited.request(path, method="POST", body=b"x", status=414,
                           headers=dict(ADMIN_AUTH, **BROWSER_ACCEPT))
    assert "<h1>Request-URI Too Long</h1>" in page.text
    assert snapshot(sample) == before


def test_the_query_counts_in_the_url(limited):
    refused = limited.get("/news?" + "q" * 95, headers=JSON, status=414)
    assert refused.json["error"] == "the URL is 101 characters long; the limit is 100"
    assert limited.get("/news?" + "q" * 94, headers=JSON, status=200).json["id"] == "news"


def test_the_url_counts_the_prefix_the_site_is_mounted_under(limited):
    prefix = {"SCRIPT_NAME": "/" + "p" * 49}
    assert limited.get("/news?" + "q" * 44, headers=JSON, extra_environ=prefix,
                       status=200).json["id"] == "news"
    refused = limited.get("/news?" + "q" * 45, headers=JSON, extra_environ=prefix, status=414)
    assert refused.json["error"] == "the URL is 101 characters long; the limit is 100"


@pytest.mark.filterwarnings("ignore:QUERY_STRING is not in the WSGI environment")
@pytest.mark.parametrize("present", ["SCRIPT_NAME", "QUERY_STRING"])
def test_a_server_may_leave_out_the_prefix_and_the_query(limited, present):
    request = TestRequest.blank("/news", headers=JSON)
    del request.environ[present]
    assert limited.do_request(request, status=200).json["id"] == "news"
    long_path = TestRequest.blank("/news/" + "n" * 95, headers=JSON)
    del long_path.environ[present]
    refused = limited.do_request(long_path, status=414)
    assert refused.json["error"] == "the URL is 101 characters long; the limit is 100"


def test_a_query_with_too_many_fields_is_400(limited):
    assert limited.get("/news?a=1&b=2&c=3&d=4&e=5", headers=JSON, status=200).json["id"] == "news"
    refused = limited.get("/news?a=1&b=2&c=3&d=4&e=5&f=6", headers=JSON, status=400)
    assert refused.json == {"error": "the query has more than 5 fields"}


# -- forms ------------------------------------------------------------------------------

def test_a_form_with_too_many_fields_is_413_unparsed(limited, sample):
    before = snapshot(sample)
    fields = {"name": "x", "title": "t", "body": "b", "one": "1", "two": "2", "three": "3"}
    response = limited.post("/news/manage_add?type=Page", dict(fields, command="add"),
                            headers=dict(ADMIN_AUTH, **BROWSER_ACCEPT), status=413)
    assert "the form has more than 5 fields" in response.text
    assert snapshot(sample) == before


def test_a_login_form_within_the_limit_is_read(limited):
    form = {"login": "admin", "password": "wrong", "came_from": "/"}
    response = limited.post("/@@login", form, headers=BROWSER_ACCEPT, status=(200, 403))
    assert "more than 5 fields" not in response.text


def test_an_untyped_post_is_counted_as_a_form(limited):
    response = limited.post("/@@login", b"a=1&b=2&c=3&d=4&e=5&f=6", status=413,
                            headers=dict(BROWSER_ACCEPT, **{"Content-Type": ""}))
    assert "the form has more than 5 fields" in response.text


def test_a_body_of_another_type_is_no_form_whatever_it_holds(limited, sample):
    with objweb.site(sample) as root:
        root["echo"] = objweb.Script(body="return sorted(request.form)")
    response = limited.post("/echo", b"a=1&b=2&c=3&d=4&e=5&f=6", status=200,
                            headers={"Content-Type": "text/plain"})
    assert response.json == []


@pytest.mark.parametrize("body, status", [
    (b"a=1&b=2&c=3&d=4&e=5", 200),
    (b"&b=2&c=3&d=4&e=5&f=6", 413),
], ids=["at the limit", "counted from its first byte"])
def test_a_urlencoded_form_s_fields_are_counted_exactly(limited, sample, body, status):
    with objweb.site(sample) as root:
        root["echo"] = objweb.Script(body="return sorted(request.form)")
    response = limited.post("/echo", body, status=status, headers={"Content-Type": FORM})
    if status == 200:
        assert response.json == ["a", "b", "c", "d", "e"]
    else:
        assert "the form has more than 5 fields" in response.text


@pytest.mark.parametrize("tail, status", [(b"&e=5", 200), (b"&e=5&f=6", 413)])
def test_a_urlencoded_form_longer_than_one_scan_is_counted_whole(app_with, sample, tail, status):
    app = app_with(settings=objweb.Settings(max_form_fields=5, max_form_body=3 << 20))
    with objweb.site(sample) as root:
        root["echo"] = objweb.Script(body="return sorted(request.form)")
    # Three separators in the first megabyte read, the others in the second.
    body = b"a=1&b=2&c=3&d=" + b"x" * (1 << 20) + tail
    response = app.post("/echo", body, status=status, headers={"Content-Type": FORM})
    if status == 200:
        assert response.json == ["a", "b", "c", "d", "e"]
    else:
        assert "the form has more than 5 fields" in response.text


def test_a_urlencoded_form_of_exactly_its_size_is_read(limited, sample):
    with objweb.site(sample) as root:
        root["echo"] = objweb.Script(params="a=''", body="return len(a)")
    response = limited.post("/echo", b"a=" + b"x" * 198, status=200,
                            headers={"Content-Type": FORM})
    assert response.json == 198


def test_a_urlencoded_form_over_its_size_is_413(limited, sample):
    before = snapshot(sample)
    response = limited.post("/news/manage_add?type=Page",
                            {"command": "add", "name": "x", "body": "b" * 300},
                            headers=dict(ADMIN_AUTH, **BROWSER_ACCEPT), status=413)
    assert "the form is over 200 bytes" in response.text
    assert snapshot(sample) == before


def test_a_multipart_form_with_too_many_fields_is_413(limited, sample):
    before = snapshot(sample)
    fields = [("command", "add"), ("name", "up"), ("title", "t"), ("one", "1"), ("two", "2")]
    response = limited.post("/news/manage_add?type=File", fields, status=413,
                            upload_files=[("data", "up.txt", b"hello")],
                            headers=dict(ADMIN_AUTH, **BROWSER_ACCEPT))
    assert "the form has more than 5 fields" in response.text
    assert snapshot(sample) == before


def test_a_multipart_form_within_the_limit_is_parsed(app_with, sample):
    app = app_with(settings=objweb.Settings(max_form_fields=5))
    token = app.get("/manage_contents", headers=ADMIN_AUTH, status=200)
    token = token.html.find("input", attrs={"name": "csrf_token"})["value"]
    fields = [("command", "add"), ("name", "up"), ("title", "t"), ("csrf_token", token)]
    app.post("/news/manage_add?type=File", fields, upload_files=[("data", "up.txt", b"hello")],
             headers=ADMIN_AUTH, status=303)
    with objweb.site(sample) as root:
        assert root["news"]["up"].size == 5


def nested_form(depth: int) -> tuple[bytes, str]:
    """Return a multipart form whose one field nests `depth` multipart bodies, and its boundary."""
    body = b'--b0\r\nContent-Disposition: form-data; name="f"\r\n\r\nx\r\n--b0--\r\n'
    for level in range(1, depth):
        body = (f'--b{level}\r\nContent-Disposition: form-data; name="f"\r\n'
                f"Content-Type: multipart/mixed; boundary=b{level - 1}\r\n\r\n").encode() + \
            body + f"\r\n--b{level}--\r\n".encode()
    return body, f"b{depth - 1}"


def form_around(part_headers: bytes, part: bytes) -> bytes:
    """Return a form of the part `f`, then the field `after`, with boundary `outer`."""
    return (b'--outer\r\nContent-Disposition: form-data; name="f"' + part_headers +
            b"\r\n\r\n" + part + b'\r\n--outer\r\nContent-Disposition: form-data; name="after"'
            b"\r\n\r\nkept\r\n--outer--\r\n")


@pytest.mark.parametrize("depth", [1, 2, 400])
def test_a_multipart_part_is_one_value_not_a_form(app, sample, depth):
    with objweb.site(sample) as root:
        root["echo"] = objweb.Script(params="f='', after=''", body="return [f, after]")
    part, boundary = nested_form(depth)
    body = form_around(f"\r\nContent-Type: multipart/mixed; boundary={boundary}".encode(), part)
    response = app.post("/echo", body, status=200,
                        headers={"Content-Type": "multipart/form-data; boundary=outer"})
    assert response.json == [part.decode(), "kept"]


def test_a_multipart_part_with_a_file_name_is_one_file(app, sample):
    with objweb.site(sample) as root:
        root["echo"] = objweb.Script(
            params="f=None, after=''", body="return [f.filename, f.read().decode(), after]")
    # How browsers long ago sent two files under one name; the first gives its length.
    files = (b'--y\r\nContent-Disposition: file; filename="a.txt"\r\nContent-Length: 3\r\n'
             b'\r\none\r\n--y\r\nContent-Disposition: file; filename="b.txt"\r\n\r\ntwo\r\n--y--')
    body = form_around(b'; filename="both"\r\nContent-Type: multipart/mixed; boundary=y', files)
    response = app.post("/echo", body, status=200,
                        headers={"Content-Type": "multipart/form-data; boundary=outer"})
    assert response.json == ["both", files.decode(), "kept"]


@pytest.mark.parametrize("headers", [
    b"X-Long: " + b"a" * 100_000 + b"\r\n",
    b"".join(b"X-%d: %s\r\n" % (number, b"a" * 1000) for number in range(100)),
], ids=["one long line", "many lines"])
def test_the_headers_of_a_form_part_are_bounded(app, sample, headers):
    body = (b'--x\r\nContent-Disposition: form-data; name="f"\r\n' + headers +
            b"\r\nv\r\n--x--\r\n")
    response = app.post("/@@login", body, status=413,
                        headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert "the headers of a part of the form are over 65536 bytes" in response.text


def two_part_form(second_headers_size: int) -> bytes:
    """Return a form of two parts whose second part's header lines take `second_headers_size` bytes."""
    disposition = b'Content-Disposition: form-data; name="b"\r\n'
    padding = second_headers_size - len(disposition) - len(b"X-Pad: \r\n") - len(b"\r\n")
    return (b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x\r\n' +
            disposition + b"X-Pad: " + b"p" * padding + b"\r\n\r\n2\r\n--x--\r\n")


def first_part_form(headers_size: int) -> bytes:
    """Return a form whose first boundary line and header lines take `headers_size` bytes."""
    opening = b"--x\r\n" + b'Content-Disposition: form-data; name="a"\r\n'
    padding = headers_size - len(opening) - len(b"X-Pad: \r\n") - len(b"\r\n")
    return opening + b"X-Pad: " + b"p" * padding + b"\r\n\r\n1\r\n--x--\r\n"


# (the form, the bytes its padded part's header lines take, status, answer); the
# first part's count includes the boundary line before it, read as a header is.
PADDED_PARTS = [
    (first_part_form, 65536, 200, "1"),
    (first_part_form, 65537, 413, None),
    (two_part_form, 65536, 200, "12"),
    (two_part_form, 65537, 413, None),
]


@pytest.mark.parametrize("form, size, status, answer", PADDED_PARTS,
                         ids=["first-65536", "first-65537", "second-65536", "second-65537"])
def test_each_part_s_headers_may_take_the_whole_limit(app, sample, form, size, status, answer):
    with objweb.site(sample) as root:
        root["echo"] = objweb.Script(params="a='', b=''", body="return a + b")
    response = app.post("/echo", form(size), status=status,
                        headers={"Content-Type": "multipart/form-data; boundary=x"})
    if status == 200:
        assert response.text == answer
    else:
        assert "the headers of a part of the form are over 65536 bytes" in response.text


@pytest.mark.parametrize("content_type, body", [
    ("multipart/form-data; boundary=x",
     b'--x\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--x--\r\n'),
    (FORM, b"b=2"),
], ids=["multipart", "urlencoded"])
def test_the_query_of_a_posted_form_is_read_once(app, sample, content_type, body):
    with objweb.site(sample) as root:
        root["echo"] = objweb.Script(params="a='', b=''",
                                     body="return [a, b, sorted(request.form)]")
    response = app.post("/echo?a=1", body, status=200, headers={"Content-Type": content_type})
    assert response.json == ["1", "2", ["a", "b"]]


class RecordingStream(io.BytesIO):
    """A body that records the size of each line asked of it."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.sizes = []

    def readline(self, size=-1):
        self.sizes.append(size)
        return super().readline(size)


def test_a_header_line_is_read_no_further_than_the_limit_allows():
    stream = RecordingStream(b"X-A: " + b"a" * 100 + b"\r\n" + b"b" * 200_000 + b"\r\n")
    lines = _BoundedLines(stream)
    first = lines.readline()
    assert stream.sizes == [65537]
    with pytest.raises(RequestTooLargeError):
        lines.readline()
    assert stream.sizes == [65537, 65537 - len(first)]
    content = _BoundedLines(RecordingStream(b"c" * 100_000))
    assert len(content.readline(1 << 16)) == 1 << 16


@pytest.mark.parametrize("charset", ["utf-8", "UTF8", "utf8"])
def test_a_multipart_form_keeps_its_empty_fields_in_any_spelling_of_utf_8(app, sample, charset):
    with objweb.site(sample) as root:
        root["echo"] = objweb.Script(params="a='absent', b=''", body="return [a, b]")
    body = (b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n\r\n'
            b'--x\r\nContent-Disposition: form-data; name="b"\r\n\r\n\xc3\xa9\r\n--x--\r\n')
    response = app.post("/echo", body, status=200, headers={
        "Content-Type": f"multipart/form-data; boundary=x; charset={charset}"})
    assert response.json == ["", "\u00e9"]


def test_a_urlencoded_form_keeps_its_empty_fields(app, sample):
    with objweb.site(sample) as root:
        root["echo"] = objweb.Script(params="a='absent', b=''", body="return [a, b]")
    response = app.post("/echo", b"a=&b=%C3%A9", status=200, headers={"Content-Type": FORM})
    assert response.json == ["", "\u00e9"]


def test_a_part_with_long_lines_of_content_is_read_whole(app, sample):
    with objweb.site(sample) as root:
        root["echo"] = objweb.Script(params="f=''", body="return len(f)")
    value = b"a" * 300_000 + b"\n" + b"b" * 200_000
    body = (b'--x\r\nContent-Disposition: form-data; name="f"\r\n\r\n' + value +
            b"\r\n--x--\r\n")
    response = app.post("/echo", body, status=200,
                        headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert response.json == len(value)


def test_a_urlencoded_part_is_one_value_not_a_form(app, sample):
    with objweb.site(sample) as root:
        root["echo"] = objweb.Script(params="f=''", body="return f")
    fields = b"a=1&" * 3000
    body = (b'--x\r\nContent-Disposition: form-data; name="f"\r\n'
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\n" + fields +
            b"\r\n--x--\r\n")
    response = app.post("/echo", body, status=200,
                        headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert response.text == fields.decode()


@pytest.mark.parametrize("content_type", [
    "multipart/form-data", "multipart/form-data; boundary=",
    "multipart/form-data; boundary*=utf-8''%E2%82%AC"])
def test_a_multipart_form_without_a_boundary_is_400(limited, content_type):
    response = limited.post("/news/manage_add?type=File", b"--x\r\n", status=400,
                            headers=dict(ADMIN_AUTH, **BROWSER_ACCEPT,
                                         **{"Content-Type": content_type}))
    assert "<p>the multipart form has no boundary</p>" in response.text


# -- JSON -------------------------------------------------------------------------------

def nested(depth: int) -> dict:
    value = []
    for _ in range(depth - 2):
        value = [value]
    return {"title": "deep", "tags": value}


def test_json_nested_over_the_limit_is_400(limited, sample):
    before = snapshot(sample)
    body = json.dumps(nested(5)).encode()
    response = limited.patch("/news/hello", body, headers=JSON_BODY, status=400)
    assert response.json == {"error": "the JSON body is nested more than 4 levels deep"}
    assert snapshot(sample) == before


def test_json_at_the_depth_limit_is_parsed(limited, sample):
    body = json.dumps({"title": "deep", "x": [[[]]]}).encode()
    response = limited.patch("/news/hello", body, headers=JSON_BODY, status=400)
    # Parsed: refused for its unknown field, not for its depth.
    assert "nested" not in response.json["error"]


def test_brackets_inside_strings_do_not_count(limited, sample):
    title = '[[[[{{{{ "\\"[[[['
    body = json.dumps({"title": title}).encode()
    limited.patch("/news/hello", body, headers=JSON_BODY, status=204)
    with objweb.site(sample) as root:
        assert root["news"]["hello"].title == title


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_a_million_deep_is_a_400_never_a_500(app, sample, opening):
    before = snapshot(sample)
    closing = "]" if opening == "[" else "}"
    body = ('{"title": ' + opening * 1_000_000 + "1" + closing * 1_000_000 + "}").encode()
    response = app.patch("/news/hello", body, headers=JSON_BODY, status=400)
    assert response.json == {"error": "the JSON body is nested more than 32 levels deep"}
    assert snapshot(sample) == before


@pytest.mark.parametrize("body, error", [
    ('{"title": ' + "[" * 50, "the JSON body is nested more than 4 levels deep"),
    ('{"title": [' + "[]," * 50 + "[]]]]}", "the body is not valid JSON"),
    ('{"title": [' + "[]," * 50 + "[}}", "the body is not valid JSON"),
    # As many openers left unclosed as the limit allows: not too deep, only not JSON.
    ('{"title": [[], [[', "the body is not valid JSON"),
])
def test_json_with_brackets_that_do_not_match_is_400(limited, sample, body, error):
    before = snapshot(sample)
    response = limited.patch("/news/hello", body.encode(), headers=JSON_BODY, status=400)
    assert response.json["error"].startswith(error)
    assert snapshot(sample) == before


def test_a_depth_limit_past_the_parser_s_stack_is_still_a_400(app_with, sample):
    app = app_with(settings=objweb.Settings(max_json_depth=1_000_000))
    body = ('{"title": ' + "[" * 100_000 + "]" * 100_000 + "}").encode()
    response = app.patch("/news/hello", body, headers=JSON_BODY, status=400)
    assert response.json == {"error": "the JSON body is nested too deeply"}


def test_a_get_with_a_form_body_is_held_to_the_form_limits(limited):
    # The add screen reads `request.params`, the query and the form together.
    request = chunked("/news/manage_add?type=Page", b"a=1&b=2&c=3&d=4&e=5&f=6", method="GET",
                      headers=dict(ADMIN_AUTH, **BROWSER_ACCEPT, **{"Content-Type": FORM}))
    assert "the form has more than 5 fields" in limited.do_request(request, status=413).text


def test_the_json_size_limit_is_413(limited, sample):
    body = json.dumps({"title": "t" * 600}).encode()
    response = limited.patch("/news/hello", body, headers=JSON_BODY, status=413)
    assert response.json == {"error": "the JSON body is over 500 bytes"}


# -- batches ----------------------------------------------------------------------------

def test_a_batch_over_the_limit_is_400(limited):
    assert limited.get("/news?b_size=10", headers=JSON, status=200).json["batching"]["b_size"] == 10
    refused = limited.get("/news?b_size=11", headers=JSON, status=400)
    assert refused.json == {"error": "b_size can be at most 10"}
    page = limited.get("/news/@@search?b_size=11", headers=dict(ADMIN_AUTH, **BROWSER_ACCEPT),
                       status=400)
    assert "b_size can be at most 10" in page.text
