"""The management interface in a real browser, used as a site manager uses it.

Each test drives headless Chromium against `objweb serve` on a fresh
instance home: it logs in through the form, uses the screens, and checks
the database through a separate, read-only connection. Each also posts
once without the CSRF token and checks that nothing changed. The Contents,
Edit and Security screenshots of the README are taken here.
"""

import io
import os
import re
from pathlib import Path

import pytest
import ZODB
from PIL import Image as PILImage
from playwright.sync_api import expect
from ZODB.FileStorage import FileStorage

import objweb
from objweb import Folder, Page
from objweb.catalog.store import is_catalog_note
from support import ADMIN, ADMIN_PASSWORD, ServeProcess

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parents[2]
# The README's screenshots: every run takes them into test-artifacts/screenshots;
# OBJWEB_SCREENSHOTS=docs/screenshots writes them where the README shows them.
SCREENSHOTS = PROJECT / os.environ.get("OBJWEB_SCREENSHOTS", "test-artifacts/screenshots")


# -- helpers ------------------------------------------------------------------------------

def read_site(home: Path, function):
    """Run `function(root)` on a read-only connection to the served database."""
    storage = FileStorage(str(home / "var" / "Data.fs"), read_only=True)
    db = ZODB.DB(storage)
    try:
        with db.transaction() as connection:
            return function(connection.root()["objweb"])
    finally:
        db.close()


def last_transaction(home: Path) -> bytes:
    """The id of the newest transaction that changed the site (the drainer's are left out)."""
    storage = FileStorage(str(home / "var" / "Data.fs"), read_only=True)
    try:
        return next(entry["id"] for entry in storage.undoLog(0, 200)
                    if not is_catalog_note(entry["description"]))
    finally:
        storage.close()


def png(width: int, height: int, colour: str) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def fill_field(page, field: str, value: str) -> None:
    """Fill in the form field `field` of `page`, typing into the code editor where it is one."""
    editor = page.locator(f".editor:has(#field-{field}) .cm-content")
    if not editor.count():
        page.fill(f"#field-{field}", value)
        return
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    if value:
        # Inserted as one piece, as a paste is: the editor indents nothing of its own.
        page.keyboard.insert_text(value)
    expect(page.locator(f"#field-{field}")).to_have_value(value)


class Manager:
    """A browser page logged in to the ZMI, with the moves a site manager makes."""

    def __init__(self, page, server, home: Path):
        self.page = page
        self.server = server
        self.home = home

    def log_in(self, login: str = ADMIN, password: str = ADMIN_PASSWORD,
               path: str = "/manage") -> None:
        self.page.goto(self.server.url + path)
        self.page.fill("#login", login)
        self.page.fill("#password", password)
        self.page.click("button[type=submit]")
        expect(self.page.locator(".who strong")).to_have_text(login)

    def go(self, path: str) -> None:
        self.page.goto(self.server.url + path)

    def add(self, folder: str, type_name: str, name: str, fields: dict = (),
            files: dict = (), then: str = "contents") -> None:
        self.go(f"{folder}/manage_contents")
        self.page.select_option("#add-type", type_name)
        self.page.click("text=Add…")
        self.page.fill("#field-name", name)
        for field, value in dict(fields).items():
            self.fill(field, value)
        for field, path in dict(files).items():
            self.page.set_input_files(f"#field-{field}", path)
        self.page.click(f"button[name=then][value={then}]")
        expect(self.page.locator(".flash-success")).to_contain_text(f"'{name}'")

    def fill(self, field: str, value: str) -> None:
        """Fill in a field, typing into the code editor where the field is one."""
        fill_field(self.page, field, value)

    def tick(self, *names: str) -> None:
        for name in names:
            self.page.check(f"input[name=names][value='{name}']")

    def command(self, label: str) -> None:
        self.page.click(f".actions button:text-is('{label}')")

    def flash(self) -> str:
        return self.page.locator(".flash").inner_text()

    def refused_without_token(self, path: str, form: dict) -> None:
        """POST `form` to `path` without the token; check the 403 and that nothing changed."""
        before = last_transaction(self.home)
        response = self.page.request.post(self.server.url + path, form=form,
                                          fail_on_status_code=False)
        assert response.status == 403
        assert last_transaction(self.home) == before

    def read(self, function):
        return read_site(self.home, function)

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def populate(site_home):
    """Return a function that fills the site before the server starts."""
    def fill(function):
        db = objweb.open_db(f"file://{site_home}/var/Data.fs?blobstorage_dir="
                            f"{site_home}/var/blobs")
        try:
            with objweb.site(db, user=ADMIN) as root:
                function(root)
        finally:
            db.close()
    return fill


