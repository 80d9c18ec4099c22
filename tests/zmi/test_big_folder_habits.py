"""The small habits of a big site's screens: batches by number, the undo link after a delete,
cut items marked, a pack that asks first, focused forms, times that say their zone, and the
site's favicon."""

import re

import pytest
from webtest import TestApp

import objweb
from objweb import File, Folder, Page
from support import BROWSER_ACCEPT


@pytest.fixture
def big(site):
    def build(root):
        folder = root.add("big", Folder(title="Big"))
        for number in range(260):
            folder.add(f"item{number:04d}", Page(title=f"Item {number}"))
    site(build)
    return "/big/manage_contents"


def batch_links(page) -> dict[str, str]:
    nav = page.html.find("nav", class_="batch")
    return {link.get_text(strip=True): link["href"] for link in nav.find_all("a")}


def first_row(page) -> str:
    return page.html.select("td.col-name")[0].get_text(strip=True)


# -- batches ------------------------------------------------------------------------------

def test_the_batch_bar_offers_last_and_page_numbers(manager, big):
    page = manager.get(big)
    links = batch_links(page)
    assert "First" not in links and "Previous" not in links
    assert [name for name in links if name.isdigit()] == ["2", "3", "4"]
    assert page.html.find("nav", class_="batch").find("strong").get_text() == "1"
    last = manager.get(links["Last"])
    assert first_row(last) == "item0250"
    assert "Last" not in batch_links(last) and "Next" not in batch_links(last)
    assert first_row(manager.get(links["3"])) == "item0100"


def test_a_middle_batch_numbers_the_batches_around_it(manager, big):
    page = manager.get(big + "?b_start=150")
    numbers = [name for name in batch_links(page) if name.isdigit()]
    assert numbers == ["1", "2", "3", "5", "6"]
    assert page.html.find("nav", class_="batch").find("strong")["aria-current"] == "page"


# -- times ------------------------------------------------------------------------------------

def test_contents_times_say_their_zone(manager, big):
    headings = [cell.get_text(strip=True) for cell in manager.get(big).html.select("thead th")]
    assert "Modified (UTC)▲" not in headings and "Modified (UTC)" in headings


@pytest.fixture
def news(file_db):
    with objweb.site(file_db, user="admin") as root:
        news = root.add("news", Folder(title="News"))
        news.add("alpha", Page(title="Alpha"))
        news.add("beta", Page(title="Beta"))
    return "/news/manage_contents"


def test_undo_shows_seconds(file_manager, news):
    page = file_manager.get("/manage_undo")
    shown = page.html.select("table.history time")[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", shown.get_text())
    assert shown["datetime"].startswith(shown.get_text()[:10])


def test_the_undo_link_after_a_delete_ticks_that_delete(file_manager, file_db, news):
    file_manager.post(news, {"command": "delete", "names": "alpha"})
    response = file_manager.post(news, {"command": "delete", "names": "beta"})
    link = file_manager.follow(response).html.find(class_="flash").find("a")["href"]
    page = file_manager.get(link)
    ticked = page.html.select("input[name=ids][checked]")
    assert len(ticked) == 1
    row = ticked[0].find_parent("tr").get_text(" ", strip=True)
    assert "Deleted 'beta'" in row
    undone = file_manager.post("/news/manage_undo", {"command": "undo", "ids": ticked[0]["value"]})
    assert "Undid 1 transaction." in file_manager.follow(undone).text
    with objweb.site(file_db) as root:
        assert sorted(root["news"].keys()) == ["beta"]


def test_the_undo_tab_alone_ticks_nothing(file_manager, news):
    file_manager.post(news, {"command": "delete", "names": "alpha"})
    page = file_manager.get("/news/manage_undo")
    assert page.html.select("input[name=ids][checked]") == []


# -- cut ------------------------------------------------------------------------------------

def test_a_cut_item_is_marked_until_pasted(manager, big, site):
    site(lambda root: root.add("target", Folder()))
    manager.post(big, [("command", "cut"), ("names", "item0001"), ("names", "item0003")])
    page = manager.get(big)
    marked = [row.select_one("td.col-name a").get_text(strip=True)
              for row in page.html.select("tbody tr.cut")]
    assert marked == ["item0001", "item0003"]
    assert page.html.select("tbody tr.cut .cut-mark")[0].get_text() == "cut"
    assert manager.get("/target/manage_contents").html.select("tr.cut") == []


def test_a_copied_item_is_not_marked(manager, big):
    manager.post(big, [("command", "copy"), ("names", "item0001")])
    assert manager.get(big).html.select("tbody tr.cut") == []


def test_all_matching_cut_marks_every_match(manager, big):
    manager.post(big, {"command": "cut", "all_matching": "1", "filter": "item025"})
    page = manager.get(big + "?filter=item025")
    assert len(page.html.select("tbody tr.cut")) == 10


# -- pack ---------------------------------------------------------------------------------

def revisions(file_db) -> int:
    with objweb.site(file_db) as root:
        oid = root["news"]["alpha"]._p_oid
    return len(file_db.history(oid, size=10))


def test_pack_asks_before_it_packs(file_manager, file_db, news):
    file_manager.post("/news/alpha/manage_properties", {"command": "save", "title": "Again"})
    before = revisions(file_db)
    page = file_manager.post("/manage_control", {"command": "pack", "days": "0"}, status=200)
    form = page.html.find(id="pack-confirm-form")
    assert "can then no longer be undone" in form.get_text(" ", strip=True)
    assert form.find("input", attrs={"name": "confirm"})["value"] == "1"
    assert revisions(file_db) == before > 1
    response = file_manager.post("/manage_control",
                                 {"command": "pack", "days": "0", "confirm": "1"})
    assert "Packed the database" in file_manager.follow(response).text
    assert revisions(file_db) == 1


# -- focus and login --------------------------------------------------------------------------

@pytest.mark.parametrize("type_name", ["Folder", "Page", "File"])
def test_add_forms_focus_their_first_field(manager, type_name):
    page = manager.get(f"/manage_add?type={type_name}")
    focused = page.html.select("[autofocus]")
    assert [element["id"] for element in focused] == ["field-name"]


def test_the_login_form_starts_on_the_user_name(db):
    page = TestApp(objweb.make_app(db)).get("/@@login", headers=BROWSER_ACCEPT, status=200)
    assert [element["id"] for element in page.html.select("[autofocus]")] == ["login"]


# -- favicon ----------------------------------------------------------------------------------

def test_the_site_has_a_favicon(db):
    app = TestApp(objweb.make_app(db))
    response = app.get("/favicon.ico", status=200)
    assert response.content_type in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.body[:4] == b"\x00\x00\x01\x00"
    app.get("/news/favicon.ico", status=404)


def test_a_sites_own_favicon_wins(db, site):
    site(lambda root: root.add("favicon.ico", File(data=b"mine", content_type="image/x-icon")))
    assert TestApp(objweb.make_app(db)).get("/favicon.ico", status=200).body == b"mine"


def test_only_the_root_answers_favicon(db, site):
    site(lambda root: root.add("news", Folder()))
    TestApp(objweb.make_app(db)).get("/news/favicon.ico", status=404)
