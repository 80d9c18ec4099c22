"""Hypothesis strategies for hostile requests: paths, headers, queries and bodies.

Each strategy draws a `RawRequest` whose parts mix the sample site's real
names with what an attacker or a broken client sends: climbing segments,
private and management names, bad percent-encoding, bytes that are not UTF-8,
odd methods, garbage credentials and cookies, Range headers of every form,
bad dates, JSON of the wrong shape, and multipart bodies cut or mislabelled.
The tests and `bench/hostile_run.py` share them.
"""

import base64
import json
from urllib.parse import quote

from hypothesis import strategies as st

from hostile_site import ADMIN_AUTH, BODY_PATHS, EDITOR_AUTH, SITE_PATHS, RawRequest

REAL_NAMES = ["news", "hello", "report", "logo", "view", "greet", "private", "secret",
              "acl_users", "index_html", "admin", "editor", "new-page"]
HOSTILE_NAMES = [
    "..", ".", "", "@@", "@@manage", "@@manage_edit", "@@manage_contents", "@@login",
    "@@logout", "@@health", "@@manage_static", "@@proxy-roles", "@@put", "manage",
    "manage_main", "manage_workspace", "_private", "_items", "_security", "_p_jar",
    "__class__", "__dict__", "__parent__", "aq_parent", "aq_base", "aq_acquire",
    "keys", "values", "get_user", "password_hash", "%2e%2e", "%2F", "%2f..%2f", "%00",
    "\x00", "a\x00b", "%ff", "\xff\xfe", "\xc3\x28", "\xe2\x82", "%", "%%", "%zz",
    "VirtualHostBase", "VirtualHostRoot", "http", "https", "example.com:8080", "_vh_x",
    "\r\nSet-Cookie: pwned=1", "\\..\\", ";jsessionid=1", "?", "#", " ", "\t",
    "é", "☃", "\U0001f600", "x" * 300, "CON", "index_html?x=1",
]
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND",
           "TRACE", "CONNECT", "MKCOL", "get", "G\x00T", "", "X" * 100, "POST "]


def as_wsgi(text: str) -> str:
    """Return `text` as a WSGI string: its UTF-8 bytes read as latin-1.

    A lone surrogate becomes bytes that are not UTF-8, as a broken client sends.
    """
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


def latin1(data: bytes) -> str:
    return data.decode("latin-1")


# -- paths ---------------------------------------------------------------------------

segment = st.one_of(
    st.sampled_from(REAL_NAMES),
    st.sampled_from(HOSTILE_NAMES).map(as_wsgi),
    st.text(max_size=12).map(as_wsgi),
    st.binary(max_size=8).map(latin1),
)
paths = st.one_of(
    st.sampled_from(SITE_PATHS),
    st.lists(segment, max_size=7).map(lambda parts: "/" + "/".join(parts)),
    st.tuples(st.sampled_from(SITE_PATHS), st.lists(segment, min_size=1, max_size=3)).map(
        lambda pair: pair[0].rstrip("/") + "/" + "/".join(pair[1])),
    st.binary(max_size=40).map(latin1),
)

# -- query strings -------------------------------------------------------------------

QUERY_KEYS = ["b_start", "b_size", "came_from", "name", "count", "csrf_token", "title",
              "id", "ids", "ids:list", "type_name", "permission", "roles", "login",
              "password", "days", "q", "sort_on", ""]
garbage_number = st.one_of(
    st.integers(min_value=-2**70, max_value=2**70).map(str),
    st.sampled_from(["", "-1", "0", "1e99", "NaN", "inf", "0x10", " 5", "5 ", "١٢", "9" * 400,
                     "1.5", "--1", "+3", "None", "[]", "%00"]),
)
query_value = st.one_of(garbage_number, st.text(max_size=20), st.sampled_from(
    ["/news", "//evil.com", "http://evil.com/", "javascript:alert(1)", "\r\nX: y"]))
