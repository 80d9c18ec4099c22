"""The example extension objweb-news in a real browser: add, edit, view and search a NewsItem.

objweb-news is installed in the test environment (`make test` installs it),
so `objweb serve` loads it as it would on a user's machine.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from support import ServeProcess
from test_zmi_browser import Manager

pytestmark = pytest.mark.browser


@pytest.fixture
def manager(page, site_home, request):
    server = ServeProcess(site_home)
    request.addfinalizer(server.stop)
    user = Manager(page, server, site_home)
    user.log_in()
    return user


def test_add_edit_view_and_search_a_news_item(manager):
    manager.go("/manage_contents")
    expect(manager.page.locator("#add-type option[value=NewsItem]")).to_have_count(1)
    manager.add("", "NewsItem", "fair", {
        "title": "Summer fair", "lead": "The fair is back", "body": "<p>On the green</p>",
        "published": "2024-05-01", "tags": "Town\nsummer"})
    row = manager.page.locator("tr:has(a:text-is('fair'))")
    expect(row.locator(".col-type")).to_have_text("NewsItem")

    manager.go("/fair/manage_edit")
    manager.fill("lead", "The fair is back, bigger")
    manager.page.click("button:text('Save changes')")
    expect(manager.page.locator(".flash-success")).to_be_visible()

    manager.go("/fair")
    expect(manager.page.locator("article.news-item h1")).to_have_text("Summer fair")
    expect(manager.page.locator("p.lead")).to_have_text("The fair is back, bigger")
    expect(manager.page.locator("ul.tags a")).to_have_text(["Town", "summer"])
    manager.page.click("ul.tags a:text-is('Town')")
    results = manager.page.locator("#search-results li")
    expect(results).to_have_count(1)
    expect(results.first.locator("a")).to_have_text("Summer fair")

    manager.go("/@@latest")
    expect(manager.page.locator("ol.latest a")).to_have_text(["Summer fair"])
    stored = manager.read(lambda root: (type(root["fair"]).__name__, root["fair"].lead,
                                        root["fair"].published, root["fair"].tags))
    assert stored == ("NewsItem", "The fair is back, bigger", date(2024, 5, 1),
                      ("Town", "summer"))
    manager.refused_without_token("/fair/manage_edit", {"command": "save", "lead": "Forged"})
