"""WebDAV dead properties: stored with the object, all or nothing, bounded, checked on import."""

import pytest
from BTrees.OOBTree import OOBTree

from objweb import Folder, Page
from objweb.content.deadproperties import (
    ATTRIBUTE, MAX_PROPERTIES, MAX_VALUE_LENGTH, apply_changes, check_changes,
    check_stored_properties, copy_properties, dead_properties, is_clark_name)
from objweb.errors import ValidationError

NAME = "{urn:x}colour"


def test_set_and_remove():
    page = Page()
    apply_changes(page, [(NAME, "<colour xmlns='urn:x'>red</colour>")])
    assert dict(dead_properties(page)) == {NAME: "<colour xmlns='urn:x'>red</colour>"}
    apply_changes(page, [(NAME, None), ("{urn:x}gone", None)])
    assert dict(dead_properties(page)) == {}


def test_a_value_too_large_or_one_property_too_many_is_named():
    page = Page()
    apply_changes(page, [(f"{{urn:x}}p{i}", "<v/>") for i in range(MAX_PROPERTIES)])
    problems = check_changes(page, [("{urn:x}p0", "x" * (MAX_VALUE_LENGTH + 1)),
                                    ("{urn:x}new", "<v/>")])
    assert set(problems) == {"{urn:x}p0", "{urn:x}new"}
    assert check_changes(page, [("{urn:x}p0", None), ("{urn:x}new", "<v/>")]) == {}


def test_a_folder_copy_takes_the_properties():
    source, target = Folder(), Folder()
    apply_changes(source, [(NAME, "<v/>")])
    copy_properties(source, target)
    assert dict(dead_properties(target)) == {NAME: "<v/>"}


@pytest.mark.parametrize("stored", [{"nope": "<v/>"}, OOBTree({"bad": "<v/>"}),
                                    OOBTree({NAME: 3})])
def test_an_imported_table_that_is_not_one_is_refused(stored):
    page = Page()
    setattr(page, ATTRIBUTE, stored)
    with pytest.raises(ValidationError):
        check_stored_properties(page)


def test_clark_names():
    assert is_clark_name("{DAV:}x") and is_clark_name("{}x")
    assert not is_clark_name("x") and not is_clark_name("{urn:x}") and not is_clark_name(3)
