"""Code written by one user never reads the credentials of another who opens it.

An Editor's Script or Template opened by a Manager runs in the Manager's request:
whatever name the code asks for, it never gets the Manager's `Authorization`,
`Proxy-Authorization` or `Cookie` header. The names are compared as WebOb looks
them up, by the key of the WSGI environment, and only ASCII token names are
accepted: `'authorızation'` (a dotless ı) upper-cases to `AUTHORIZATION`.
"""

import pytest
from webtest import TestApp

import objweb
from objweb import Script, Template
from sandbox_support import base_storage, db  # noqa: F401 (fixtures: users made once)
from support import ADMIN, ADMIN_AUTH, ADMIN_PASSWORD, BROWSER_ACCEPT, browser_login

CREDENTIAL_NAMES = [
    "AUTHORIZATION", "Authorization", "authorization", "COOKIE", "Cookie", "cookie",
    "Proxy_Authorization", "proxy_authorization", "Proxy-Authorization", "PROXY-authorization",
]
PROXY_SECRET = "Basic cHJveHk6c2VjcmV0"


@pytest.fixture
def web(db):
    """A site where the Editor owns a Script and a Template echoing the headers asked for."""
    names = repr(CREDENTIAL_NAMES)
    with objweb.site(db, user="editor") as root:
        root["echo"] = Script(body=f"return [request.get_header(n, 'none') for n in {names}]")
        root["page"] = Template(source=(
            f'<p tal:repeat="n python: {names}" '
            'tal:content="python: request.get_header(n, \'none\')">x</p>'))
        root["ask"] = Script(params="name", body="return request.get_header(name, 'none')")
        root["ask_page"] = Template(source=(
            '<p tal:content="python: request.get_header(request.form[\'name\'], \'none\')"/>'))
    return TestApp(objweb.make_app(db))


@pytest.mark.parametrize("name", ["authorızation", "cookıe", "proxy-authorızation"])
def test_finding_03_dotless_i_cannot_read_authorization(web, name):
    headers = {**ADMIN_AUTH, "Proxy-Authorization": PROXY_SECRET, "Cookie": "kept=secret-cookie"}
    for path in ("/ask", "/ask_page"):
        response = web.get(path, {"name": name}, headers=headers, status=500)
        assert "not a header name" in response.text
        for secret in (ADMIN_AUTH["Authorization"], PROXY_SECRET, "secret-cookie"):
            assert secret not in response.text


def test_no_ascii_spelling_reads_credentials(web):
    headers = {**ADMIN_AUTH, "Proxy-Authorization": PROXY_SECRET}
    answer = web.get("/echo", headers=headers, status=200).json
    assert answer == ["none"] * len(CREDENTIAL_NAMES)
    page = web.get("/page", headers=headers, status=200).text
    assert ADMIN_AUTH["Authorization"] not in page and PROXY_SECRET not in page
    assert page.count("<p>none</p>") == len(CREDENTIAL_NAMES)


def test_no_spelling_reads_a_managers_session_cookie(web):
    browser_login(web, ADMIN, ADMIN_PASSWORD)
    cookie = web.cookies
    assert cookie, "the login set a session cookie"
    answer = web.get("/echo", headers=BROWSER_ACCEPT, status=200).json
    assert answer == ["none"] * len(CREDENTIAL_NAMES)
    page = web.get("/page", headers=BROWSER_ACCEPT, status=200).text
    assert not any(value in page for value in cookie.values())


def test_plain_headers_stay_readable_in_any_case(db, web):
    with objweb.site(db, user="editor") as root:
        root["plain"] = Script(body=(
            "return [request.get_header('x-trace'), request.get_header('X_TRACE'), "
            "request.get_header('content-type'), request.get_header('User-Agent', 'none')]"))
    answer = web.post("/plain", {"a": "1"}, headers={"X-Trace": "t-1"}, status=200).json
    assert answer == ["t-1", "t-1", "application/x-www-form-urlencoded", "none"]


@pytest.mark.parametrize("name", ["X Trace", "X:Trace", "", "ünïcode", "ﬁle"])
def test_header_names_that_are_not_ascii_tokens_are_refused(web, name):
    response = web.get("/ask", {"name": name}, headers=ADMIN_AUTH, status=500)
    assert "not a header name" in response.text