@pytest.fixture
def news_site(populate):
    def build(root):
        news = root.add("news", Folder(title="News"))
        for number, name in enumerate(["alpha", "beta", "gamma", "delta", "epsilon"]):
            news.add(name, Page(title=f"{name.title()} story", body=f"<p>Story {number}</p>"))
        news.add("archive", Folder(title="Archive")).add("2024", Folder(title="2024"))
        root.add("about", Folder(title="About us")).add("team", Page(title="The team"))
    populate(build)


@pytest.fixture
def manager(page, site_home, request):
    """The Manager logged in, on a server started after any `populate` fixture ran."""
    if "news_site" in request.fixturenames:
        request.getfixturevalue("news_site")
    server = ServeProcess(site_home)
    request.addfinalizer(server.stop)
    user = Manager(page, server, site_home)
    user.log_in()
    return user


# -- the flows ---------------------------------------------------------------------------------

def test_create_and_edit_a_folder_page_template_script_and_image(manager, tmp_path):
    logo, second = tmp_path / "logo.png", tmp_path / "second.png"
    logo.write_bytes(png(64, 40, "teal"))
    second.write_bytes(png(30, 20, "orange"))
    manager.add("", "Folder", "news", {"title": "News"})
    manager.add("/news", "Page", "hello", {"title": "Hello", "body": "<p>Hi</p>"})
    manager.add("/news", "Template", "view",
                {"title": "View", "source": '<h1 tal:content="context/title">x</h1>'})
    manager.add("/news", "Script", "greet",
                {"title": "Greet", "params": "name='world'", "body": "return 'Hi ' + name"})
    manager.add("/news", "Image", "logo", {"title": "Logo"}, {"data": str(logo)})

    manager.go("/news/manage_properties")
    manager.page.fill("#field-title", "Latest news")
    manager.page.click("button:text('Save changes')")
    expect(manager.page.locator(".flash-success")).to_have_text("Saved the properties.")

    manager.go("/news/hello/manage_edit")
    numbers = manager.page.locator(".editor .cm-lineNumbers .cm-gutterElement:visible")
    expect(numbers).to_have_count(1)
    manager.fill("body", "<p>Hello again</p>\n<p>Second line</p>")
    expect(numbers).to_have_count(2)
    manager.page.click("button:text('Save changes')")
    expect(manager.page.locator(".flash-success")).to_have_text("Saved your changes.")

    manager.go("/news/view/manage_edit")
    manager.fill("source", '<h1 tal:content="context/title">x</h1>\n'
                           '<p tal:content="python: 1 +">More</p>\n<p>End</p>')
    manager.page.click("button:text('Save changes')")
    # The editor marks the error's line and puts the cursor on it; the message stays.
    expect(manager.page.locator(".cm-lintRange-error")).to_have_count(1)
    expect(manager.page.locator(".cm-activeLine")).to_contain_text("python: 1 +")
    expect(manager.page.locator(".field-error")).to_contain_text("invalid syntax (line 2")
    manager.screenshot("edit")
    manager.fill("source", '<h1 tal:content="context/title">x</h1>\n<p>More</p>')
    manager.page.click("button:text('Save changes')")
    expect(manager.page.locator(".flash-success")).to_be_visible()
    assert manager.page.goto(manager.server.url + "/news/hello/view").status == 200
    expect(manager.page.locator("h1")).to_have_text("Hello")
    manager.page.go_back()

    manager.go("/news/greet/manage_edit")
    manager.page.fill("#field-params", "name='you'")
    manager.fill("body", "return 'Hello ' + name")
    manager.page.click("button:text('Save changes')")
    expect(manager.page.locator(".flash-success")).to_be_visible()

    manager.go("/news/logo/manage_edit")
    expect(manager.page.locator("figure.preview img")).to_have_attribute("width", "64")
    manager.page.set_input_files("#field-data", str(second))
    manager.page.click("button:text('Save changes')")
    expect(manager.page.locator("figure.preview img")).to_have_attribute("width", "30")

    assert manager.read(lambda root: (
        root["news"].title, root["news"]["hello"].body, root["news"]["view"].source,
        root["news"]["greet"].params, root["news"]["greet"].body,
        (root["news"]["logo"].width, root["news"]["logo"].height))) == (
        "Latest news", "<p>Hello again</p>\n<p>Second line</p>",
        '<h1 tal:content="context/title">x</h1>\n<p>More</p>', "name='you'",
        "return 'Hello ' + name", (30, 20))
    manager.refused_without_token("/news/hello/manage_edit",
                                  {"command": "save", "title": "x", "body": "forged"})
    assert manager.read(lambda root: root["news"]["hello"].body).startswith("<p>Hello again")


