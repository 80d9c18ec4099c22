"""objweb's request for each workload, and the checks that it is answered as meant.

A figure is worth something only if the answer was the page meant: a login form
answered 200 is no Contents screen. So before each workload is measured, one request
is sent by hand and its status and a piece of its body are checked.
"""

import base64
import http.client
import json
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from requests import Request
from sites import ADMIN, BIG, DEPTH, PASSWORD

DEEP = "/bench/" + "/".join(f"d{level}" for level in range(2, DEPTH + 1)) + "/page"
HTML = (("Accept", "text/html"),)
JSON = (("Accept", "application/json"),)
BASIC = "Basic " + base64.b64encode(f"{ADMIN}:{PASSWORD}".encode()).decode()
PATCH_BODY = json.dumps({"title": "Edited by the bench"}).encode()

# What each answer must hold: (status, bytes in the body).
EXPECTED = {
    "bare_hello": (200, b"Hello"),
    "page_depth1": (200, b"Some text of the bench page"),
    "page_depth10": (200, b"Some text of the bench page"),
    "file_100k": (200, b""),
    "template_macro_loop": (200, b"<td>99</td>"),
    "script_call": (200, b"Hello bench from Bench"),
    "json_batch_100k": (200, b'"item-050049"'),
    "zmi_contents_100k": (200, b"item-000049"),
    "zmi_contents_100": (200, b"item-000049"),
    "json_patch": (204, b""),
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
    want_status, want_text = expected.get(name, (None, b""))
    if (want_status is not None and status != want_status) or want_text not in body:
        raise RuntimeError(f"{name}: {request.method} {request.path} answered {status}, "
                           f"not {want_status} holding {want_text!r}: {body[:300]!r}")


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