query_pairs = st.lists(st.tuples(st.one_of(st.sampled_from(QUERY_KEYS), st.text(max_size=8)),
                                 query_value), max_size=6)


def encode_pairs(pairs) -> str:
    return "&".join(quote(key, safe="") + "=" + quote(value, safe="") for key, value in pairs)


queries = st.one_of(
    query_pairs.map(encode_pairs),
    st.sampled_from(["", "&&", "=", "==&=", "b_start", "b_size=%", "b_start=%zz",
                     "name=%ff%fe", "a=1&a=2&a=3", "b_size=1&b_size=-1", "%00=%00", "?"]),
    st.binary(max_size=40).map(latin1),
)

# -- headers -------------------------------------------------------------------------

def basic(data: bytes) -> str:
    return "Basic " + base64.b64encode(data).decode()


authorizations = st.one_of(
    st.sampled_from([ADMIN_AUTH, EDITOR_AUTH, "Basic", "Basic ", "Basic !!!", "Basic ====",
                     "Bearer abc", "Digest username=admin", "basic " + ADMIN_AUTH[6:],
                     "Basic " + ADMIN_AUTH[6:] + "=", ADMIN_AUTH + " extra"]),
    st.binary(max_size=30).map(basic),
    st.text(max_size=30).map(as_wsgi),
)
cookies = st.one_of(
    st.sampled_from(["objweb_session=x", "objweb_session=eyJ1c2VyX2lkIjoiYWRtaW4ifQ.x",
                     "objweb_session=", "objweb_session=a.b.c.d", "objweb_session=\"\\\"",
                     "objweb_session=" + "A" * 5000, "=;=;", "a=b; objweb_session=%ff"]),
    st.text(max_size=40).map(lambda text: "objweb_session=" + as_wsgi(text)),
)
accepts = st.sampled_from(
    ["application/json", "text/html", "*/*", "application/json;q=abc", "text/html;q=2",
     "application/*", ",,,", "application/json, text/html;q=0.5", "image/png", "\x00",
     "text/html;level=1;q=0.1, application/json;q=0.9"])
content_types = st.sampled_from(
    ["application/json", "application/json; charset=bogus", "application/json; charset=utf-16",
     "application/x-www-form-urlencoded", "multipart/form-data",
     "multipart/form-data; boundary=", "multipart/form-data; boundary=\"unterminated",
     "text/plain", "text/html", "application/octet-stream", "image/png",
     "application/merge-patch+json", ";;", "x/y; charset=utf-8", "application/xml"])
ranges = st.one_of(
    st.sampled_from(["bytes=0-1", "bytes=-5", "bytes=5-", "bytes=5-1", "bytes=a-b",
                     "bytes=0-1,3-4", "items=0-1", "bytes=99999999999999999999999-",
                     "bytes=-0", "bytes=", "bytes", "bytes=0-0,-1", "bytes=--1", "=",
                     "bytes=0-" + "9" * 60, "bytes=1-2,,", " bytes = 1 - 2 ", "bytes=-",
                     "BYTES=0-1",
                     "bytes=" + ",".join(["0-0"] * 300)]),
    st.tuples(st.integers(-10, 2**64), st.integers(-10, 2**64)).map(
        lambda pair: f"bytes={pair[0]}-{pair[1]}"),
    st.text(max_size=20).map(as_wsgi),
)
dates = st.one_of(
    st.sampled_from(["Mon, 99 Foo 9999 99:99:99 GMT", "0", "", "yesterday",
                     "Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
                     "Sun, 06 Nov 1994 08:49:37 GMT", "-1", "Sunday, 06-Nov-94 08:49:37 GMT",
                     "1" * 200, "Mon, 01 Jan 99999 00:00:00 GMT", "Mon, 01 Jan 0 00:00:00 GMT",
                     "Mon, 01 Jan 1970 00:00:00 +9999", "x GMT", " GMT"]),
    st.text(max_size=30).map(as_wsgi),
)
etags = st.sampled_from(['"x"', "*", "W/", 'W/"x", "y"', '"', ",,,", "\x00", '"' * 100])

