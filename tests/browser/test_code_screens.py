"""Developing a Script through the web in headless Chromium, with the keyboard alone.

Edit in the code editor (Tab indents), meet a compile error at its line,
run the Script in the Test tab, edit it twice more, compare the first and
last revisions in the History tab, revert, and run the reverted code.
"""

import pytest
from playwright.sync_api import expect

from objweb import Folder, Script
from test_zmi_browser import Manager, populate  # noqa: F401 (a fixture)
from support import ServeProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def developer(page, site_home, populate, request):  # noqa: F811 (the fixture imported)
    populate(lambda root: root.add("lab", Folder(title="Lab")).add(
        "greet", Script(title="Greet", params="name='you'", body="return 'Hi ' + name")))
    server = ServeProcess(site_home)
    request.addfinalizer(server.stop)
    user = Manager(page, server, site_home)
    user.log_in()
    return user


def focus_editor(developer: Manager) -> None:
    """Tab from the parameters into the body's editor, as a keyboard user does."""
    developer.page.focus("#field-params")
    developer.page.keyboard.press("Tab")
    expect(developer.page.locator(".editor:has(#field-body) .cm-content")).to_be_focused()


def replace_code(developer: Manager, lines: list[str]) -> None:
    """Select all in the focused editor and type `lines`, indenting with Tab."""
    keyboard = developer.page.keyboard
    keyboard.press("Control+A")
    keyboard.press("Delete")
    for number, line in enumerate(lines):
        if number:
            keyboard.press("Enter")
            keyboard.press("Shift+Tab")
            keyboard.press("Shift+Tab")
        depth = (len(line) - len(line.lstrip(" "))) // 4
        for _ in range(depth):
            keyboard.press("Tab")
        keyboard.type(line.lstrip(" "))


def save(developer: Manager) -> None:
    # Esc, then Tab leaves the editor (Tab alone indents): Save is next.
    developer.page.keyboard.press("Escape")
    developer.page.keyboard.press("Tab")
    expect(developer.page.locator("button:text('Save changes')")).to_be_focused()
    developer.page.keyboard.press("Enter")


def test_edit_test_and_revert_a_script_with_the_keyboard(developer):
    page = developer.page
    developer.go("/lab/greet/manage_edit")
    focus_editor(developer)
    replace_code(developer, ["if name:", "    return 'Hello ' + name +"])
    expect(page.locator("#field-body")).to_have_value("if name:\n    return 'Hello ' + name +")
    save(developer)
    # The compile error is marked at its line, and the line's text is the current one.
    expect(page.locator(".field-error")).to_contain_text("line 2")
    expect(page.locator(".cm-lintRange-error")).to_have_count(1)
    expect(page.locator(".cm-activeLine")).to_have_text("    return 'Hello ' + name +")

    focus_editor(developer)
    replace_code(developer, ["if name:", "    return 'Hello ' + name", "return 'nobody'"])
    save(developer)
    expect(page.locator(".flash-success")).to_have_text("Saved your changes.")

    page.click("nav.tabs a:text-is('Test')")
    page.fill("#field-parameter-name", "Ada")
    page.keyboard.press("Enter")
    expect(page.locator(".test-output code")).to_have_text("Hello Ada")

    for greeting in ("Howdy", "Welcome"):
        developer.go("/lab/greet/manage_edit")
        focus_editor(developer)
        replace_code(developer, ["if name:", f"    return '{greeting} ' + name",
                                 "return 'nobody'"])
        save(developer)
        expect(page.locator(".flash-success")).to_be_visible()

    page.click("nav.tabs a:text-is('History')")
    rows = page.locator("table.revisions tbody tr")
    expect(rows).to_have_count(4)
    page.check("input[name=a][value='1']")
    page.check("input[name=b][value='4']")
    page.click("button:text('Compare')")
    expect(page.locator("#difference-title")).to_have_text("From revision 1 to revision 4")
    expect(page.locator("table.diff tr.removed code")).to_have_text(["return 'Hi ' + name"])
    expect(page.locator("table.diff tr.added code")).to_contain_text(
        ["if name:", "    return 'Welcome ' + name", "return 'nobody'"])

    page.fill("#revert-note", "back to Hello")
    page.click("button[form=revert-form][value='2']")
    expect(page.locator(".flash-success")).to_contain_text("it is revision 5 now")
    page.click("nav.tabs a:text-is('Test')")
    page.fill("#field-parameter-name", "Grace")
    page.click("button:text('Run')")
    expect(page.locator(".test-output code")).to_have_text("Hello Grace")
    assert developer.read(lambda root: root["lab"]["greet"].body) == \
        "if name:\n    return 'Hello ' + name\nreturn 'nobody'"
    developer.refused_without_token("/lab/greet/manage_history",
                                    {"command": "revert", "revision": "1"})
