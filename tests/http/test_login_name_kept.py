"""A refused login keeps the user name in the browser, never in the server's answer.

The server never sends a typed user name back (it may be a password typed
in the wrong field). The login pages load one script of the site's own,
`@@login.js`, which keeps the name in the browser's tab; their policy allows
that file and nothing else, and nothing inline.
"""

from pathlib import Path

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Settings
from objweb.views.login import LOGIN_FILES
from support import ADMIN, ADMIN_PASSWORD, BROWSER_ACCEPT, browser_login

# A typed "name" the server must never echo: here, a password typed in the wrong field.
TYPED_NAME = "Pa55word-In-The-Name-Field"
KNOWN_USER = "wilhelmina-known-user"
SCRIPT_FILE = Path(objweb.__file__).parent / "views" / "static" / "login.js"
VERSION = LOGIN_FILES.versions["login.js"]
SCRIPT_URL = f"/@@login.js?v={VERSION}"
LOGIN_POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'unsafe-inline'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SAME_SITE = {**BROWSER_ACCEPT, "Origin": "http://localhost"}


@pytest.fixture
def site(db):
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
        root["news"].manage_permission("View", roles=["Manager"], acquire=False)
        root["acl_users"].add_user(KNOWN_USER, "the-right-password", roles=["Manager"])
    return db


def policy_of(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response.headers["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


def submit(page, login: str, password: str, *, status: int, **kwargs):
    form = page.forms["login-form"]
    form["login"], form["password"] = login, password
    return form.submit(headers=BROWSER_ACCEPT, status=status, **kwargs)


def assert_runs_only_the_login_script(response) -> None:
    scripts = response.html.find_all("script")
    assert [script.get("src") for script in scripts] == [SCRIPT_URL]
    assert [script.string for script in scripts] == [None]
    assert not [tag.name for tag in response.html.find_all(True)
                if any(attribute.startswith("on") for attribute in tag.attrs)]
    assert policy_of(response) == LOGIN_POLICY


# -- the refusal carries no typed name -----------------------------------------------------

@pytest.mark.parametrize("typed", [TYPED_NAME, KNOWN_USER])
def test_a_refused_login_never_sends_the_typed_name_back(site, app, typed):
    page = app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)
    refusal = submit(page, typed, "not-the-password", status=401)
    assert "The user name or the password is wrong." in refusal.text
    assert typed.lower() not in refusal.body.decode().lower()
    assert all(typed.lower() not in value.lower() for _name, value in refusal.headerlist)
    assert refusal.forms["login-form"]["login"].value == ""


def test_a_throttled_login_never_sends_the_typed_name_back(db):
    app = TestApp(objweb.make_app(db, Settings(login_attempts=1, login_window=60)))
    page = app.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    refusal = submit(page, TYPED_NAME, "wrong", status=401)
    throttled = submit(refusal, TYPED_NAME, "wrong", status=429)
    assert "Too many failed logins" in throttled.text
    assert TYPED_NAME.lower() not in throttled.body.decode().lower()
    assert throttled.html.find("form", id="login-form").has_attr("data-refused")


def test_only_a_refusal_marks_the_form_for_the_script_to_fill_in(site, app):
    fresh = app.get("/@@login", headers=BROWSER_ACCEPT, status=200)
    challenge = app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)
    refusal = submit(challenge, TYPED_NAME, "wrong", status=401)
    assert not fresh.html.find("form", id="login-form").has_attr("data-refused")
    assert not challenge.html.find("form", id="login-form").has_attr("data-refused")
    assert refusal.html.find("form", id="login-form")["data-refused"] == "refused"


# -- the pages run their own script and nothing else ---------------------------------------

def test_the_login_form_runs_only_its_own_script(site, app):
    assert_runs_only_the_login_script(app.get("/@@login", headers=BROWSER_ACCEPT, status=200))
    assert_runs_only_the_login_script(app.get("/news/@@login", headers=BROWSER_ACCEPT,
                                              status=200))


def test_the_challenge_and_the_refusal_run_only_the_login_script(site, app):
    challenge = app.get("/news/hello", headers=BROWSER_ACCEPT, status=401)
    assert_runs_only_the_login_script(challenge)
    assert_runs_only_the_login_script(submit(challenge, TYPED_NAME, "wrong", status=401))


def test_the_logout_page_runs_only_the_login_script(site, app):
    assert_runs_only_the_login_script(app.get("/@@logout", headers=BROWSER_ACCEPT, status=200))
    browser_login(app, ADMIN, ADMIN_PASSWORD)
    assert_runs_only_the_login_script(app.get("/@@logout", headers=BROWSER_ACCEPT, status=200))


def test_the_logged_in_again_page_runs_only_the_login_script(site, app, db):
    browser_login(app, ADMIN, ADMIN_PASSWORD)
    form = app.get("/news/hello/manage_edit", headers=BROWSER_ACCEPT, status=200) \
        .forms["edit-form"]
    form["title"] = "Typed title"
    with objweb.site(db) as root:
        root["acl_users"].set_password(ADMIN, "a-new-admin-password")
    login_page = form.submit(headers=SAME_SITE, status=401)
    resume = submit(login_page, ADMIN, "a-new-admin-password", status=200)
    assert resume.html.find("form", id="resume-form")
    assert_runs_only_the_login_script(resume)


def test_error_pages_still_run_no_script(site, app):
    missing = app.get("/missing", headers=BROWSER_ACCEPT, status=404)
    assert "script-src" not in policy_of(missing)
    assert missing.html.find("script") is None


def test_a_virtual_host_prefix_reaches_the_script_by_the_form_s_base(db):
    proxied = TestApp(objweb.make_app(db, Settings(trusted_proxies="127.0.0.1")),
                      extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    base = "/VirtualHostBase/http/example.com/VirtualHostRoot/_vh_site"
    page = proxied.get(base + "/@@login", headers=BROWSER_ACCEPT, status=200)
    assert page.forms["login-form"].action == "/site/@@login"
    assert page.html.find("script")["src"] == "/site" + SCRIPT_URL
    script = proxied.get(base + SCRIPT_URL, status=200)
    assert script.body == SCRIPT_FILE.read_bytes()


# -- the script itself ----------------------------------------------------------------------

def test_the_login_script_is_served_as_javascript_for_a_year(app):
    script = app.get(SCRIPT_URL, status=200)
    assert script.content_type == "text/javascript"
    assert script.charset == "utf-8"
    assert script.headers["X-Content-Type-Options"] == "nosniff"
    assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert script.body == SCRIPT_FILE.read_bytes()
    assert b"sessionStorage" in script.body


def test_the_login_script_is_revalidated_without_its_version(app):
    script = app.get("/@@login.js", status=200)
    assert script.headers["Cache-Control"] == "no-cache"
    again = app.get("/@@login.js", headers={"If-None-Match": script.headers["ETag"]},
                    status=304)
    assert again.body == b""
    assert app.head(SCRIPT_URL, status=200).headers["Content-Type"].startswith(
        "text/javascript")


def test_the_login_script_answers_only_get(app):
    refused = app.post("/@@login.js", status=405)
    assert "GET" in refused.headers["Allow"]