def test_rename_then_cut_and_paste_into_another_folder(manager, news_site):
    manager.go("/news/manage_contents")
    manager.tick("alpha")
    manager.command("Rename")
    manager.page.fill("#new-0", "first")
    manager.page.click("button:text('Rename')")
    expect(manager.page.locator(".flash-success")).to_have_text("Renamed alpha → first.")

    manager.tick("beta", "gamma")
    manager.screenshot("contents")
    manager.command("Cut")
    expect(manager.page.locator(".flash-success")).to_contain_text("Cut 'beta' and 'gamma'")
    manager.page.click("nav.tree a:text-is('archive')")
    expect(manager.page.locator(".clipboard")).to_contain_text("beta, gamma")
    manager.command("Paste")
    expect(manager.page.locator(".flash-success")).to_have_text("Pasted 'beta' and 'gamma'.")
    expect(manager.page.locator("td.col-name")).to_have_text(["2024", "beta", "gamma"])

    assert manager.read(lambda root: (sorted(root["news"].keys()),
                                      sorted(root["news"]["archive"].keys()))) == (
        ["archive", "delta", "epsilon", "first"], ["2024", "beta", "gamma"])
    manager.refused_without_token("/news/manage_contents",
                                  {"command": "rename_confirm", "old": "first", "new": "x"})


def test_delete_and_undo_the_delete(manager, news_site):
    manager.go("/news/manage_contents")
    manager.tick("delta")
    manager.command("Delete")
    expect(manager.page.locator(".flash-success")).to_contain_text("Deleted 'delta'.")
    assert manager.read(lambda root: "delta" in root["news"]) is False
    manager.page.click(".flash a:text('Undo')")
    first = manager.page.locator("table.history tbody tr").first
    expect(first).to_contain_text("Deleted 'delta' from /news")
    expect(first).to_contain_text("/news/delta (since removed)")
    manager.refused_without_token("/news/manage_undo", {
        "command": "undo", "ids": first.locator("input[name=ids]").get_attribute("value")})
    first.locator("input[name=ids]").check()
    manager.page.click("button:text('Undo the ticked transactions')")
    expect(manager.page.locator(".flash-success")).to_have_text("Undid 1 transaction.")
    assert manager.read(lambda root: root["news"]["delta"].title) == "Delta story"


def test_restricting_view_sends_a_logged_out_browser_to_the_login_form(manager, news_site,
                                                                       browser):
    manager.go("/news/manage_security")
    row = manager.page.locator("table.matrix tbody tr", has_text="View").first
    row.locator("input[aria-label='View: acquire the roles from above']").uncheck()
    row.locator("input[aria-label='Manager has View']").check()
    manager.screenshot("security")
    manager.page.click("button:text('Save permissions')")
    expect(manager.page.locator(".flash-success")).to_have_text("Saved the permissions.")
    setting = manager.read(lambda root: root["news"]._security.permissions["View"])
    assert (sorted(setting.roles), setting.acquire) == (["Manager"], False)

    stranger = browser.new_context()
    try:
        visitor = stranger.new_page()
        response = visitor.goto(manager.server.url + "/news/alpha")
        assert response.status == 401
        expect(visitor.locator("#password")).to_be_visible()
        assert visitor.goto(manager.server.url + "/about/team").status == 200
    finally:
        stranger.close()
    manager.refused_without_token("/news/manage_security", {"command": "block", "block": "on"})


