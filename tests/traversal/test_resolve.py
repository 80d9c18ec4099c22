"""The walk from URL segments to a result record, and `find`."""

import pytest

from objweb import Folder, NotFoundError, Page, Template
from objweb.traversal import (
    TraversalResult, ViewRegistry, acquire, child, find, is_acquirable, is_container,
    traverse)


def names(chain):
    return [obj.__name__ for obj in chain]


@pytest.fixture
def registry():
    """A registry with a plain `manage` view on folders, as the ZMI registers it."""
    views = ViewRegistry()
    views.register(Folder, "manage", lambda obj, request: None, action="manage", plain=True)
    views.register(Folder, "contents", lambda obj, request: None, action="manage")
    return views


def test_items_lead_to_the_object(tree, registry):
    result = traverse(tree, ["news", "2026", "launch"], registry)
    assert result.obj is tree["news"]["2026"]["launch"]
    assert result.context is result.obj
    assert result.found and result.missing is None
    assert result.view_name is None and result.subpath == () and not result.acquired
    assert names(result.chain) == [None, "news", "2026", "launch"]


def test_no_segments_is_the_root(tree, registry):
    result = traverse(tree, [], registry)
    assert result.obj is tree and result.chain == (tree,)


@pytest.mark.parametrize("segments", [["", "news", ""], [".", "news", "."], ["news", "", "."]])
def test_empty_and_dot_segments_are_skipped(tree, registry, segments):
    assert traverse(tree, segments, registry).obj is tree["news"]


def test_a_view_segment_stops_the_walk(tree, registry):
    result = traverse(tree, ["news", "@@contents", "a", "b"], registry)
    assert result.obj is tree["news"] and result.view_name == "contents"
    assert result.subpath == ("a", "b")
    assert result.found


def test_a_plain_view_name_is_reached_without_the_prefix(tree, registry):
    result = traverse(tree, ["news", "manage"], registry)
    assert result.obj is tree["news"] and result.view_name == "manage" and result.found


def test_a_view_name_without_the_prefix_is_missing_unless_plain(tree, registry):
    result = traverse(tree, ["news", "contents"], registry)
    assert result.missing == "contents" and result.obj is tree["news"]


def test_a_bare_view_prefix_is_missing(tree, registry):
    result = traverse(tree, ["news", "@@"], registry)
    assert result.missing == "@@" and result.view_name is None


def test_a_missing_name_records_where_the_walk_stopped(tree, registry):
    result = traverse(tree, ["news", "nope", "deeper"], registry)
    assert not result.found
    assert result.missing == "nope"
    assert result.obj is tree["news"] and result.subpath == ("deeper",)


@pytest.mark.parametrize("name", [
    "..", "__parent__", "__class__", "_items", "_count", "_p_jar", "title", "keys", "add",
    "remove", "aq_parent", "aq_base", "__dict__", "__getitem__", "owner", "_security",
])
def test_attributes_and_climbing_are_never_reached(tree, registry, name):
    result = traverse(tree, ["news", name], registry)
    assert result.missing == name and result.obj is tree["news"]


def test_an_item_of_a_non_container_is_missing(tree, registry):
    result = traverse(tree, ["news", "hello", "body"], registry)
    assert result.missing == "body" and result.obj is tree["news"]["hello"]


def test_templates_are_acquired_in_the_context_they_were_reached_through(tree, registry):
    result = traverse(tree, ["news", "hello", "view", "extra"], registry)
    assert result.obj is tree["view"]
    assert result.context is tree["news"]["hello"]
    assert result.acquired and result.found
    assert result.subpath == ("extra",)
    assert names(result.chain) == [None, "news", "hello"]


def test_the_nearest_acquirable_object_wins(tree, registry):
    nearer = tree["news"].add("view", Template(title="Nearer"))
    result = traverse(tree, ["news", "2026", "launch", "view"], registry)
    assert result.obj is nearer and result.context is tree["news"]["2026"]["launch"]


def test_only_acquirable_objects_are_acquired(tree, registry):
    result = traverse(tree, ["news", "2026", "hello"], registry)
    assert result.missing == "hello"


def test_a_template_reached_by_name_runs_in_its_container(tree, registry):
    result = traverse(tree, ["news", "greet"], registry)
    assert result.obj is tree["news"]["greet"] and result.context is tree["news"]
    assert not result.acquired
    assert names(result.chain) == [None, "news"]


def test_an_acquirable_root_is_its_own_context():
    root = Template(title="alone")
    result = traverse(root, [], ViewRegistry())
    assert result.obj is root and result.context is root
    below = traverse(root, ["nope"], ViewRegistry())
    assert below.obj is root and below.missing == "nope" and below.chain == (root,)


def test_traversal_result_is_a_frozen_record(tree):
    result = TraversalResult(tree, tree)
    with pytest.raises(AttributeError):
        result.obj = None
    assert result.found and "chain" not in repr(result)


def test_child_answers_none_for_anything_but_an_item(tree):
    assert child(tree, "news") is tree["news"]
    assert child(tree, "nope") is None
    assert child(tree["news"]["hello"], "anything") is None
    assert child(tree, 42) is None


def test_acquire_starts_above_the_object(tree):
    assert acquire(tree["news"]["hello"], "view") is tree["view"]
    assert acquire(tree["news"]["hello"], "greet") is tree["news"]["greet"]
    assert acquire(tree, "view") is None
    assert acquire(tree["news"], "hello") is None


def test_markers(tree):
    assert is_container(tree) and not is_container(tree["news"]["hello"])
    assert is_acquirable(tree["view"]) and not is_acquirable(tree["news"])
    assert is_container(object()) is False and is_acquirable(object()) is False


def test_acquire_from_an_object_outside_any_tree_finds_nothing():
    # Only the location protocol is assumed: an object without `__parent__` has no ancestors.
    assert acquire(object(), "view") is None


def test_find_follows_items_only(tree):
    assert find(tree, "/news/2026/launch") is tree["news"]["2026"]["launch"]
    assert find(tree, "news/hello/") is tree["news"]["hello"]
    assert find(tree, "/") is tree
    assert find(tree, "") is tree


@pytest.mark.parametrize("path", ["/news/nope", "/news/hello/body", "/news/view", "/news/@@x",
                                  "/news/_items", "/news/title"])
def test_find_raises_not_found(tree, path):
    with pytest.raises(NotFoundError) as caught:
        find(tree, path)
    assert isinstance(caught.value, KeyError)
    assert path in str(caught.value)


def test_find_refuses_climbing(tree):
    with pytest.raises(ValueError):
        find(tree, "/news/../view")


def test_a_page_is_not_a_container():
    assert child(Page(), "x") is None


def test_names_after_a_script_reached_by_name_are_its_subpath(tree, registry):
    result = traverse(tree, ["news", "greet", "a", "b"], registry)
    assert result.obj is tree["news"]["greet"] and result.context is tree["news"]
    assert result.subpath == ("a", "b") and result.found and not result.acquired
