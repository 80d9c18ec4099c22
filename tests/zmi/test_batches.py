"""Every list the screens page through is batched as the application's Settings say."""

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Settings
from support import ADMIN, ADMIN_PASSWORD, basic_auth

AUTH = basic_auth(ADMIN, ADMIN_PASSWORD)


@pytest.fixture
def app(file_db):
    db = file_db
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
    for number in range(8):
        with objweb.site(db) as root:
            root["news"][f"item-{number}"] = Page(title=f"Item {number}")
    return TestApp(objweb.make_app(db, Settings(default_batch_size=3, max_batch_size=5)))


def contents(page) -> list[str]:
    return [cell.get_text(strip=True) for cell in page.html.select("td.col-name")]


def found(page) -> list[str]:
    return [row.td.get_text() for row in page.html.find(id="find-results").tbody("tr")]


def history(page) -> list:
    return page.html.find("table", class_="history").tbody.find_all("tr")


def test_contents_show_the_default_batch_and_no_more_than_the_most(app):
    page = app.get("/news/manage_contents", headers=AUTH, status=200)
    assert contents(page) == ["item-0", "item-1", "item-2"]
    wide = app.get("/news/manage_contents?b_size=100", headers=AUTH, status=200)
    assert contents(wide) == [f"item-{number}" for number in range(5)]


def test_find_shows_the_default_batch_and_links_to_the_next(app):
    page = app.get("/news/manage_find?search=1&title=Item", headers=AUTH, status=200)
    assert len(found(page)) == 3
    following = app.get(page.html.find("a", rel="next")["href"], headers=AUTH, status=200)
    assert len(found(following)) == 3 and set(found(following)).isdisjoint(found(page))
    assert following.html.find("a", rel="prev") is not None
    wide = app.get("/news/manage_find?search=1&title=Item&b_size=100", headers=AUTH,
                   status=200)
    assert len(found(wide)) == 5
    assert "b_size=5" in wide.html.find("a", rel="next")["href"]


def test_the_undo_tab_holds_its_batch_to_the_most(app):
    page = app.get("/news/manage_undo", headers=AUTH, status=200)
    assert len(history(page)) == 5
    older = app.get(page.html.find("a", rel="next")["href"], headers=AUTH, status=200)
    assert len(history(older)) == 3
    assert older.html.find("a", rel="next") is None
