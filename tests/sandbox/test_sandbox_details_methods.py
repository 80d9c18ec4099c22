"""The methods of plain values code may call, at the edges of their checks, with exact refusals.

Each case runs a Script and compares what it answers, or the exact error a
manager would read, with what is expected: text methods that estimate the
text they make or the work they do, `list.extend`, `int.to_bytes`, and the
date methods that bound their formats.
"""

import copy

import pytest

from sandbox_support import outcome, stopped, worked_past_limit

SIX = list(range(6))
TWENTY = list(range(20))


@pytest.mark.parametrize("body, args, limits, expected", [
    # strip with given characters: each character of the text against each one given.
    ("return items.strip('abcdefg')", "x" * 1000, {"max_operation_cost": 1000},
     worked_past_limit("to strip 7 characters from a text", "1,070", "1,000")),
    ("return '\\t'.expandtabs()", (), {}, " " * 8),
    ("return ('\\t' * 10).expandtabs(8)", (), {"output_limit": 50},
     stopped("tried to build a text of 90 characters (at most 50)")),
    ("return (b'\\t' * 10).expandtabs(8)", (), {"output_limit": 50},
     stopped("tried to build a text of 90 characters (at most 50)")),
    ("return len(('\\t' * 30).expandtabs(0))", (), {"output_limit": 50}, 0),
    ("return items.translate({97: 'b'})", "a" * 100, {"max_operation_cost": 1000},
     worked_past_limit("to translate a text of 100 characters", "2,500", "1,000")),
    # translate counts each character as long as the longest text the table gives, at least 1.
    ("return ('a' * 30).translate({97: None})", (), {"output_limit": 50}, ""),
    ("return len(('a' * 30).translate({97: 'b'}))", (), {"output_limit": 50}, 30),
    ("return ('a' * 20 + 'b' * 20).translate({97: 'xyz'})", (), {"output_limit": 50},
     stopped("tried to build a text of 120 characters (at most 50)")),
])
def test_text_methods_answer_and_refuse_exactly(run_script, body, args, limits, expected):
    args = (args,) if args else ()
    assert outcome(run_script, body, args=args, **limits) == expected


@pytest.mark.parametrize("body, limits, expected", [
    ("return [(5).to_bytes(), (200).to_bytes()]", {}, [b"\x05", b"\xc8"]),
    ("return (-1).to_bytes(1, 'big', signed=True)", {}, b"\xff"),
    ("return (1).to_bytes(2, 'little')", {}, b"\x01\x00"),
    # What to_bytes makes is charged to the run's allowance.
    ("return len((0).to_bytes(100000))", {"max_allocation": 100000},
     stopped("built more than 100000 bytes of values")),
])
def test_int_to_bytes(run_script, body, limits, expected):
    assert outcome(run_script, body, **limits) == expected


@pytest.mark.parametrize("args, limits, expected", [
    (TWENTY, {"max_items": 10}, stopped("tried to build a list of 20 items (at most 10)")),
    (SIX, {"max_items": 10}, stopped("tried to build a list of 12 items (at most 10)")),
    # The items drawn, and the list they make, are both charged.
    (list(range(10000)), {"max_allocation": 120000},
     stopped("built more than 120000 bytes of values")),
])
def test_list_extend_refuses_exactly(run_script, args, limits, expected):
    body = "values = [1] * 6\nvalues.extend(items)\nreturn len(values)"
    assert outcome(run_script, body, args=(args,), **limits) == expected


@pytest.mark.parametrize("body, expected", [
    ("len(datetime.date(2020, 1, 1).strftime('x' * 10000))", 10000),
    ("datetime.date(2020, 1, 1).strftime('x' * 10001)",
     ("ValueError", "a date format is at most 10000 characters")),
    ("datetime.datetime.strptime('x' * 10000, 'x' * 10000).year", 1900),
    ("datetime.datetime.strptime('x' * 10001, 'x')",
     ("ValueError", "a date and its format are at most 10000 characters")),
])
def test_date_formats_are_bounded_at_ten_thousand_characters(run_script, body, expected):
    assert outcome(run_script, "import datetime\nreturn " + body) == expected


PAIRS = [(number, number) for number in range(20)]


@pytest.mark.parametrize("body, args, limits, expected", [
    # dict and set methods that draw an iterable name what they build, and check its keys.
    ("{}.fromkeys(items)", list(range(20)), {"max_items": 10},
     stopped("tried to build a dict of 20 items (at most 10)")),
    ("{}.fromkeys(items)", list(range(10)), {"max_operation_cost": 1000},
     worked_past_limit("to fill a dict with 10 items", "2,000", "1,000")),
    ("set().union(items)", list(range(10)), {"max_operation_cost": 1000},
     worked_past_limit("to fill a set with 10 items", "2,000", "1,000")),
    ("items.union([])", set(range(10)), {"max_operation_cost": 1000},
     worked_past_limit("to use union() of a set", "2,000", "1,000")),
    ("{}.update(items)", PAIRS, {"max_items": 10},
     stopped("tried to build a dict of 20 items (at most 10)")),
    ("{}.update(items)", PAIRS[:10], {"max_operation_cost": 1000},
     worked_past_limit("to fill a dict with 10 items", "2,000", "1,000")),
    # update counts the dict's entries, the other's and the keywords'.
    ("items.update({'x': 1, 'y': 2, 'z': 3}, a=1, b=2)", dict(PAIRS[:6]), {"max_items": 10},
     stopped("tried to build a dict of 11 items (at most 10)")),
    ("items.update({'x': 1, 'y': 2, 'z': 3}, a=1, b=2)", dict(PAIRS[:5]), {"max_items": 10},
     None),
    ("{}.update({'x': 1, 'y': 2, 'z': 3}, a=1, b=2)", (), {"max_operation_cost": 900},
     worked_past_limit("to update a dict", "1,000", "900")),
    ("{}.update(items, **items)", {f"k{number}": number for number in range(400)},
     {"max_allocation": 50000}, stopped("built more than 50000 bytes of values")),
    ("b'\\xff'.decode(errors='replace')", (), {}, "\ufffd"),
    ("[1, 2, 1].index(1, 1)", (), {}, 2),
])
def test_collection_methods_answer_and_refuse_exactly(run_script, body, args, limits, expected):
    # A copy: the code changes what it is given, and a case may run twice in one process.
    args = (copy.deepcopy(args),) if len(args) else ()
    assert outcome(run_script, "return " + body, args=args, **limits) == expected


@pytest.mark.parametrize("body", [
    "values = set()\nfor number in range(1000):\n    values.add(number)",
    "values = {}\nfor number in range(1000):\n    values.setdefault(number, 0)",
])
def test_each_entry_add_and_setdefault_make_is_charged(run_script, body):
    # 64 a new entry: a thousand of them pass an allowance of 50,000.
    assert outcome(run_script, body + "\nreturn len(values)", max_allocation=50000) \
        == stopped("built more than 50000 bytes of values")
    assert outcome(run_script, body + "\nreturn len(values)", max_allocation=80000) == 1000


@pytest.mark.parametrize("size, expected", [
    (10, stopped("tried to build a list of 11 items (at most 10)")),
    (9, 10),
])
def test_append_counts_the_item_it_adds(run_script, size, expected):
    body = f"values = [1] * {size}\nvalues.append(1)\nreturn len(values)"
    assert outcome(run_script, body, max_items=10) == expected


def test_a_name_a_plain_value_does_not_offer_is_refused_by_its_type(run_script):
    assert outcome(run_script, "return (1).nosuch") \
        == ("NotPublishedError", "code may not use 'nosuch' of a int value")
