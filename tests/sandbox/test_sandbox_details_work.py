"""The work checks of restricted code in detail: comparisons, `in`, min/max, sorting, hashing.

Each case runs a Script under a small `max_operation_cost` and pins either
what it gives, when the work is bearable, or the exact words of the limit
it meets. Values of more than 4,096 nested parts make the measuring walk
check the time budget on the way.
"""

import pytest

from objweb.sandbox import Limits
from objweb.sandbox.sorting import keys_of

# A list of 5,000 one-item lists: measuring it walks 5,000 parts.
NESTED = "nested = [[i] for i in range(5000)]\n"
# A list holding one one-item list 100 times: each part is 20 units to compare.
SHARED = "part = [0]\nshared = [part for i in range(100)]\n"
UNIT = "(at most {:,}; a unit is about a nanosecond)"


@pytest.mark.parametrize("body, cost, expected", [
    # Found by equality, not identity, in a generator.
    ("return [1] in (x for x in [[0], [1]]), [2] in (x for x in [[1]])", None, (True, False)),
    ("return 2.0 in (x for x in [1, 2])", None, True),
    # Searching a short text is a step, whatever the limits.
    ("return 'x' in 'a' * 500", 1000, False),
    ("return 'x' in 'a' * 100000", 200_000, False),
    # Identity needs no comparing.
    ("return list(range(200)) is not list(range(200))", 1000, True),
    ("x, y = list(range(200)), list(range(200))\nreturn x is not y != 1", 1000, True),
    # The left side within the limit (99 floats, 1,000 units): the right side is not measured.
    ("return [i / 2 for i in range(99)] == list(range(200))", 1000, False),
    ("x = ['bb', 'a', 'ccc', 'd']\nx.sort(key=len)\nreturn x", None, ["a", "d", "bb", "ccc"]),
    ("x = ['b', 'a', 'c']\nx.sort()\nreturn x, sorted(x), sorted(['bb', 'a'], key=len)", None,
     (["a", "b", "c"], ["a", "b", "c"], ["a", "bb"])),
    ("x = ['bb', 'a', 'ccc', 'd']\nx.sort(key=len, reverse=True)\nreturn x", None,
     ["ccc", "bb", "a", "d"]),
    # Large values are measured with the time budget checked on the way.
    ("pairs = tuple((i,) for i in range(5000))\nreturn len(set([pairs]))", None, 1),
    (NESTED + "return nested in [1, 2]", None, False),
    (NESTED + "return min([nested, [[-1]]])", None, [[-1]]),
    (NESTED + "return sorted([nested, [[-1]]])[0]", None, [[-1]]),
    (NESTED + "return list(range(30000)) == nested", 10**6, False),
])
def test_work_within_the_limits_is_done(run_script, body, cost, expected):
    limits = Limits() if cost is None else Limits(max_operation_cost=cost)
    assert run_script(body, limits=limits) == expected


@pytest.mark.parametrize("body, limits, expected", [
    # Exactly at a limit is within it: 100 items of 20 units, a tuple nested 2 deep.
    ("return 5 in list(range(100))", Limits(max_operation_cost=2000), True),
    ("return hash(((1,),)) == hash(((1,),))", Limits(max_nesting=2), True),
])
def test_work_exactly_at_a_limit_is_done(run_script, body, limits, expected):
    assert run_script(body, limits=limits) == expected


@pytest.mark.parametrize("body, limits, message", [
    ("return list(range(200)) in (x for x in [list(range(200))])", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to compare two values, about 2,015 units of work at once "
     + UNIT.format(1000)),
    ("return list(range(200)) == list(range(300))", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to compare two values, about 3,018 units of work at once "
     + UNIT.format(1000)),
    ("return (1,) in 'a' * 500", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to look for a value in a str, about 2,000 units of work at once "
     + UNIT.format(1000)),
    ("return 'x' in 'a' * 100001", Limits(max_operation_cost=200_000),
     "BudgetExceeded: tried to look for a value in a str, about 400,004 units of work at once "
     + UNIT.format(200_000)),
    ("return 5 in list(range(200))", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to look for a value in a list, about 4,000 units of work at once "
     + UNIT.format(1000)),
    ("key = ((((1,),),),)\nreturn {key: 1}", Limits(max_nesting=2),
     "BudgetExceeded: tried to hash a key nested more than 2 levels deep"),
    # A tuple met again, deeper than the first time, counts at its depth there.
    ("shared = ((1,),)\nreturn {(shared, ((shared,),)): 1}", Limits(max_nesting=4),
     "BudgetExceeded: tried to hash a key nested more than 4 levels deep"),
    ("return ((((1,),),),) in {}", Limits(max_nesting=2),
     "BudgetExceeded: tried to hash the value looked for nested more than 2 levels deep"),
    ("try:\n    1 / 0\nexcept ((((ZeroDivisionError,),),),):\n    return 1", Limits(max_nesting=2),
     "BudgetExceeded: tried to hash an except clause's tuple nested more than 2 levels deep"),
    ("return dict([1, 2])", None, "TypeError: a dict is made from (key, value) pairs"),
    ("return hash(tuple(range(1000)))", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to hash a value, about 1,010 units of work at once "
     + UNIT.format(1000)),
    ("return sorted(range(200))", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to sort a list of 200 items, about 32,000 units of work at once "
     + UNIT.format(1000)),
    ("return dict((i, i) for i in range(10))", Limits(max_operation_cost=1000),
     "BudgetExceeded: tried to fill a dict with 10 items, about 2,000 units of work at once "
     + UNIT.format(1000)),
    # The largest item of a min() is measured up to the share of the limit one item may take.
    (SHARED + "return min([shared])", Limits(max_operation_cost=1010),
     "BudgetExceeded: tried to compare values (1 items), about 1,040 units of work at once "
     + UNIT.format(1010)),
    (SHARED + "return min([shared])", Limits(max_operation_cost=1008),
     "BudgetExceeded: tried to compare values (1 items), about 1,020 units of work at once "
     + UNIT.format(1008)),
    # The right side measured for long enough that the clock is read on the way.
    ("x = [[i] for i in range(20000)]\ny = [[i] for i in range(20000)]\nreturn x == y",
     Limits(max_operation_cost=100_000),
     "BudgetExceeded: tried to compare two values, about 100,010 units of work at once "
     + UNIT.format(100_000)),
    ("return str([1.5] * 1000)", Limits(max_operation_cost=5000),
     "BudgetExceeded: tried to write a text, about 460,050 units of work at once " + UNIT.format(5000)),
    ("from json import dumps\nreturn dumps(['x' * 50] * 100)", Limits(output_limit=1000),
     "BudgetExceeded: tried to build a JSON text of 5502 characters (at most 1000)"),
])
def test_work_past_the_limits_is_refused_saying(told, body, limits, message):
    assert told(body, limits=limits) == message


class CountingBudget:
    """A budget that counts how often the time is checked."""

    def __init__(self):
        self.ticks = 0

    def tick(self):
        self.ticks += 1


@pytest.mark.parametrize("count, ticks", [(1, 1), (256, 1), (257, 2), (1000, 4)])
def test_sort_keys_check_the_time_every_256_keys(count, ticks):
    budget = CountingBudget()
    assert keys_of(list(range(count)), abs, budget) == list(range(count))
    assert budget.ticks == ticks
