"""What the property tests found, kept as plain examples: each once answered 500.

Every request here is refused (or, for headers HTTP has a server ignore,
answered in full) with a clear message, and changes nothing.
"""

import pytest

from hostile_site import ADMIN_AUTH, RawRequest, admin_csrf_token, judge

SCRIPT = "/news/greet"
FORM = "application/x-www-form-urlencoded"


def message_of(answer) -> str:
    return answer.body.decode("utf-8", "replace")


@pytest.mark.parametrize("path", [SCRIPT, "/index_html", "/news"])
def test_a_query_string_that_is_not_utf8_is_refused(hostile_site, path):
    answer = judge(hostile_site, RawRequest(path=path, query="name=%ff%fe"))
    assert answer.status == 400
    assert "the query string is not valid UTF-8" in message_of(answer)


def test_a_query_string_that_is_not_utf8_is_refused_in_json(hostile_site):
    answer = judge(hostile_site, RawRequest(path="/news", query="b_size=%C3%28",
                                            headers=(("Accept", "application/json"),)))
    assert answer.status == 400
    assert '"error": "the query string is not valid UTF-8"' in message_of(answer)


@pytest.mark.parametrize("content_type", [FORM, "multipart/form-data; boundary=xyz"])
@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "bogus"])
def test_a_form_in_another_charset_than_utf8_is_refused(hostile_site, content_type, charset):
    body = (b'--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--xyz--\r\n'
            if content_type.startswith("multipart") else b"name=x")
    answer = judge(hostile_site, RawRequest(
        "POST", SCRIPT, headers=(("Content-Type", f"{content_type}; charset={charset}"),),
        body=body))
    assert answer.status == 400
    assert f"send the form in UTF-8, not {charset}" in message_of(answer)


def test_a_form_in_utf8_still_reaches_the_script(hostile_site):
    answer = judge(hostile_site, RawRequest(
        "POST", SCRIPT, headers=(("Content-Type", f"{FORM}; charset=UTF-8"),), body=b"name=x"))
    assert (answer.status, answer.body) == (200, b"Hello x 1")


def test_a_multipart_boundary_that_is_not_ascii_is_refused(hostile_site):
    answer = judge(hostile_site, RawRequest(
        "POST", "/news/@@manage_add", body=b"--\xc3\xbf\r\n",
        headers=(("Authorization", ADMIN_AUTH),
                 ("Content-Type", "multipart/form-data; boundary=\xc3\xbf"))))
    assert answer.status == 400
    assert "the form cannot be read: Invalid boundary in multipart form" in message_of(answer)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_a_body_shorter_than_its_content_length_is_refused(hostile_site, method):
    answer = judge(hostile_site, RawRequest(
        method, "/news/new-page", body=b'{"title": "x"}', content_length="100000",
        headers=(("Authorization", ADMIN_AUTH), ("Content-Type", "application/json"))))
    assert answer.status == 400
    assert "the request body ended before its Content-Length" in message_of(answer)


@pytest.mark.parametrize("path", ["/", SCRIPT])
def test_a_multipart_part_without_a_name_is_no_field(hostile_site, path):
    answer = judge(hostile_site, RawRequest(
        "POST", path, body=b"--xyz\r\nContent-Disposition: form-data\r\n\r\nx\r\n--xyz--\r\n",
        headers=(("Content-Type", "multipart/form-data; boundary=xyz"),
                 ("Authorization", ADMIN_AUTH),
                 ("X-CSRF-Token", admin_csrf_token(hostile_site)))))
    assert answer.status == 200


def test_a_form_sent_with_get_shorter_than_its_content_length_is_refused(hostile_site):
    answer = judge(hostile_site, RawRequest(
        "GET", "/news/greet", body=b"name=x", content_length="99999",
        headers=(("Content-Type", FORM),)))
    assert answer.status == 400
    assert "the request body ended before its Content-Length" in message_of(answer)


@pytest.mark.parametrize("headers", [
    (("Range", "bytes=-"),),
    (("Range", "bytes=0-1"), ("If-Range", "x GMT")),
    (("Range", "bytes=0-1"), ("If-Range", "Mon, 01 Jan 99999 00:00:00 GMT")),
    (("If-Modified-Since", "Mon, 01 Jan 99999 00:00:00 GMT"),),
    (("If-Unmodified-Since", "Mon, 01 Jan 99999 00:00:00 GMT"),),
], ids=["empty range", "if-range not a date", "if-range past 9999", "modified since 99999",
        "unmodified since 99999"])
def test_a_range_or_date_that_cannot_be_read_is_ignored(hostile_site, headers):
    whole = judge(hostile_site, RawRequest(path="/news/report"))
    answer = judge(hostile_site, RawRequest(path="/news/report", headers=headers))
    assert answer.status == 200
    assert answer.body == whole.body


def test_a_readable_range_is_still_served(hostile_site):
    answer = judge(hostile_site, RawRequest(path="/news/report", headers=(
        ("Range", "bytes=0-3"), ("If-Range", "Fri, 31 Dec 9999 23:59:59 GMT"))))
    assert (answer.status, answer.body) == (206, b"%PDF")
