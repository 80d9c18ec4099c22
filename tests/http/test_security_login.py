"""Logging in with a browser: the login form, the session cookie, coming back, logging out."""

import base64
import re

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Settings, UserFolder
from objweb.content.site import site_secret
from objweb.security.sessions import new_session, sign
from objweb.web.identity import ENDED_SESSIONS_KEY
from support import ADMIN, ADMIN_PASSWORD, BROWSER_ACCEPT, basic_auth, browser_login, csrf_token_in

SESSION = "objweb_session"


@pytest.fixture
def site(db):
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
        root["news"].manage_permission("View", roles=["Manager", "Editor"], acquire=False)
        root["acl_users"].add_user("editor", "editor-pw", roles=["Editor"])
        root["team"] = Folder(title="Team")
        root["team"]["acl_users"] = UserFolder()
        root["team"]["acl_users"].add_user("carol", "carol-pw", roles=["Manager"])
        root["team"]["doc"] = Page(title="Doc", body="<p>Team only</p>")
        root["team"].manage_permission("View", roles=["Manager"], acquire=False)
    return db


@pytest.fixture
def proxied(db) -> TestApp:
    """The site as a front server, a trusted proxy, reaches it with virtual-host paths."""
    return TestApp(objweb.make_app(db, Settings(trusted_proxies="127.0.0.1")),
                   extra_environ={"REMOTE_ADDR": "127.0.0.1"})


def cookie_header(response, name: str) -> str:
    for value in response.headers.getall("Set-Cookie"):
        if value.startswith(name + "="):
            return value
    raise AssertionError(f"no Set-Cookie for {name}: {response.headers}")


def submit_login(app, page, login: str, password: str, status=303, **kwargs):
    form = page.forms[0]
    form["login"] = login
    form["password"] = password
    return form.submit(headers=BROWSER_ACCEPT, status=status, **kwargs)


# -- the challenge ---------------------------------------------------------------------

def test_browser_without_credentials_gets_the_login_form(site, app):
    page = app.get("/news/hello", {"x": "1"}, headers=BROWSER_ACCEPT, status=401)
    assert page.content_type == "text/html"
    assert "Log in to see this page." in page.text
    form = page.forms[0]
    assert form.method.lower() == "post"
    assert form.action == "/@@login"
    assert form["came_from"].value == "/news/hello?x=1"
    assert form["csrf_token"].value
    assert page.headers["WWW-Authenticate"] == 'Form realm="objweb"'
    login_cookie = cookie_header(page, "objweb_login")
    assert "HttpOnly" in login_cookie and "SameSite=Lax" in login_cookie


@pytest.mark.parametrize("headers", [{}, {"Accept": "*/*"}, {"Accept": "text/html;q=0, */*"},
                                     {"Accept": "application/json"}])
def test_programs_get_the_basic_challenge(site, app, headers):
    response = app.get("/news/hello", headers=headers, status=401)
    assert response.headers["WWW-Authenticate"] == 'Basic realm="objweb"'
    assert "<form" not in response.text


def test_a_browser_sending_bad_basic_credentials_gets_the_basic_challenge(site, app):
    response = app.get("/news/hello", headers={**BROWSER_ACCEPT, **basic_auth(ADMIN, "wrong")},
                       status=401)
    assert response.headers["WWW-Authenticate"] == 'Basic realm="objweb"'


def test_a_logged_in_user_without_the_permission_gets_403_not_the_form(site, app):
    browser_login(app, "carol", "carol-pw", came_from="/team")
    response = app.get("/news/hello", headers=BROWSER_ACCEPT, status=403)
    assert "<form" not in response.text


# -- logging in ------------------------------------------------------------------------

def test_login_returns_to_the_page_asked_for(site, app):
    page = app.get("/news/hello", {"x": "1"}, headers=BROWSER_ACCEPT, status=401)
    response = submit_login(app, page, "editor", "editor-pw")
    assert response.location == "http://localhost/news/hello?x=1"
    assert "Hi" in response.follow(headers=BROWSER_ACCEPT, status=200).text


