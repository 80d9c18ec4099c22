"""Lineage, containment, paths and URLs, from the location protocol alone."""

import pytest

from objweb import Folder, Page
from objweb.traversal import is_inside, lineage, path_of, path_segments, root_of, url_of


def test_lineage_runs_from_the_object_to_the_root(tree):
    launch = tree["news"]["2026"]["launch"]
    assert [obj.__name__ for obj in lineage(launch)] == ["launch", "2026", "news", None]
    assert list(lineage(tree)) == [tree]


def test_lineage_of_nothing_is_empty():
    assert list(lineage(None)) == []


def test_is_inside_counts_the_object_itself(tree):
    news = tree["news"]
    assert is_inside(news["hello"], news)
    assert is_inside(news, news)
    assert is_inside(news["hello"], tree)
    assert not is_inside(news, news["hello"])
    assert not is_inside(Page(), tree)


def test_root_of_climbs_to_the_top(tree):
    assert root_of(tree["news"]["2026"]["launch"]) is tree
    assert root_of(tree) is tree
    lone = Page()
    assert root_of(lone) is lone


def test_path_of_joins_the_names(tree):
    assert path_of(tree["news"]["2026"]["launch"]) == "/news/2026/launch"
    assert path_of(tree["news"]) == "/news"
    assert path_of(tree) == "/"


def test_path_segments_relative_to_a_root(tree):
    launch = tree["news"]["2026"]["launch"]
    assert path_segments(launch, tree["news"]) == ["2026", "launch"]
    assert path_segments(tree["news"], tree["news"]) == []
    assert path_segments(launch) == ["news", "2026", "launch"]


def test_path_segments_refuse_an_object_outside_the_root(tree):
    with pytest.raises(ValueError, match="not inside /news"):
        path_segments(tree["view"], tree["news"])


def test_url_of_quotes_every_name(tree):
    odd = tree["news"].add("a b?c#d%e", Folder())
    page = odd.add("ünï", Page())
    assert url_of(page, "http://x.org") == "http://x.org/news/a%20b%3Fc%23d%25e/%C3%BCn%C3%AF"


def test_url_of_the_root_ends_with_a_slash(tree):
    assert url_of(tree, "http://x.org") == "http://x.org/"
    assert url_of(tree, "http://x.org/") == "http://x.org/"


def test_url_of_below_a_virtual_root(tree):
    news = tree["news"]
    assert url_of(news["hello"], "https://example.com", news) == "https://example.com/hello"
    assert url_of(news, "https://example.com/", news) == "https://example.com/"
    with pytest.raises(ValueError):
        url_of(tree["view"], "https://example.com", news)


def test_an_object_without_a_parent_attribute_is_its_own_root():
    # Only the location protocol is assumed: no `__parent__` at all is the top of a tree.
    lone = object()
    assert list(lineage(lone)) == [lone]
    assert path_segments(lone) == [] and path_of(lone) == "/"


def test_outside_the_root_names_both_paths(tree):
    with pytest.raises(ValueError) as caught:
        path_segments(tree["news"]["hello"], tree["news"]["2026"])
    assert str(caught.value) == "/news/hello is not inside /news/2026"


def test_url_of_keeps_every_letter_of_the_base_url(tree):
    assert url_of(tree["news"], "http://example.com/BOX/") == "http://example.com/BOX/news"
    assert url_of(tree, "http://example.com/X") == "http://example.com/X/"
