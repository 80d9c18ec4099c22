"""The builtins of restricted code in detail: defaults, the exact refusals, the exact limits.

What a manager reads when code is refused is the message: each case pins
one, word for word, and the limit it names.
"""

import pytest

from objweb.sandbox import Limits
from sandbox_support import built_past_limit, outcome

ENDLESS = "def endless():\n    while True:\n        yield 1\n"


@pytest.mark.parametrize("body, expected", [
    ("return bytes()", b""),
    ("return isinstance('x', str) and isinstance(1, int) and not isinstance(1, str)", True),
    ("return repr(list) + repr(dict)", "<class 'list'><class 'dict'>"),
    ("return list(zip('ab', [1]))", [("a", 1)]),
    ("return list(enumerate('ab'))", [(0, "a"), (1, "b")]),
    ("return list(filter(lambda x: x > 1, [1, 2, 3]))", [2, 3]),
    ("return min([3, 1, 2]), min(3, 1, 2), max([3, 1, 2]), max(3, 1, 2)", (1, 1, 3, 3)),
    ("return max([], default=0), min((x for x in []), default='none')", (0, "none")),
    ("return max(['a', 'bb', 'c'], key=len), min(['bb', 'a', 'c'], key=len)", ("bb", "a")),
    ("return round(7), round(7, 0), round(1234, -2)", (7, 7, 1200)),
    ("print('a', 'b')\nprint('c', end='')\nreturn printed", "a b\nc"),
    ("return set('ab') == {'a', 'b'} and frozenset([1]) == {1}", True),
    ("return list([(1, 2)]), tuple('ab')", ([(1, 2)], ("a", "b"))),
])
def test_builtins_give(run_script, body, expected):
    assert run_script(body) == expected


@pytest.mark.parametrize("body, limits, message", [
    ("return reversed({1: 2})", None,
     "TypeError: reversed() takes a list, a tuple, a text or a range"),
    ("return sum(['a'], '')", None, "TypeError: sum() adds numbers; join texts with ''.join()"),
    ("return iter([], None)", None, "TypeError: iter() with a sentinel is not available in code"),
    ("return max(1, 2, default=0)", None,
     "TypeError: max() takes a default with one iterable only"),
    ("return min(1, 2, default=0)", None,
     "TypeError: min() takes a default with one iterable only"),
    ("print(1, file=1)", None, "TypeError: print() in code writes only to printed"),
    ("print(1, sep=1)", None, "TypeError: sep and end are texts"),
    ("print(1, end=b'')", None, "TypeError: sep and end are texts"),
    ("return list(zip('ab', [1], strict=True))", None,
     "ValueError: zip() argument 2 is shorter than argument 1"),
    # A base that is not a number is Python's error to give, and costs nothing.
    ("return int('1', 'x')", Limits(max_int_bits=0),
     "TypeError: 'str' object cannot be interpreted as an integer"),
    # A decimal text is counted as hexadecimal: four bits a digit.
    ("return int('9' * 4000)", Limits(max_int_bits=1000),
     "BudgetExceeded: tried to build an integer of about 16000 bits (at most 1000)"),
    ("return int('1' * 300, 2)", Limits(max_int_bits=100),
     "BudgetExceeded: tried to build an integer of about 300 bits (at most 100)"),
    ("return int('0x' + 'f' * 298, 0)", Limits(max_int_bits=100),
     "BudgetExceeded: tried to build an integer of about 1200 bits (at most 100)"),
    ("return round(5, -300)", Limits(max_int_bits=1000),
     "BudgetExceeded: tried to build an integer of about 1200 bits (at most 1000)"),
    ("return bytes(10**8)", Limits(output_limit=10**6),
     "BudgetExceeded: tried to build a bytes value of 100000000 characters (at most 1000000)"),
    (ENDLESS + "return bytes(endless())", Limits(max_items=100),
     "BudgetExceeded: tried to build a bytes value of 101 items (at most 100)"),
    ("return list(x for x in 'a' * 200)", Limits(max_items=100),
     "BudgetExceeded: tried to build a list of 101 items (at most 100)"),
    (ENDLESS + "return dict((1, 2) for x in endless())", Limits(max_items=100),
     "BudgetExceeded: tried to build a dict of 101 items (at most 100)"),
    ("return dict({i: i for i in range(60)}, **{str(i): i for i in range(60)})",
     Limits(max_items=100), "BudgetExceeded: tried to build a dict of 120 items (at most 100)"),
    (ENDLESS + "return [*endless()]", Limits(max_items=100),
     "BudgetExceeded: tried to build the items of a * unpacking of 101 items (at most 100)"),
    ("return range(200)", Limits(max_items=100),
     "BudgetExceeded: tried to build a range of 200 items (at most 100)"),
    ("return dict((i, i) for i in range(10))", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to fill a dict with 10 items, about 2,000 units of work at once "
     "(at most 1,000; a unit is about a nanosecond)"),
    ("return hash(tuple(range(1000)))", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to hash a value, about 1,010 units of work at once "
     "(at most 1,000; a unit is about a nanosecond)"),
    ("return set(range(10))", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to fill a set with 10 items, about 2,000 units of work at once "
     "(at most 1,000; a unit is about a nanosecond)"),
    ("return frozenset(range(10))", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to fill a frozenset with 10 items, about 2,000 units of work at "
     "once (at most 1,000; a unit is about a nanosecond)"),
    ("return {*range(10)}", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to fill a set with 10 items, about 2,000 units of work at once "
     "(at most 1,000; a unit is about a nanosecond)"),
    ("return min(range(200))", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to compare values (200 items), about 2,000 units of work at once "
     "(at most 1,000; a unit is about a nanosecond)"),
    ("return max(range(200), key=abs)", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to compare values (200 items), about 2,000 units of work at once "
     "(at most 1,000; a unit is about a nanosecond)"),
])
def test_builtins_refuse_saying(told, body, limits, message):
    assert told(body, limits=limits) == message


def test_a_list_is_not_hashed_as_it_is_built(run_script):
    assert run_script("return list(range(10))", limits=Limits(max_operation_cost=1000)) \
        == list(range(10))


@pytest.mark.parametrize("pick", ["min", "max"])
def test_min_and_max_name_the_items_they_gather(run_script, pick):
    assert outcome(run_script, f"return {pick}(x for x in items)", args=(list(range(50)),),
                   max_items=10) == built_past_limit(f"the items of {pick}() of 11 items (at most 10)")
