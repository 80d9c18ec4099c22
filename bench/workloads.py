"""objweb's request for each workload, and the checks that it is answered as meant.

A figure is worth something only if the answer was the page meant: a login form
answered 200 is no Contents screen. So before each workload is measured, one request
is sent by hand and its status and a piece of its body are checked, or the whole body
where a piece would prove little (the search's results, in their order; the
listing's 100 items; the File's 100 KB).
"""

import base64
import http.client
import json
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import big_pages
from requests import Request
from sites import ADMIN, BIG, DEPTH, PASSWORD, PUT_BODY, SMALL

DEEP = "/bench/" + "/".join(f"d{level}" for level in range(2, DEPTH + 1)) + "/page"
HTML = (("Accept", "text/html"),)
JSON = (("Accept", "application/json"),)
BASIC = "Basic " + base64.b64encode(f"{ADMIN}:{PASSWORD}".encode()).decode()
PATCH_BODY = json.dumps({"title": "Edited by the bench"}).encode()
FILE_SIZE = 100 * 1024
SEARCH_SIZE = 20
SEARCH = urlencode({"text": big_pages.SEARCH_WORD, "b_size": SEARCH_SIZE})
SORTED = urlencode({"type": "Page", "sort_on": "modified", "sort_order": "descending",
                    "b_size": SEARCH_SIZE})
# The live properties a file manager asks for to show a folder (as bench/webdav.py).
PROPFIND_BODY = (b'<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>'
                 b"<D:resourcetype/><D:getcontentlength/><D:getlastmodified/><D:getetag/>"
                 b"<D:displayname/></D:prop></D:propfind>")
DAV_MANAGER = (("Authorization", BASIC),)


def _item_ids(body: bytes, total: int) -> list[str] | None:
    """The ids of a JSON search answer's items, if it counts `total` results; else None."""
    answer = json.loads(body)
    if answer.get("items_total") != total:
        return None
    return [item["id"] for item in answer["items"]]


def found_the_holders(body: bytes) -> bool:
    """Whether a search for the rare word answered exactly the Pages that hold it."""
    holders = [f"item-{number:06d}" for number in big_pages.holders(big_pages.SEARCH_WORD, BIG)]
    ids = _item_ids(body, len(holders))
    return ids is not None and sorted(ids) == holders[:SEARCH_SIZE]


def found_the_newest(body: bytes) -> bool:
    """Whether a search by modified answered the newest 20 Pages of /big, newest first."""
    ids = _item_ids(body, BIG)
    return ids == [f"item-{number:06d}" for number in big_pages.newest(BIG, SEARCH_SIZE)]


def listed_small(body: bytes) -> bool:
    """Whether a PROPFIND of /small answered the folder and each of its 100 items."""
    return b"/@@dav/small/" in body and all(
        f"/@@dav/small/item-{number:06d}<".encode() in body for number in range(SMALL))


def whole_file(body: bytes) -> bool:
    """Whether the body is the whole 100 KB File."""
    return len(body) == FILE_SIZE


# What each answer must hold: (status, bytes in the body, or a test of the whole body).
EXPECTED = {
    "bare_hello": (200, b"Hello"),
    "page_depth1": (200, b"Some text of the bench page"),
    "page_depth10": (200, b"Some text of the bench page"),
    "file_100k": (200, whole_file),
    "template_macro_loop": (200, b"<td>99</td>"),
    "script_call": (200, b"Hello bench from Bench"),
    "json_batch_100k": (200, b'"item-050049"'),
    "zmi_contents_100k": (200, b"item-000049"),
    "zmi_contents_100": (200, b"item-000049"),
    "json_patch": (204, b""),
    "catalog_search": (200, found_the_holders),
    "catalog_sorted": (200, found_the_newest),
    "webdav_propfind_100": (207, listed_small),
    "webdav_get_file": (200, whole_file),
    "webdav_put": (204, b""),
    "extension_view": (200, b"<h1>A page</h1>"),
}


def objweb_requests(cookie: str) -> dict[str, Request]:
    """The request of each workload against objweb; `cookie` is a manager's session."""
    manager = HTML + (("Cookie", cookie),)
    return {
        "bare_hello": Request("GET", "/"),
        "page_depth1": Request("GET", "/bench/page", headers=HTML),
        "page_depth10": Request("GET", DEEP, headers=HTML),
        "file_100k": Request("GET", "/bench/file"),
        "template_macro_loop": Request("GET", "/bench/rows", headers=HTML),
        "script_call": Request("GET", "/bench/greet?name=bench"),
        "json_batch_100k": Request("GET", f"/big?b_start={BIG // 2}&b_size=50", headers=JSON),
        "zmi_contents_100k": Request("GET", "/big/manage_contents", headers=manager),
        "zmi_contents_100": Request("GET", "/small/manage_contents", headers=manager),
        "json_patch": Request("PATCH", "/bench/edit", body=PATCH_BODY, writes=True, headers=(
            ("Content-Type", "application/json"), ("Authorization", BASIC))),
        "catalog_search": Request("GET", f"/big/@@search?{SEARCH}", headers=JSON),
        "catalog_sorted": Request("GET", f"/big/@@search?{SORTED}", headers=JSON),
        "webdav_propfind_100": Request("PROPFIND", "/@@dav/small/", body=PROPFIND_BODY,
                                       headers=DAV_MANAGER + (
                                           ("Depth", "1"),
                                           ("Content-Type", "application/xml"))),
        "webdav_get_file": Request("GET", "/@@dav/bench/file", headers=DAV_MANAGER),
        "webdav_put": Request("PUT", "/@@dav/bench/put", body=PUT_BODY.encode(), writes=True,
                              headers=DAV_MANAGER + (("Content-Type", "text/html"),)),
        "extension_view": Request("GET", "/bench/page/@@summary", headers=HTML),
    }


def send(port: int, request: Request) -> tuple[int, bytes]:
    """Send `request` once; return the status and the body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(request.method, request.path, body=request.body or None,
                       headers=dict(request.headers))
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def check(port: int, name: str, request: Request, expected=EXPECTED) -> None:
    """Raise unless `request` is answered as the workload means; warms the caches too."""
    status, body = send(port, request)
    want_status, want = expected.get(name, (None, b""))
    if (want_status is not None and status != want_status) or not _holds(body, want):
        raise RuntimeError(f"{name}: {request.method} {request.path} answered {status}; "
                           f"wanted {want_status} {_described(want)}: {body[:300]!r}")


def _holds(body: bytes, want) -> bool:
    if callable(want):
        try:
            return want(body)
        except (ValueError, KeyError, TypeError):  # not the JSON meant
            return False
    return want in body


def _described(want) -> str:
    return f"passing {want.__name__}" if callable(want) else f"holding {want!r}"


def log_in(port: int) -> str:
    """Log in through the /@@login form as a browser does; return the Cookie header."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/@@login", headers={"Accept": "text/html"})
    response = connection.getresponse()
    page = response.read().decode()
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or ():
        cookies.load(header)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    jar = "; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items())
    body = urlencode({"login": ADMIN, "password": PASSWORD, "csrf_token": token,
                      "came_from": "/"})
    connection.request("POST", "/@@login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": jar})
    response = connection.getresponse()
    response.read()
    if response.status != 303:
        raise RuntimeError(f"logging in answered {response.status}")
    for header in response.headers.get_all("Set-Cookie") or ():
        cookies.load(header)
    connection.close()
    return "; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items() if morsel.value)
