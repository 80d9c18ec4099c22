"""Formatting in restricted code in detail: f-string conversions, the bounds of specs, % sizes.

A format spec or a % template may ask for widths up to `MAX_FORMAT_WIDTH`
and no more; the text a % format builds is counted, padding included,
before it is built. Each refusal is pinned word for word.
"""

import pytest

from objweb.sandbox import Limits

DATE = "from datetime import date\n"


@pytest.mark.parametrize("body, expected", [
    ("return f\"{'a'!r}{'b'!s}{'é'!a}{'c'}\"", "'a'b'\\xe9'c"),
    ("return f\"{'a'!r:>5}\"", "  'a'"),
    ("return format(5), format('x')", ("5", "x")),
    # Widths and precisions of exactly the bound are taken.
    ("return len(format('x', '10000')), len(format('x', '.10000')), len(format(1.5, '.10000f'))",
     (10000, 1, 10002)),
    ("return len('%10000s' % 'x'), len('%.10000f' % 1.5)", (10000, 10002)),
    # A date's spec is any text: one of exactly the bound's length is taken.
    (DATE + "return len(format(date(2020, 1, 2), 'x' * 10000))", 10000),
    ("return b'%s-%d' % (b'a', 1)", b"a-1"),
])
def test_formatting_gives(run_script, body, expected):
    assert run_script(body) == expected


@pytest.mark.parametrize("body, limits, message", [
    ("return format(1, 5)", None, "TypeError: a format spec is text"),
    (DATE + "return format(date(2020, 1, 2), 'x' * 10001)", None,
     "ValueError: a format spec is at most 10000 characters"),
    ("return format('x', '10001')", None,
     "ValueError: format widths and precisions are at most 10000"),
    ("return format('x', '.000001')", None,
     "ValueError: format widths and precisions are at most 10000"),
    ("return '%s' % context", None,
     "TypeError: the values of a % format are a tuple, a dict or one plain value"),
    ("return '%*s' % (5, 'x')", None,
     "ValueError: '*' widths are not supported in code; write the number"),
    ("return '%.*f' % (5, 1.5)", None,
     "ValueError: '*' widths are not supported in code; write the number"),
    ("return '%10001s' % 'x'", None,
     "ValueError: format widths and precisions are at most 10000"),
    ("return '%.000001s' % 'x'", None,
     "ValueError: format widths and precisions are at most 10000"),
    # The template, the values and every width and precision count, before the text is built.
    ("return '%50s' % ('a' * 48)", Limits(output_limit=100),
     "BudgetExceeded: tried to build a text of 105 characters (at most 100)"),
    ("return '%50.1s' % ('a' * 48)", Limits(output_limit=100),
     "BudgetExceeded: tried to build a text of 108 characters (at most 100)"),
    ("return ('x' * 50 + '%s') % ('a' * 50)", Limits(output_limit=100),
     "BudgetExceeded: tried to build a text of 105 characters (at most 100)"),
])
def test_formatting_refuses_saying(told, body, limits, message):
    assert told(body, limits=limits) == message


def test_a_percent_format_of_exactly_the_output_limit_is_built(run_script):
    # A text counts as written with its quotes and a character more: 'a' * 95 is 98.
    assert run_script("return '%s' % ('a' * 95)", limits=Limits(output_limit=100)) == "a" * 95


@pytest.mark.parametrize("body, message", [
    # Measured, not written: the text would be 40,400 characters.
    ("return ascii(['é' * 100] * 100)",
     "BudgetExceeded: tried to build a text of 10502 characters (at most 1000)"),
    ("return ascii([1.5] * 1000)",
     "BudgetExceeded: tried to build a text of 27002 characters (at most 1000)"),
])
def test_ascii_measures_before_it_writes(told, body, message):
    assert told(body, limits=Limits(output_limit=1000, max_operation_cost=5000)) == message