def test_an_editor_user_can_edit_but_not_reach_security(manager, news_site, browser):
    manager.go("/acl_users/manage_users")
    manager.page.fill("#field-name", "editor")
    manager.page.fill("#field-password", "ed-pw-1234567")
    manager.page.fill("#field-confirm", "ed-pw-1234567")
    manager.page.check("input[name=roles][value=Editor]")
    manager.page.click("button:text('Add user')")
    expect(manager.page.locator(".flash-success")).to_have_text("Added the user 'editor'.")
    manager.refused_without_token("/acl_users/manage_users", {
        "command": "add_user", "name": "mallory", "password": "p", "confirm": "p"})

    context = browser.new_context()
    try:
        editor = Manager(context.new_page(), manager.server, manager.home)
        editor.log_in("editor", "ed-pw-1234567", "/news/alpha/manage")
        tabs = editor.page.locator("nav.tabs a")
        # Undo changes is the Owner's and the Manager's: an Editor's tabs leave it out.
        expect(tabs).to_have_text(["Edit", "History", "Properties", "View"])
        editor.fill("body", "<p>Edited by the editor</p>")
        editor.page.click("button:text('Save changes')")
        expect(editor.page.locator(".flash-success")).to_have_text("Saved your changes.")
        for screen in ("/news/manage_security", "/manage_undo"):
            response = editor.page.goto(manager.server.url + screen)
            assert response.status == 403
    finally:
        context.close()
    assert manager.read(lambda root: root["news"]["alpha"].body) == "<p>Edited by the editor</p>"


def test_upload_a_file_with_the_progress_bar(manager, news_site, tmp_path):
    data = tmp_path / "report.bin"
    data.write_bytes(bytes(range(256)) * 16384)
    manager.go("/news/manage_add?type=File")
    expect(manager.page.locator(".upload-progress")).to_be_hidden()
    cdp = manager.page.context.new_cdp_session(manager.page)
    cdp.send("Network.enable")
    # A slow uplink, so that the bar is seen on its way.
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 2_000_000})
    manager.page.fill("#field-name", "report.bin")
    manager.page.set_input_files("#field-data", str(data))
    manager.page.click("button[name=then][value=contents]")
    expect(manager.page.locator(".upload-progress")).to_be_visible()
    manager.page.wait_for_function(
        "() => { const bar = document.querySelector('.upload-progress progress');"
        " return bar && bar.value > 0 && bar.value < 100; }")
    expect(manager.page.locator(".flash-success")).to_have_text("Added the file 'report.bin'.")
    assert manager.page.url.endswith("/news/manage_contents")
    assert manager.read(lambda root: root["news"]["report.bin"].size) == 4 * 1024 * 1024
    manager.refused_without_token("/news/manage_add",
                                  {"command": "add", "type": "Page", "name": "sneaky"})


def test_find_an_object(manager, news_site):
    manager.go("/manage_find")
    manager.page.fill("#find-title", "team")
    manager.page.click("#find-form button")
    results = manager.page.locator("#find-results tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("/about/team")
    results.first.locator("a").click()
    expect(manager.page.locator("h1")).to_have_text("The team")
    manager.refused_without_token("/about/team/manage_properties",
                                  {"command": "save", "title": "Forged"})


def test_export_and_import_a_subtree(manager, news_site, tmp_path):
    manager.go("/news/manage_contents")
    manager.tick("archive")
    with manager.page.expect_download() as download:
        manager.command("Export")
    exported = tmp_path / "archive.zexp"
    download.value.save_as(exported)
    assert download.value.suggested_filename == "archive.zexp"
    manager.refused_without_token("/about/manage_importexport",
                                  {"command": "export", "name": "team"})

    manager.go("/about/manage_importexport")
    manager.page.set_input_files("#field-file", str(exported))
    manager.page.click("#import-form button[type=submit]")
    expect(manager.page.locator(".flash-success")).to_have_text("Imported /about/archive.")
    assert manager.read(lambda root: (root["about"]["archive"]["2024"].title,
                                      "archive" in root["news"])) == ("2024", True)


def test_the_tree_loads_branches_and_select_all_ticks_a_batch(manager, news_site):
    manager.go("/news/manage_contents")
    about = manager.page.locator("nav.tree li.tree-node", has=manager.page.locator(
        "> a:text-is('about')"))
    about.locator("> .tree-toggle").click()
    expect(manager.page.locator("nav.tree a:text-is('archive')")).to_be_visible()
    manager.page.locator("nav.tree a:text-is('archive')").focus()
    manager.page.check(".select-all")
    expect(manager.page.locator("input[name=names]:checked")).to_have_count(6)
    expect(manager.page.locator("tr.selected")).to_have_count(6)
    manager.refused_without_token("/news/manage_contents", {"command": "delete",
                                                            "all_matching": "1"})
    assert manager.read(lambda root: len(root["news"])) == 6


def unlabelled_controls(page) -> list[str]:
    """Return the form controls of the page that a screen reader could not name."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        'input:not([type=hidden]), select, textarea, button')).filter(control =>
        control.offsetParent !== null && !(control.labels && control.labels.length) &&
        !control.getAttribute('aria-label') && !control.textContent.trim()
    ).map(control => control.outerHTML)""")


