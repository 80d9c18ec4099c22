"""The name rules of the contract, one row per rule, and path splitting."""

import pytest

from objweb.names import MAX_NAME_LENGTH, check_name, is_valid_name, split_path

BAD_NAMES = [
    ("", "empty"),
    (".", "dot"),
    ("..", "dot-dot"),
    ("a/b", "slash"),
    ("/", "lone slash"),
    ("_private", "underscore prefix"),
    ("__parent__", "dunder"),
    ("@@view", "view prefix"),
    ("@@", "bare view prefix"),
    ("aq_parent", "acquisition prefix"),
    ("aq_", "bare acquisition prefix"),
    ("manage", "management name"),
    ("manage_main", "management prefix"),
    ("managers", "management prefix, longer word"),
    ("a\x00b", "NUL"),
    ("a\nb", "newline"),
    ("a\rb", "carriage return"),
    ("a\tb", "tab"),
    ("a\x1fb", "unit separator"),
    ("a\x7fb", "DEL"),
    ("a\x85b", "C1 next line"),
    ("a\x9fb", "C1 control"),
    ("x" * (MAX_NAME_LENGTH + 1), "256 characters"),
    (None, "not a string"),
    (42, "a number"),
    (b"bytes", "bytes"),
]

GOOD_NAMES = [
    "a", "hello", "index_html", "report.pdf", "Ünïcödé", "with space", "a.b.c", "...",
    "a..b", "x" * MAX_NAME_LENGTH, "aq", "Manage", "mana", "at@@mid", "-dash", "~tilde",
    "100%", "日本語", "acl_users",
]


@pytest.mark.parametrize("name, rule", BAD_NAMES, ids=[rule for _, rule in BAD_NAMES])
def test_check_name_refuses(name, rule):
    with pytest.raises(ValueError):
        check_name(name)
    assert is_valid_name(name) is False


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_check_name_accepts(name):
    assert check_name(name) == name
    assert is_valid_name(name) is True


@pytest.mark.parametrize("name, fragment", [
    ("", "empty"), ("..", "not a name"), ("a/b", "'/'"), ("_x", "'_'"), ("@@x", "'@@'"),
    ("aq_x", "'aq_'"), ("manage_x", "'manage'"), ("a\x01", "control"),
    ("x" * 256, "255"), (3, "string"),
])
def test_check_name_message_names_the_rule(name, fragment):
    with pytest.raises(ValueError) as caught:
        check_name(name)
    assert fragment in str(caught.value)


@pytest.mark.parametrize("path, segments", [
    ("/news/hello", ["news", "hello"]),
    ("news/hello/", ["news", "hello"]),
    ("//news//hello", ["news", "hello"]),
    ("/./news/.", ["news"]),
    ("/", []),
    ("", []),
])
def test_split_path(path, segments):
    assert split_path(path) == segments


@pytest.mark.parametrize("path", ["/..", "/news/../x", ".."])
def test_split_path_refuses_climbing(path):
    with pytest.raises(ValueError, match=r"\.\."):
        split_path(path)