def test_session_cookie_is_signed_httponly_lax_and_expires(site, db):
    app = TestApp(objweb.make_app(db, Settings(session_lifetime=1234)))
    page = app.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    response = submit_login(app, page, "editor", "editor-pw")
    cookie = cookie_header(response, SESSION)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Max-Age=1234" in cookie
    assert "Path=/;" in cookie
    assert "secure" not in cookie.lower()
    ticket = cookie.split(";")[0].split("=", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", ticket)
    assert "editor-pw" not in cookie and "argon2" not in cookie


def test_session_cookie_is_secure_over_https(site, app):
    environ = {"wsgi.url_scheme": "https", "HTTP_HOST": "example.com"}
    page = app.get("/@@login", headers=BROWSER_ACCEPT, extra_environ=environ, status=200)
    assert "secure" in cookie_header(page, "objweb_login").lower()
    response = submit_login(app, page, "editor", "editor-pw", extra_environ=environ)
    assert "secure" in cookie_header(response, SESSION).lower()
    assert response.location == "https://example.com/"


def test_session_cookie_is_secure_behind_an_https_virtual_host(site, proxied):
    base = "/VirtualHostBase/https/example.com:443/VirtualHostRoot"
    # The proxy in front speaks HTTPS to the browser, whose cookie jar is what WebTest has.
    https = {"wsgi.url_scheme": "https", "HTTP_REFERER": "https://example.com/news/hello"}
    page = proxied.get(base + "/news/hello", headers=BROWSER_ACCEPT, extra_environ=https,
                       status=401)
    assert page.forms[0].action == "/@@login"
    assert page.forms[0]["came_from"].value == "/news/hello"
    page.forms[0].action = base + "/@@login"
    response = submit_login(proxied, page, "editor", "editor-pw", extra_environ=https)
    assert "secure" in cookie_header(response, SESSION).lower()
    assert response.location == "https://example.com/news/hello"


def test_cookies_are_scoped_to_a_site_mounted_under_a_prefix(site, proxied):
    base = "/VirtualHostBase/http/example.com/VirtualHostRoot/_vh_site"
    page = proxied.get(base + "/@@login", headers=BROWSER_ACCEPT, status=200)
    assert page.forms[0].action == "/site/@@login"
    assert "Path=/site;" in cookie_header(page, "objweb_login")


def test_login_page_alone_returns_to_the_site_root(site, app):
    page = app.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    assert page.forms[0]["came_from"].value == "/"
    assert submit_login(app, page, "editor", "editor-pw").location == "http://localhost/"


def test_login_page_of_an_object_returns_to_it(site, app):
    page = app.get("/news/@@login", headers=BROWSER_ACCEPT, status=200)
    assert page.forms[0]["came_from"].value == "/news"
    page = app.get("/team/doc/@@login", headers=BROWSER_ACCEPT, status=200)
    assert page.forms[0]["came_from"].value == "/team/doc"


def test_came_from_in_the_query_is_kept(site, app):
    page = app.get("/@@login", {"came_from": "/news/hello"}, headers=BROWSER_ACCEPT, status=200)
    assert page.forms[0]["came_from"].value == "/news/hello"


@pytest.mark.parametrize("came_from", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "http:/evil.example", "/news\r\nSet-Cookie: x=1", "/news hello",
    "news/hello", "", "/@@login", "/news/@@logout", "/" + "a" * 2100, "/news\x00",
])
def test_came_from_never_leaves_the_site(site, app, came_from):
    page = app.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    page.forms[0]["came_from"].force_value(came_from)
    response = submit_login(app, page, "editor", "editor-pw")
    assert response.location == "http://localhost/"


def test_a_stranger_crafted_virtual_host_cannot_redirect_elsewhere(site, proxied):
    # Should a front server pass on a stranger's virtual-host path as it is, the
    # browser's own origin still decides where the way back leads.
    base = "/VirtualHostBase/http/evil.example:80/VirtualHostRoot"
    page = proxied.get(base + "/@@login", headers=BROWSER_ACCEPT, status=200)
    assert "evil.example" not in page.forms[0].action
    response = proxied.post(base + "/@@login", {
        "login": "editor", "password": "editor-pw", "came_from": "/news/hello",
        "csrf_token": page.forms[0]["csrf_token"].value,
    }, headers={**BROWSER_ACCEPT, "Origin": "http://localhost"}, status=303)
    assert response.location == "http://localhost/news/hello"
    response = proxied.post(base + "/@@logout", {"csrf_token": csrf_token_in(
        proxied.get("/@@logout", status=200).text)},
        headers={"Referer": "http://localhost/@@logout"}, status=303)
    assert response.location == "http://localhost/"


@pytest.mark.parametrize("origin,location", [
    ("https://example.com", "https://example.com/news/hello"),
    ("https://example.com:443", "https://example.com/news/hello"),
    ("HTTPS://EXAMPLE.COM", "https://example.com/news/hello"),
    # Another origin: the target stays on the host the request really came to.
    ("https://other.example", "https://backend:8443/news/hello"),
    ("null", "https://backend:8443/news/hello"),
])
def test_the_way_back_stays_on_the_origin_the_browser_is_on(site, proxied, origin, location):
    base = "/VirtualHostBase/https/example.com:443/VirtualHostRoot"
    backend = {"wsgi.url_scheme": "https", "HTTP_HOST": "backend:8443"}
    page = proxied.get(base + "/@@login", headers=BROWSER_ACCEPT, extra_environ=backend, status=200)
    response = proxied.post(base + "/@@login", {
        "login": "editor", "password": "editor-pw", "came_from": "/news/hello",
        "csrf_token": page.forms[0]["csrf_token"].value,
    }, headers={**BROWSER_ACCEPT, "Origin": origin}, extra_environ=backend, status=303)
    assert response.location == location