HEADERS = {
    "Authorization": authorizations, "Cookie": cookies, "Accept": accepts,
    "Content-Type": content_types, "Range": ranges, "If-Range": st.one_of(etags, dates),
    "If-None-Match": etags, "If-Match": etags, "If-Modified-Since": dates,
    "If-Unmodified-Since": dates, "X-CSRF-Token": st.text(max_size=20).map(as_wsgi),
    "Host": st.sampled_from(["", "evil.com", "a b", "[::1]:x", "\xff", "x" * 300, "h:99999"]),
    "Destination": st.sampled_from(["/news/x", "http://evil.com/", "\x00"]),
    "Accept-Charset": st.sampled_from(["bogus", "*", "utf-8;q=x"]),
    "Accept-Language": st.sampled_from(["xx;q=", "*", "\x00"]),
    "Origin": st.sampled_from(["null", "http://evil.com", ""]),
    "Referer": st.sampled_from(["http://evil.com/", "\xff", ""]),
    "User-Agent": st.sampled_from(["\x00" * 10, "x" * 100000, "\r\n"]),
    "X-Forwarded-For": st.sampled_from(["1.2.3.4, evil", "::::", "x" * 10000]),
}


@st.composite
def header_sets(draw, max_size=5):
    """Draw a few headers from `HEADERS`, with values that are sometimes garbage."""
    names = draw(st.lists(st.sampled_from(sorted(HEADERS)), max_size=max_size, unique=True))
    return tuple((name, draw(HEADERS[name])) for name in names)


# -- bodies --------------------------------------------------------------------------

FIELDS = ["@type", "id", "title", "body", "data", "content_type", "params", "source",
          "description", "roles", "owner", "items", "@id", "modified", "size", "_security"]
TYPES = ["Page", "Folder", "File", "Image", "Template", "Script", "UserFolder", "", "dict",
         "Item", None, 1]
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=30), st.sampled_from(TYPES)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=12,
)
json_objects = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)),
                               json_values, max_size=6)
