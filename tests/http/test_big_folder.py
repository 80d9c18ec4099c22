"""A folder of 100,000 items: built in one transaction, traversed, listed by batch."""

import pytest
import transaction
import ZODB
from webtest import TestApp

import objweb
from objweb import Folder, Page
from objweb.content.site import site_root
from support import ADMIN, ADMIN_PASSWORD

COUNT = 100_000


@pytest.fixture(scope="module")
def big_db():
    """A site whose /big folder holds 100,000 pages, built once for this module.

    In a MappingStorage (`ZODB.DB(None)`): the fastest real storage to commit
    100,000 new objects to in one transaction.
    """
    database = ZODB.DB(None)
    objweb.bootstrap(database, admin=ADMIN, password=ADMIN_PASSWORD)
    with objweb.site(database) as root:
        big = root.add("big", Folder(title="Big"))
        for index in range(COUNT):
            big.add(f"item-{index:06d}", Page(title=f"Item {index}"))
    yield database
    transaction.abort()
    database.close()


@pytest.fixture(scope="module")
def big_app(big_db):
    return TestApp(objweb.make_app(big_db))


def test_len_is_read_from_the_counter(big_db):
    connection = big_db.open()
    try:
        big = site_root(connection)["big"]
        big._items._p_deactivate()
        assert len(big) == COUNT
        assert big._items._p_changed is None  # no bucket was loaded to count
    finally:
        connection.close()


def test_an_item_is_reached_by_url(big_app):
    assert "<title>Item 99999</title>" in big_app.get("/big/item-099999", status=200).text
    assert "Item 0" in big_app.get("/big/item-000000", status=200).text
    big_app.get("/big/item-100000", status=404)


def test_the_first_batch(big_app):
    data = big_app.get("/big", headers={"Accept": "application/json"}, status=200).json
    assert data["items_total"] == COUNT
    assert [item["id"] for item in data["items"]] == [f"item-{i:06d}" for i in range(50)]
    assert data["batching"]["next"] == "http://localhost/big?b_start=50&b_size=50"


@pytest.mark.parametrize("start", [1000, 12_345, 50_000, COUNT - 1000])
def test_a_batch_anywhere(big_app, start):
    data = big_app.get(f"/big?b_start={start}&b_size=1000", headers={
        "Accept": "application/json"}, status=200).json
    assert [item["id"] for item in data["items"]] == [
        f"item-{i:06d}" for i in range(start, start + 1000)]


def test_the_last_batch_is_served(big_app):
    data = big_app.get(f"/big?b_start={COUNT - 30}&b_size=50", headers={
        "Accept": "application/json"}, status=200).json
    assert [item["id"] for item in data["items"]] == [
        f"item-{i:06d}" for i in range(COUNT - 30, COUNT)]
    assert data["batching"]["next"] is None
    assert data["batching"]["prev"] == f"http://localhost/big?b_start={COUNT - 80}&b_size=50"


def test_the_html_page_of_a_big_folder_lists_none_of_its_items(big_app):
    text = big_app.get(f"/big?b_start={COUNT - 2}", status=200).text
    assert "This folder has no front page." in text and "Item 9999" not in text


def test_adding_to_a_big_folder_writes_only_a_bucket(big_db):
    with objweb.site(big_db) as root:
        folder_serial = root["big"]._p_serial
        root["big"].add("item-050000a", Page(title="Squeezed in"))
    with objweb.site(big_db) as root:
        assert root["big"]._p_serial == folder_serial
        assert len(root["big"]) == COUNT + 1
        root["big"].remove("item-050000a")
    with objweb.site(big_db) as root:
        assert len(root["big"]) == COUNT
