"""Typed work in a real browser: the Properties tab after an error, and two people saving one
page. The README's Properties and conflict screenshots are taken here."""

import pytest
from playwright.sync_api import expect

from objweb.content import properties
from test_zmi_browser import fill_field, manager, news_site, populate  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def with_properties(populate, news_site):  # noqa: F811 (the fixture imported above)
    def build(root):
        alpha = root["news"]["alpha"]
        properties.add_property(alpha, "rank", "int", 3)
        properties.add_property(alpha, "featured", "boolean", True)
        properties.add_property(alpha, "subtitle", "string", "Kept as stored")
    populate(build)


def stored_properties(manager):  # noqa: F811
    def read(root):
        return {prop.name: prop.value for prop in properties.properties_of(root["news"]["alpha"])}
    return manager.read(read)


def test_properties_after_an_error_show_what_is_stored(with_properties, manager):  # noqa: F811
    manager.go("/news/alpha/manage_properties")
    manager.page.fill("#new-name", "bad name")
    manager.page.fill("#new-value", "x")
    manager.page.click("button[value=add_property]")
    expect(manager.page.locator("#form-errors")).to_be_visible()
    expect(manager.page.locator("#field-property-rank")).to_have_value("3")
    expect(manager.page.locator("#field-property-subtitle")).to_have_value("Kept as stored")
    expect(manager.page.locator("#field-property-featured")).to_be_checked()
    manager.screenshot("properties-error")
    manager.page.click("#properties-form button[value=save]")
    expect(manager.page.locator(".flash-success")).to_have_text("Saved the properties.")
    assert stored_properties(manager) == {"rank": 3, "featured": True,
                                          "subtitle": "Kept as stored"}
    manager.refused_without_token("/news/alpha/manage_properties",
                                  {"command": "save", "property.rank": "9"})
    assert stored_properties(manager)["rank"] == 3


def test_a_save_over_a_newer_change_shows_both_and_lets_the_user_choose(
        news_site, manager):  # noqa: F811
    mine, theirs = manager.page, manager.page.context.new_page()
    for page in (mine, theirs):
        page.goto(manager.server.url + "/news/alpha/manage_edit")
    fill_field(theirs, "body", "<p>Their version of the story</p>")
    theirs.click("button:text('Save changes')")
    expect(theirs.locator(".flash-success")).to_have_text("Saved your changes.")
    fill_field(mine, "body", "<p>My version of the story</p>")
    mine.click("button:text('Save changes')")
    panel = mine.locator("#conflict")
    expect(panel).to_contain_text("Changed by someone else while you were editing")
    expect(panel.locator("tbody td").nth(0)).to_have_text("<p>Their version of the story</p>")
    expect(panel.locator("tbody td").nth(1)).to_have_text("<p>My version of the story</p>")
    body = lambda root: root["news"]["alpha"].body  # noqa: E731
    assert manager.read(body) == "<p>Their version of the story</p>"
    manager.screenshot("conflict")
    mine.click("#edit-form button:text('Save changes')")
    expect(mine.locator(".flash-success")).to_have_text("Saved your changes.")
    assert manager.read(body) == "<p>My version of the story</p>"
    manager.refused_without_token("/news/alpha/manage_edit",
                                  {"command": "save", "body": "<p>forged</p>"})
    assert manager.read(body) == "<p>My version of the story</p>"


@pytest.fixture
def menu_site(populate, news_site):  # noqa: F811 (the fixture imported above)
    from objweb import OrderedFolder, Page

    def build(root):
        menu = root.add("menu", OrderedFolder(title="Main menu"))
        for name, title in (("home", "Home"), ("news", "News"), ("events", "Events"),
                            ("about", "About us"), ("contact", "Contact")):
            menu.add(name, Page(title=title, body=f"<p>{title}</p>"))
    populate(build)


def test_an_ordered_folder_is_arranged_in_contents(menu_site, manager):  # noqa: F811
    manager.go("/menu/manage_contents")
    manager.tick("contact")
    manager.command("Top")
    expect(manager.page.locator(".flash-success")).to_have_text("Moved 'contact' to the top.")
    manager.tick("events")
    manager.command("Up")
    expect(manager.page.locator("td.col-name")).to_have_text(
        ["contact", "home", "events", "news", "about"])
    manager.tick("home")
    manager.screenshot("contents-ordering")
    assert manager.read(lambda root: list(root["menu"].keys())) == \
        ["contact", "home", "events", "news", "about"]