def test_wrong_password_shows_the_form_again_without_a_session(site, app):
    page = app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)
    response = submit_login(app, page, "editor", "wrong", status=401)
    assert "The user name or the password is wrong." in response.text
    assert response.forms[0]["login"].value == ""
    assert response.forms[0]["came_from"].value == "/news/hello"
    assert not any(value.startswith(SESSION) for value in response.headers.getall("Set-Cookie"))
    app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)


def test_a_file_upload_as_password_is_no_password(site, app):
    page = app.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    response = app.post("/@@login", {"login": "editor", "csrf_token": page.forms[0]["csrf_token"].value},
                        upload_files=[("password", "pw.txt", b"editor-pw")],
                        headers=BROWSER_ACCEPT, status=401)
    assert "wrong" in response.text


def test_a_logged_in_user_can_log_in_as_another(site, app):
    browser_login(app, "editor", "editor-pw")
    page = app.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    assert "You are logged in as" in page.text and "editor" in page.text
    submit_login(app, page, ADMIN, ADMIN_PASSWORD)
    assert "admin" in app.get("/@@logout", status=200).text


# -- what a session can do ---------------------------------------------------------------

def test_a_session_sees_what_its_user_may(site, app):
    browser_login(app, "editor", "editor-pw")
    assert "Hi" in app.get("/news/hello", headers=BROWSER_ACCEPT, status=200).text
    app.get("/team/doc", headers=BROWSER_ACCEPT, status=403)


def test_role_changes_apply_to_open_sessions(site, app, db):
    browser_login(app, "editor", "editor-pw")
    with objweb.site(db) as root:
        root["acl_users"].update_user("editor", roles=[])
    app.get("/news/hello", headers=BROWSER_ACCEPT, status=403)


def test_a_user_of_a_nested_folder_logs_in_on_the_way_to_its_pages(site, app):
    page = app.get("/team/doc", headers=BROWSER_ACCEPT, status=401)
    response = submit_login(app, page, "carol", "carol-pw")
    assert response.location == "http://localhost/team/doc"
    assert "Team only" in app.get("/team/doc", headers=BROWSER_ACCEPT, status=200).text
    # Manager in /team, nobody outside it.
    app.get("/news/hello", headers=BROWSER_ACCEPT, status=403)


def test_a_user_of_a_nested_folder_is_known_at_a_plain_view_below_it(site, app):
    # Basic credentials are read where the walk ended, even at a view reached by a plain name.
    carol = basic_auth("carol", "carol-pw")
    css = app.get("/team/doc/manage_static/zmi.css", headers=carol, status=200)
    assert "objweb management interface" in css.text
    app.get("/news/manage_static/zmi.css", headers=carol, status=401)


def test_a_user_of_a_nested_folder_cannot_log_in_elsewhere(site, app):
    page = app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)
    submit_login(app, page, "carol", "carol-pw", status=401)


def test_login_rehashes_an_old_password_hash(site, app, db):
    from argon2 import PasswordHasher
    with objweb.site(db) as root:
        root["acl_users"].get_user("editor").password_hash = PasswordHasher(
            time_cost=1, memory_cost=8192, parallelism=1).hash("editor-pw")
    browser_login(app, "editor", "editor-pw")
    with objweb.site(db) as root:
        assert "t=1," not in root["acl_users"].get_user("editor").password_hash


# -- sessions that end -------------------------------------------------------------------

def test_logout_ends_the_session_for_good(site, app):
    token = browser_login(app, "editor", "editor-pw")
    ticket = app.cookies[SESSION]
    page = app.get("/@@logout", headers=BROWSER_ACCEPT, status=200)
    assert "Log out" in page.text
    response = app.post("/@@logout", {"csrf_token": token}, status=303)
    assert response.location == "http://localhost/"
    assert cookie_header(response, SESSION).startswith(f"{SESSION}=;")
    assert SESSION not in app.cookies
    app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)
    # The old ticket, replayed, is worth nothing.
    app.set_cookie(SESSION, ticket)
    page = app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)
    assert "Your session has ended" in page.text
    assert cookie_header(page, SESSION).startswith(f"{SESSION}=;")


def test_logout_of_one_session_leaves_the_others(site, db):
    first, second = TestApp(objweb.make_app(db)), TestApp(objweb.make_app(db))
    token = browser_login(first, "editor", "editor-pw")
    browser_login(second, "editor", "editor-pw")
    first.post("/@@logout", {"csrf_token": token}, status=303)
    second.get("/news/hello", headers=BROWSER_ACCEPT, status=200)