def test_the_catalog_screen_adds_an_index_and_reindexes(manager, news_site):
    manager.go("/manage_catalog")
    manager.page.fill("#field-name", "colour")
    manager.page.select_option("#add-index-kind", "keyword")
    manager.page.click("#add-index-form button")
    expect(manager.page.locator(".flash-success")).to_contain_text("Added the keyword index")
    expect(manager.page.locator("#catalog-indexes")).to_contain_text("colour (custom)")
    manager.page.click("#reindex-form button")
    expect(manager.page.locator("#reindex-progress")).to_contain_text("The last reindex read",
                                                                       timeout=60000)
    expect(manager.page.locator("#catalog-built")).to_have_text("read the indexes")
    manager.page.fill("#catalog-query-text", "story")
    manager.page.click("#catalog-query-form button")
    expect(manager.page.locator("#find-results tbody tr")).to_have_count(5)
    assert manager.read(lambda root: root._p_jar.root()["objweb.catalog"].custom["colour"]) \
        == "keyword"
    manager.refused_without_token("/manage_catalog", {"command": "clear"})


def test_every_control_has_a_label(manager, news_site):
    for path in ("/news/manage_contents", "/news/alpha/manage_edit", "/news/manage_security",
                 "/news/alpha/manage_properties", "/acl_users/manage_users", "/manage_undo",
                 "/news/manage_importexport", "/manage_find", "/manage_control",
                 "/manage_catalog",
                 "/news/manage_add?type=Image"):
        manager.go(path)
        assert unlabelled_controls(manager.page) == [], path
    manager.refused_without_token("/manage_control", {"command": "pack", "days": "0"})


def test_every_action_works_without_javascript(browser, site_home, news_site):
    server = ServeProcess(site_home)
    context = browser.new_context(java_script_enabled=False)
    try:
        user = Manager(context.new_page(), server, site_home)
        user.log_in()
        user.go("/news/manage_contents?select=all")
        expect(user.page.locator("input[name=names]:checked")).to_have_count(6)
        user.go("/news/manage_contents")
        user.tick("epsilon")
        user.command("Delete")
        expect(user.page.locator(".flash-success")).to_contain_text("Deleted 'epsilon'.")
        user.add("/news", "Page", "plain", {"title": "Plain", "body": "<p>No script</p>"})
        user.go("/news/plain/manage_edit")
        expect(user.page.locator(".editor .gutter")).to_have_count(0)
        user.page.fill("#field-body", "<p>Still no script</p>")
        user.page.click("button:text('Save changes')")
        expect(user.page.locator(".flash-success")).to_have_text("Saved your changes.")
        user.page.click("nav.tree a:text-is('archive')")
        expect(user.page.locator("h1")).to_have_text("Archive")
        user.refused_without_token("/news/manage_contents", {"command": "delete",
                                                             "names": "plain"})
        assert user.read(lambda root: (root["news"]["plain"].body, "epsilon" in root["news"])) \
            == ("<p>Still no script</p>", False)
    finally:
        context.close()
        server.stop()


def test_keyboard_and_phone(manager, news_site):
    manager.go("/news/manage_contents")
    manager.page.keyboard.press("Tab")
    expect(manager.page.locator(".skip-link")).to_be_focused()
    manager.page.keyboard.press("Enter")
    expect(manager.page.locator("main")).to_be_focused()
    manager.page.keyboard.press("Tab")
    assert manager.page.evaluate("document.activeElement.closest('main') !== null")
    for label in manager.page.locator("input[name=names]").all():
        assert re.match(r"Select \w+", label.get_attribute("aria-label"))
    manager.page.set_viewport_size({"width": 390, "height": 844})
    manager.go("/news/manage_contents")
    width = manager.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    expect(manager.page.locator("td.col-name").first).to_be_visible()
    expect(manager.page.locator("td.col-modified").first).to_be_hidden()
    manager.refused_without_token("/news/manage_contents", {"command": "delete",
                                                            "names": "alpha"})
