"""HTML an Editor writes never runs in a Manager's browser; the screens run under a strict policy.

Both in headless Chromium against `objweb serve`: an Editor adds a Page
with a script and an event handler through the add screen and is told what
was removed; the Manager then opens the page, and nothing of it runs. The
management screens carry a Content-Security-Policy with nothing inline, and
work under it (every browser test fails on a violation, see conftest.py);
markup slipped into a screen cannot run a handler.
"""

import pytest
from playwright.sync_api import expect

import objweb
from objweb import Folder, Page
from objweb.security.headers import MANAGEMENT_CSP
from support import ADMIN, ADMIN_PASSWORD, ServeProcess
from test_zmi_browser import Manager, read_site

pytestmark = pytest.mark.browser

TRAP = ('<h2>Quarterly news</h2><script>window.ranScript = true</script>'
        '<img src="missing.png" onerror="window.ranHandler = true">'
        '<a href="javascript:window.ranLink = true" id="trap-link">more</a>')


@pytest.fixture
def served(site_home, request):
    db = objweb.open_db(f"file://{site_home}/var/Data.fs?blobstorage_dir={site_home}/var/blobs")
    try:
        with objweb.site(db, user=ADMIN) as root:
            root["acl_users"].add_user("editor", "ed-pw-123", roles=["Editor"])
            root.add("news", Folder(title="News")).add("hello", Page(title="Hello",
                                                                     body="<p>Hi</p>"))
    finally:
        db.close()
    server = ServeProcess(site_home)
    request.addfinalizer(server.stop)
    return server


def test_finding_12_an_editor_s_script_never_runs_in_the_manager_s_browser(
        browser, page, served, site_home):
    editor_context = browser.new_context()
    try:
        editor = Manager(editor_context.new_page(), served, site_home)
        editor.log_in("editor", "ed-pw-123", "/news/manage")
        editor.go("/news/manage_add?type=Page")
        editor.page.fill("#field-name", "trap")
        editor.fill("body", TRAP)
        editor.page.click("button[name=then][value=contents]")
        told = editor.page.locator(".flash-info")
        expect(told).to_contain_text("Added the page 'trap'.")
        expect(told).to_contain_text("<script>, a javascript: URL, onerror= on <img>")
    finally:
        editor_context.close()
    assert "script" not in read_site(site_home, lambda root: root["news"]["trap"].body)

    manager = Manager(page, served, site_home)
    manager.log_in(ADMIN, ADMIN_PASSWORD, "/news/manage")
    manager.go("/news/trap")
    expect(page.locator("h2")).to_have_text("Quarterly news")
    page.locator("#trap-link").click()
    ran = page.evaluate("[window.ranScript, window.ranHandler, window.ranLink]")
    assert ran == [None, None, None]


def test_the_screens_run_under_a_policy_with_nothing_inline(page, served, site_home):
    manager = Manager(page, served, site_home)
    manager.log_in(ADMIN, ADMIN_PASSWORD, "/manage")
    response = page.goto(served.url + "/news/hello/manage_edit")
    assert response.headers["content-security-policy"] == MANAGEMENT_CSP
    # The screens' own scripts ran: the body's code editor has its line numbers, and
    # CodeMirror's styles (constructed style sheets in its shadow root) were applied.
    expect(page.locator(".editor .cm-lineNumbers .cm-gutterElement")).not_to_have_count(0)
    assert page.locator(".editor .cm-editor").evaluate(
        "editor => getComputedStyle(editor).display") == "flex"
    # Markup slipped into a screen cannot run a handler.
    page.evaluate("document.body.insertAdjacentHTML('beforeend',"
                  " '<img src=\"missing.png\" onerror=\"window.ranHandler = true\">')")
    page.wait_for_function("() => document.querySelector('img[src=\"missing.png\"]').complete")
    assert page.evaluate("window.ranHandler") is None
    for _ in range(100):  # each round trip lets the browser's report arrive
        if page.csp_violations:
            break
        page.evaluate("0")
    assert [violation.split()[0] for violation in page.csp_violations] == ["script-src-attr"]
    page.csp_violations.clear()