def test_a_password_change_ends_every_session(site, app, db):
    browser_login(app, "editor", "editor-pw")
    with objweb.site(db) as root:
        root["acl_users"].set_password("editor", "new-pw")
    page = app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)
    assert "Your session has ended" in page.text
    browser_login(app, "editor", "new-pw")
    app.get("/news/hello", headers=BROWSER_ACCEPT, status=200)


def test_a_deleted_user_loses_the_session(site, app, db):
    browser_login(app, "editor", "editor-pw")
    with objweb.site(db) as root:
        root["acl_users"].delete_user("editor")
    app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)


def test_an_expired_session_is_refused_and_cleared(site, app, db):
    with db.transaction() as connection:
        secret = site_secret(connection)
        user = connection.root()["objweb"]["acl_users"].get_user("editor")
        from objweb.security.sessions import credential_fingerprint
        fingerprint = credential_fingerprint(secret, user.password_hash)
    live = new_session("editor", "/", fingerprint, lifetime=3600)
    app.set_cookie(SESSION, sign(live, secret))
    app.get("/news/hello", headers=BROWSER_ACCEPT, status=200)
    expired = new_session("editor", "/", fingerprint, lifetime=60, now=live.issued - 61)
    app.set_cookie(SESSION, sign(expired, secret))
    page = app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)
    assert "Your session has ended" in page.text
    assert cookie_header(page, SESSION).startswith(f"{SESSION}=;")


@pytest.mark.parametrize("ticket", ["garbage", "a.b", "x" * 3000])
def test_a_forged_cookie_is_ignored_and_cleared(site, app, ticket):
    app.set_cookie(SESSION, ticket)
    response = app.get("/", status=200)
    assert cookie_header(response, SESSION).startswith(f"{SESSION}=;")
    app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)


def test_a_ticket_signed_with_another_sites_secret_is_refused(site, app):
    other = new_session(ADMIN, "/", "whatever", lifetime=3600)
    app.set_cookie(SESSION, sign(other, b"x" * 32))
    app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)


def test_logout_page_without_a_session(site, app):
    page = app.get("/@@logout", headers=BROWSER_ACCEPT, status=200)
    assert "You are not logged in." in page.text
    assert "<form" not in page.text
    response = app.post("/@@logout", status=303)
    assert cookie_header(response, SESSION).startswith(f"{SESSION}=;")


def test_logout_page_of_a_basic_user_explains(site, app):
    page = app.get("/@@logout", headers=basic_auth(ADMIN, ADMIN_PASSWORD), status=200)
    assert "HTTP Basic" in page.text
    assert "<form" not in page.text


# -- Basic auth keeps working --------------------------------------------------------------

def test_basic_auth_works_without_any_form(site, app):
    response = app.get("/news/hello", headers=basic_auth("editor", "editor-pw"), status=200)
    assert "Hi" in response.text
    assert not response.headers.getall("Set-Cookie")


def test_basic_credentials_win_over_a_session(site, app):
    browser_login(app, "editor", "editor-pw")
    # carol is a user of /team only: her Basic credentials mean nothing at /news.
    app.get("/news/hello", headers=basic_auth("carol", "carol-pw"), status=401)
    app.get("/team/doc", headers=basic_auth("carol", "carol-pw"), status=200)
    app.get("/news/hello", headers=basic_auth(ADMIN, ADMIN_PASSWORD), status=200)
    app.get("/news/hello", headers=basic_auth(ADMIN, "wrong"), status=401)


def test_a_session_is_checked_without_writing_until_someone_logs_out(site, app, db):
    page = app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)
    submit_login(app, page, "editor", "editor-pw").follow(headers=BROWSER_ACCEPT, status=200)
    app.get("/news/hello", headers=BROWSER_ACCEPT, status=200)
    connection = db.open()
    try:
        assert ENDED_SESSIONS_KEY not in connection.root()
    finally:
        connection.close()


def _basic(text: str) -> str:
    return "Basic " + base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize("header", [
    _basic(f"{ADMIN}:{ADMIN_PASSWORD}") + " trailing",
    _basic(f"{ADMIN}:{ADMIN_PASSWORD}")[:10] + "!" + _basic(f"{ADMIN}:{ADMIN_PASSWORD}")[10:],
    _basic(ADMIN),
], ids=["text after the credentials", "a letter outside base64", "no colon"])
def test_malformed_basic_credentials_are_refused(site, app, header):
    # Even where an anonymous visitor is welcome: they are not anonymous.
    app.get("/", status=200)
    app.get("/", headers={"Authorization": header}, status=401)


def test_a_password_may_hold_a_colon(site, app, db):
    with objweb.site(db) as root:
        root["acl_users"].add_user("colon", "pass:word:1234", roles=["Manager"])
    app.get("/manage_contents", headers=basic_auth("colon", "pass:word:1234"), status=200)
