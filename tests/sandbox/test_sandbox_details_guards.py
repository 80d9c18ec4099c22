"""The guards' refusals word for word, what format fields reach, and absolute_url over HTTP."""

import re

import pytest
from webtest import TestApp

import objweb
from objweb import Folder, Page, Script
from objweb.sandbox import CodeLimitError, Limits


@pytest.mark.parametrize("body, kind, message", [
    ("return dict(**[('a', 1)])", "TypeError", "only a dict can be unpacked with ** in code"),
    ("return {**'ab'}", "TypeError", "only a dict can be unpacked with ** in code"),
    ("return '{0!x}'.format(1)", "ValueError", "unknown conversion specifier x"),
    # format_map has no positional fields to give.
    ("return '{0}'.format_map({})", "IndexError", "tuple index out of range"),
    ("return context.news.hello['x']", "TypeError", "a Page has no items"),
    ("return context.news[1]", "KeyError", "1"),
    ("x = 1\nreturn x[0]", "TypeError", "code may not take items of a int"),
    ("return context.news.hello.nope", "NotPublishedError", "a Page has no 'nope' that code may use"),
    ("context.title = 'x'", "TypeError", "code cannot change a Folder this way; use its edit method"),
    ("x = (1, 2)\nx[0] = 3", "TypeError", "code cannot change a tuple this way"),
    ("x = [1]\nx[0:1] = 5", "NotIterableError", "int objects cannot be iterated by code"),
    ("return getattr(context, '_x')", "NotPublishedError", "'_x' is not accessible to code"),
    ("return getattr(context, 1)", "TypeError", "an attribute name is text"),
])
def test_guard_refusals_say_what_code_may_do(root, refused, body, kind, message):
    error = refused(body, context=root)
    assert (type(error).__name__, str(error)) == (kind, message)


@pytest.mark.parametrize("body, expected", [
    ("return '{0[a]}-{0[b][0]}'.format({'a': 1, 'b': 'xy'})", "1-x"),
    ("return '{d[a]}'.format_map({'d': {'a': 2}})", "2"),
])
def test_format_fields_reach_items_by_subscript(run_script, body, expected):
    assert run_script(body) == expected


def test_absolute_url_over_http_is_the_url_of_the_object_reached(db):
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello")
        root["where"] = Script(body="return context.absolute_url()")
    web = TestApp(objweb.make_app(db))
    assert web.get("/news/hello/where", status=200).text == "http://localhost/news/hello"
    assert web.get("/where", status=200).text == "http://localhost/"


SLICES = "big = [0] * 10000\nfor i in range({times}):\n    x = big[1:]\nreturn len(x)"


@pytest.mark.parametrize("times, expected", [
    (2, 9999),
    (20, "The Script at /code/x built more than 1048576 bytes of values and was stopped; "
         "its changes were not kept."),
])
def test_slices_are_charged_to_the_allocation_allowance(run_script, times, expected):
    try:
        result = run_script(SLICES.format(times=times), limits=Limits(max_allocation=1 << 20))
    except CodeLimitError as error:
        result = re.sub(r"/code/c\d+", "/code/x", str(error))
    assert result == expected


LIMITED = Limits(max_items=10)


@pytest.mark.parametrize("body, expected", [
    ("x = [0] * 6\nx[0:0] = [1] * 4\nreturn len(x)", 10),
    ("x = [0] * 6\nx[0:0] = [1] * 5\nreturn len(x)",
     "The Script at /code/x tried to build a list of 11 items (at most 10) and was stopped; "
     "its changes were not kept."),
    ("x = [0] * 2\nx[0:0] = (n for n in [1] * 9)\nreturn len(x)",
     "The Script at /code/x tried to build a list of 11 items (at most 10) and was stopped; "
     "its changes were not kept."),
    # Drawn from a generator, the items are counted as they come.
    ("x = [0] * 2\nx[0:0] = (n for n in [1] * 10 for m in [1, 2])\nreturn len(x)",
     "The Script at /code/x tried to build a list of 11 items (at most 10) and was stopped; "
     "its changes were not kept."),
])
def test_a_slice_assignment_keeps_the_list_within_the_item_limit(run_script, body, expected):
    try:
        result = run_script(body, limits=LIMITED)
    except CodeLimitError as error:
        result = re.sub(r"/code/c\d+", "/code/x", str(error))
    assert result == expected


def test_code_acquired_through_acquired_code_keeps_the_first_context(root, run_script):
    # `context.news.first` is `first` bound to News; `.second` is acquired from
    # `first` and stays bound to News, as Zope binds it, not to `first`.
    root["first"] = Script(title="First", body="return 'first'")
    root["second"] = Script(title="Second", body="return context.title")
    assert run_script("return context.news.first.second()", context=root) == "News"