json_bodies = st.one_of(
    json_objects.map(lambda value: json.dumps(value).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.sampled_from([b"", b"{", b"{}", b'{"title": NaN}', b'{"a": 1e999}', b"\xff\xfe{}",
                     b'{"title": "\\ud800"}', b"[" * 5000, b'{"@type": "Page", "id": "x"}',
                     b'{"@type": "Page", "id": "x", "title": ["a"]}', b"null", b'"str"']),
    st.binary(max_size=60),
)
charsets = st.sampled_from(["", "", "", "; charset=utf-8", "; charset=latin-1", "; charset=bogus",
                           "; charset=utf-16", "; charset="])
FORM_KEYS = ["title", "body", "id", "type_name", "ids", "ids:list", "csrf_token", "login",
             "password", "came_from", "name", "count", "params", "source", "content_type",
             "permission", "roles", "acquire", "user", "new_password", "days", "file",
             "submit", "delete", "rename", "new_id", "copy", "cut", "paste", "undo"]
form_pairs = st.lists(st.tuples(st.one_of(st.sampled_from(FORM_KEYS), st.text(max_size=6)),
                                query_value), max_size=6)
form_bodies = st.one_of(form_pairs.map(lambda pairs: encode_pairs(pairs).encode()),
                        st.binary(max_size=60))


@st.composite
def multipart_bodies(draw):
    """Draw (content type, body) of a multipart form, often broken on purpose."""
    boundary = draw(st.sampled_from(["xyz", "----b", "a" * 80, "\xff", "x y"]))
    parts = []
    for name, value in draw(st.lists(st.tuples(st.sampled_from(FORM_KEYS), st.binary(max_size=30)),
                                     max_size=4)):
        disposition = draw(st.sampled_from([
            f'form-data; name="{name}"', f'form-data; name="{name}"; filename="f.txt"',
            f'form-data; name="{name}"; filename="../../etc/passwd"', "form-data",
            'form-data; name="', "attachment", f'form-data; name="{name}"; filename="\xff"']))
        head = f"Content-Disposition: {disposition}\r\n"
        if draw(st.booleans()):
            head += "Content-Type: " + draw(st.sampled_from(
                ["text/plain", "image/png", "application/octet-stream", "", "x"])) + "\r\n"
        parts.append(f"--{boundary}\r\n{head}\r\n".encode("latin-1") + value + b"\r\n")
    ending = draw(st.sampled_from([f"--{boundary}--\r\n", "", f"--{boundary}", "--other--\r\n"]))
    body = b"".join(parts) + ending.encode("latin-1")
    declared = draw(st.sampled_from([boundary, boundary, "other", ""]))
    return f"multipart/form-data; boundary={declared}{draw(charsets)}", body


@st.composite
def body_requests(draw):
    """Draw a request with a body: JSON, a form, multipart or raw bytes, on a real path."""
    method = draw(st.sampled_from(["POST", "POST", "PUT", "PATCH", "DELETE", "GET"]))
    path = draw(st.one_of(st.sampled_from(BODY_PATHS), paths))
    kind = draw(st.sampled_from(["json", "form", "multipart", "raw"]))
    if kind == "json":
        content_type = draw(st.sampled_from(["application/json", "application/ld+json",
                                             "application/json; charset=bogus", "text/plain"]))
        body = draw(json_bodies)
    elif kind == "form":
        content_type = "application/x-www-form-urlencoded" + draw(charsets)
        body = draw(form_bodies)
    elif kind == "multipart":
        content_type, body = draw(multipart_bodies())
    else:
        content_type, body = draw(content_types), draw(st.binary(max_size=80))
    headers = [("Content-Type", content_type),
               ("Authorization", draw(st.sampled_from([ADMIN_AUTH, ADMIN_AUTH, EDITOR_AUTH, ""])))]
    headers += [("Accept", draw(accepts))] if draw(st.booleans()) else []
    length = draw(st.one_of(st.none(), st.sampled_from(
        ["", "abc", "-1", "0", "1", "99999", "1e3", " 3", "18446744073709551616"])))
    return RawRequest(method, path, draw(queries) if draw(st.booleans()) else "",
                      tuple(pair for pair in headers if pair[1]), body, length)


# -- whole requests ------------------------------------------------------------------

path_requests = st.builds(RawRequest, method=st.sampled_from(["GET", "GET", "HEAD", "POST"]),
                          path=paths, headers=st.sampled_from([(), (("Authorization", ADMIN_AUTH),),
                                                              (("Accept", "application/json"),)]))
header_requests = st.builds(RawRequest, method=st.sampled_from(METHODS),
                            path=st.sampled_from(SITE_PATHS), headers=header_sets())
query_requests = st.builds(RawRequest, method=st.sampled_from(["GET", "HEAD"]),
                           path=st.sampled_from(SITE_PATHS + ("/news/greet", "/@@login")),
                           query=queries, headers=st.sampled_from(
                               [(), (("Accept", "application/json"),),
                                (("Authorization", ADMIN_AUTH), ("Accept", "application/json"))]))
range_requests = st.builds(
    RawRequest, method=st.sampled_from(["GET", "HEAD"]),
    path=st.sampled_from(["/news/report", "/news/logo", "/news/hello"]),
    headers=st.tuples(st.tuples(st.just("Range"), ranges),
                      st.tuples(st.just("If-Range"), st.one_of(etags, dates)),
                      st.tuples(st.just("If-None-Match"), etags),
                      st.tuples(st.just("If-Modified-Since"), dates)).flatmap(
                          lambda all_four: st.lists(st.sampled_from(all_four), min_size=1,
                                                    max_size=4, unique=True).map(tuple)))
any_request = st.one_of(path_requests, header_requests, query_requests, range_requests,
                        body_requests(),
                        st.builds(RawRequest, method=st.sampled_from(METHODS), path=paths,
                                  query=queries, headers=header_sets()))
