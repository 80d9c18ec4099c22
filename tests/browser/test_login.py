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


# -- a refused login keeps the name, in the browser's tab alone ----------------------------

KEPT_NAME = "sessionStorage.getItem('objweb.login.name')"


def refuse_login(page, login: str) -> str:
    """Send `login` with a wrong password; return the refusal's HTML as the server sent it."""
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        log_in(page, login, "not-the-password")
    page.wait_for_selector("text=The user name or the password is wrong.")
    return answer.value.text()


def test_a_wrong_password_keeps_the_name_and_moves_to_the_password(site_server, page):
    page.goto(site_server.url + "/private/page")
    sent = refuse_login(page, ADMIN)
    page.wait_for_function("document.activeElement.name === 'password'")
    assert 'data-refused="refused"' in sent and ADMIN not in sent
    assert page.input_value("input[name=login]") == ADMIN
    assert page.input_value("input[name=password]") == ""
    page.keyboard.type(ADMIN_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#secret")
    assert page.url == site_server.url + "/private/page"


def test_a_name_typed_again_after_a_refusal_is_the_one_kept(site_server, page):
    page.goto(site_server.url + "/@@login")
    refuse_login(page, "someone-else")
    page.wait_for_function("document.activeElement.name === 'password'")
    refuse_login(page, "visitor")
    page.wait_for_function("document.activeElement.name === 'password'")
    assert page.input_value("input[name=login]") == "visitor"


def test_after_a_good_login_and_logout_the_name_is_not_filled_in(site_server, page):
    page.goto(site_server.url + "/@@login")
    refuse_login(page, "visitor")
    page.wait_for_function("document.activeElement.name === 'password'")
    page.fill("input[name=password]", "visitor-pw")
    page.click("button[type=submit]")
    page.wait_for_url(site_server.url + "/")
    page.goto(site_server.url + "/@@logout")
    assert page.evaluate(KEPT_NAME) is None
    page.click("button[type=submit]")
    page.wait_for_url(site_server.url + "/")
    response = page.goto(site_server.url + "/private/page")
    assert response.status == 401
    page.wait_for_function("document.activeElement.name === 'login'")
    assert page.input_value("input[name=login]") == ""


def test_a_management_screen_forgets_the_kept_name(site_server, page):
    page.goto(site_server.url + "/@@login?came_from=/manage_contents")
    refuse_login(page, ADMIN)
    page.wait_for_function("document.activeElement.name === 'password'")
    # Filled in, the name is forgotten until the form is sent again.
    assert page.evaluate(KEPT_NAME) is None
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#contents-form")
    assert page.evaluate(KEPT_NAME) is None


def test_without_javascript_the_form_works_as_before(site_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_server.url + "/private/page")
        log_in(page, ADMIN, "not-the-password")
        page.wait_for_selector("text=The user name or the password is wrong.")
        assert page.input_value("input[name=login]") == ""
        log_in(page, ADMIN, ADMIN_PASSWORD)
        page.wait_for_selector("#secret")
        assert page.url == site_server.url + "/private/page"
    finally:
        context.close()
