"""The Contents listing: batches, order, filter and the sort limit, on real folders."""

import pytest
import transaction
import ZODB
from webob.multidict import MultiDict

from objweb import File, Folder, Page, Settings
from objweb.zmi import listing
from objweb.zmi.display import format_size, format_time, iso_time, label_of
from objweb.zmi.listing import Query, list_contents, read_query


@pytest.fixture
def folder():
    db = ZODB.DB(None)
    connection = db.open()
    folder = Folder(title="Box")
    connection.root()["box"] = folder
    for number in range(120):
        folder.add(f"item-{number:03d}", Page(title=f"Title {119 - number:03d}",
                                              body="x" * number))
    transaction.commit()
    yield folder
    transaction.abort()
    connection.close()
    db.close()


def names(result) -> list[str]:
    return [row.name for row in result.rows]


def test_the_first_batch_is_in_name_order(folder):
    result = list_contents(folder, Query(size=10))
    assert names(result) == [f"item-{number:03d}" for number in range(10)]
    assert (result.total, result.first, result.last) == (120, 1, 10)
    assert result.next_after == "item-009"
    assert result.previous_start is None and result.next_start == 10


def test_a_batch_after_a_name_descends_the_tree(folder):
    result = list_contents(folder, Query(start=10, size=5, after="item-009"))
    assert names(result) == ["item-010", "item-011", "item-012", "item-013", "item-014"]
    assert result.first == 11


def test_a_batch_after_a_vanished_name_falls_back_to_the_position(folder):
    result = list_contents(folder, Query(start=10, size=2, after="gone"))
    assert names(result) == ["item-010", "item-011"]


def test_the_last_batch_has_no_next(folder):
    result = list_contents(folder, Query(start=115, size=10))
    assert names(result)[-1] == "item-119"
    assert result.next_start is None and result.next_after is None
    assert result.previous_start == 105


def test_reverse_name_order(folder):
    result = list_contents(folder, Query(size=3, reverse=True))
    assert names(result) == ["item-119", "item-118", "item-117"]
    beyond = list_contents(folder, Query(size=3, reverse=True, start=200))
    assert names(beyond) == []


def test_the_filter_matches_part_of_a_name_in_any_case(folder):
    result = list_contents(folder, Query(filter="M-01", size=50))
    assert names(result) == [f"item-01{digit}" for digit in range(10)]
    assert result.total == 10


def test_the_filter_in_reverse(folder):
    result = list_contents(folder, Query(filter="item-11", reverse=True, size=3))
    assert names(result) == ["item-119", "item-118", "item-117"]


def test_sorting_by_title(folder):
    result = list_contents(folder, Query(sort="title", size=2))
    assert [row.title for row in result.rows] == ["Title 000", "Title 001"]
    assert result.sort == "title" and not result.sort_refused


def test_sorting_by_size_descending(folder):
    result = list_contents(folder, Query(sort="size", reverse=True, size=1))
    assert names(result) == ["item-119"]


@pytest.mark.parametrize("key", ["type", "modified"])
def test_other_sort_keys(folder, key):
    result = list_contents(folder, Query(sort=key, size=120))
    assert len(result.rows) == 120 and result.sort == key


def test_past_the_sort_limit_the_name_order_is_kept(folder, monkeypatch):
    monkeypatch.setattr(listing, "SORT_LIMIT", 50)
    result = list_contents(folder, Query(sort="title", size=3))
    assert result.sort == "name" and result.sort_refused and not result.can_sort
    assert names(result) == ["item-000", "item-001", "item-002"]


def test_a_filter_under_the_limit_allows_sorting_again(folder, monkeypatch):
    monkeypatch.setattr(listing, "SORT_LIMIT", 50)
    result = list_contents(folder, Query(filter="item-00", sort="title", size=3))
    assert result.sort == "title" and result.can_sort
    assert names(result) == ["item-009", "item-008", "item-007"]


def test_read_query_replaces_bad_values_with_defaults():
    query = read_query(MultiDict(sort="evil", b_start="-3", b_size="100000", filter="  x  ",
                                 reverse="1"), Settings())
    assert query == Query(filter="x", sort="name", reverse=True, start=0, size=1000)


def test_read_query_keeps_good_values():
    query = read_query(MultiDict(sort="size", b_start="20", b_size="10", b_after="item-019"),
                       Settings())
    assert query == Query(sort="size", start=20, size=10, after="item-019")


@pytest.mark.parametrize("asked, size", [({}, 7), ({"b_size": "9"}, 9), ({"b_size": "99"}, 12),
                                         ({"b_size": "0"}, 1), ({"b_size": "x"}, 7)])
def test_read_query_holds_the_batch_to_the_settings(asked, size):
    settings = Settings(default_batch_size=7, max_batch_size=12)
    assert read_query(MultiDict(asked), settings).size == size


def test_select_names_needs_something(folder):
    with pytest.raises(ValueError, match="select at least one"):
        listing.select_names(folder, [], None)
    assert listing.select_names(folder, ["a"], None) == ["a"]
    assert len(listing.select_names(folder, [], "item-1")) == 20


def test_sizes_of_each_kind(folder):
    box = Folder()
    box.add("one", Page())
    assert listing.size_of(box) == (1, "1 item")
    assert listing.size_of(folder) == (120, "120 items")
    assert listing.size_of(Page(body="héllo")) == (6, "6 B")
    assert listing.size_of(File(data=b"x" * 2500)) == (2500, "2.5 kB")
    assert listing.size_of(object()) == (None, "")


def test_display_helpers():
    assert format_size(None) == ""
    assert format_size(999) == "999 B"
    assert format_size(3_400_000) == "3.4 MB"
    assert format_size(5 * 10 ** 12) == "5000.0 GB"
    assert format_time(0) == "" and iso_time(None) == ""
    assert format_time(86400) == "1970-01-02 00:00"
    assert iso_time(86400) == "1970-01-02T00:00:00+00:00"
    assert label_of(Folder()) == "Home"
    assert label_of(Page(title="T")) == "T"
