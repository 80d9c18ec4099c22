"""Logging in with a real browser: the form in the 401, the way back, the cookie, logging out."""

import re

import pytest

from support import ADMIN, ADMIN_PASSWORD, ServeProcess, run_objweb

SETUP = """
from objweb import Folder, Page
app["private"] = Folder(title="Private")
app["private"].manage_permission("View", roles=["Manager"], acquire=False)
app["private"]["page"] = Page(title="Secret page", body="<p id='secret'>Only for managers</p>")
app["acl_users"].add_user("visitor", "visitor-pw")
commit()
"""


@pytest.fixture
def site_server(site_home):
    """`objweb serve` over a site with /private/page, which only a Manager may view."""
    (site_home / "setup.py").write_text(SETUP)
    result = run_objweb(["run", "setup.py"], site_home)
    assert result.returncode == 0, result.stderr
    process = ServeProcess(site_home)
    yield process
    process.stop()


def log_in(page, login: str, password: str) -> None:
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_login_returns_to_the_protected_page(site_server, page):
    response = page.goto(site_server.url + "/private/page?from=link")
    assert response.status == 401
    assert page.locator("h1").inner_text() == "Log in"
    log_in(page, ADMIN, ADMIN_PASSWORD)
    page.wait_for_selector("#secret")
    assert page.url == site_server.url + "/private/page?from=link"
    assert page.locator("#secret").inner_text() == "Only for managers"
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    session = cookies["objweb_session"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Lax"
    assert session["secure"] is False
    assert session["expires"] > 0
    assert "objweb_login" not in cookies


def test_the_session_cookie_is_hidden_from_scripts(site_server, page):
    page.goto(site_server.url + "/@@login")
    log_in(page, ADMIN, ADMIN_PASSWORD)
    page.wait_for_url(site_server.url + "/")
    assert "objweb_session" not in page.evaluate("document.cookie")


def test_a_wrong_password_keeps_the_browser_out(site_server, page):
    page.goto(site_server.url + "/private/page")
    log_in(page, ADMIN, "wrong")
    page.wait_for_selector("text=The user name or the password is wrong.")
    assert page.locator("#secret").count() == 0
    assert "objweb_session" not in {cookie["name"] for cookie in page.context.cookies()}
    log_in(page, ADMIN, ADMIN_PASSWORD)
    page.wait_for_selector("#secret")
    assert page.url == site_server.url + "/private/page"


def test_a_user_without_the_permission_is_forbidden(site_server, page):
    page.goto(site_server.url + "/private/page")
    log_in(page, "visitor", "visitor-pw")
    page.wait_for_url(site_server.url + "/private/page")
    assert page.locator("h1").inner_text() == "Forbidden"
    assert page.locator("#secret").count() == 0


def test_logout_ends_the_session(site_server, page):
    page.goto(site_server.url + "/private/page")
    log_in(page, ADMIN, ADMIN_PASSWORD)
    page.wait_for_selector("#secret")
    page.goto(site_server.url + "/@@logout")
    page.click("button[type=submit]")
    page.wait_for_url(site_server.url + "/")
    assert "objweb_session" not in {cookie["name"] for cookie in page.context.cookies()}
    response = page.goto(site_server.url + "/private/page")
    assert response.status == 401
    assert page.locator("input[name=password]").count() == 1


def test_scripts_of_the_page_need_the_token_to_change_anything(site_server, page):
    page.goto(site_server.url + "/@@login")
    log_in(page, ADMIN, ADMIN_PASSWORD)
    page.wait_for_url(site_server.url + "/")
    create = """async ([token, id]) => {
        const headers = {"Content-Type": "application/json", "Accept": "application/json"};
        if (token) headers["X-CSRF-Token"] = token;
        const response = await fetch("/private", {method: "POST", headers,
            body: JSON.stringify({"@type": "Page", "id": id, "title": id})});
        return response.status;
    }"""
    assert page.evaluate(create, [None, "without"]) == 403
    assert page.evaluate(create, ["wrong", "wrong"]) == 403
    logout_page = page.evaluate("fetch('/@@logout').then(response => response.text())")
    token = re.search(r'name="csrf_token" value="([^"]+)"', logout_page).group(1)
    assert page.evaluate(create, [token, "with"]) == 201
    assert page.goto(site_server.url + "/private/with").status == 200
    assert page.goto(site_server.url + "/private/without").status == 404
