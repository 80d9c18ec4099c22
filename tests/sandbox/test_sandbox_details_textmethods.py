"""Text methods at the edges of their checks: estimates, charges and the exact refusals.

Texts are handed in by the caller where the Script could not build them
under the limits the case sets.
"""


import pytest

from sandbox_support import built_past_limit, outcome, stopped, worked_past_limit


def _text(size: int, limit: int) -> tuple:
    return built_past_limit(f"a text of {size} characters (at most {limit})")


@pytest.mark.parametrize("body, value, limits, expected", [
    ("return items.find('y')", "x" * 300, {"max_operation_cost": 1000},
     worked_past_limit("to search a text of 300 characters", "1,200", "1,000")),
    ("return items.find(sub='b')", "abc", {},
     ("TypeError", "find() takes no keyword arguments")),
    # A split makes at most max_operation_cost // 150 pieces at once: here 2.
    ("return items.split(' ')", "a b c d", {"max_operation_cost": 300},
     worked_past_limit("to split a text into more than 2 pieces", "450", "300")),
    ("return items.split(' ', 2)", "a b c d", {"max_operation_cost": 300}, ["a", "b", "c d"]),
    ("return items.split(' ', 0)", "a b c", {}, ["a b c"]),
    ("return items.rsplit(' ', 0)", "a b c", {}, ["a b c"]),
    # splitlines: 150 a line, and 10 for every 8 characters.
    ("return items.splitlines()", b"a\n" * 3 + b"a\r" * 3 + b"a", {"max_operation_cost": 1000},
     worked_past_limit("to split a text into 7 lines", "1,066", "1,000")),
    ("return items.splitlines()", "a\n" * 3 + "a\x0b" * 3 + "a", {"max_operation_cost": 1000},
     worked_past_limit("to split a text into 7 lines", "1,066", "1,000")),
    ("return '-'.join(items)", ["a"] * 20, {"max_items": 10},
     stopped("tried to build the parts of a text of 20 items (at most 10)")),
    # join: the separator between each two parts, and the parts.
    ("return items.join(['abc'] * 3)", "--", {"output_limit": 13}, "abc--abc--abc"),
    ("return items.join(['abc'] * 3)", "--", {"output_limit": 12}, _text(13, 12)),
    ("return items.join(['abc'])", "-" * 20, {"output_limit": 10}, "abc"),
    # replace: each occurrence grows by what new adds; an empty old matches len + 1 times.
    ("return items.replace('b', 'xx')", "aaaa", {"output_limit": 8}, "aaaa"),
    ("return items.replace('', '-')", "abc", {"output_limit": 7}, "-a-b-c-"),
    ("return items.replace('a', 'xxxx', 0)", "aaaa", {"output_limit": 8}, "aaaa"),
    ("return items.replace('a', 'bb')", "aaaa", {"output_limit": 8}, "bbbbbbbb"),
    ("return items.replace('a', '')", "aaaa", {"output_limit": 7}, ""),
    ("return items.replace('a', 'xxx')", "aaaa", {"output_limit": 8}, _text(12, 8)),
    ("return items.replace('a', 1)", "abc", {},
     ("TypeError", "replace() argument 2 must be str, not int")),
])
def test_text_methods_answer_and_refuse_exactly(run_script, body, value, limits, expected):
    assert outcome(run_script, body, args=(value,), **limits) == expected


@pytest.mark.parametrize("body, text", [
    ("items.split()", "a " * 2000),
    ("items.split(' ', 5000)", "a " * 2000),
    ("items.splitlines()", "a\n" * 2000),
    ("items.partition(' ')", "a" * 60000 + " b"),
])
def test_the_pieces_a_method_makes_are_charged(run_script, body, text):
    # Each piece is a new text: its header and characters count, not only the list's slot.
    assert outcome(run_script, f"return len({body})", args=(text,), max_allocation=50000) \
        == stopped("built more than 50000 bytes of values")
    assert outcome(run_script, f"return len({body})", args=(text,)) in (2000, 2001, 3)
