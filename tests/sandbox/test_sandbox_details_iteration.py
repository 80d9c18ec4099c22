"""Collecting the items of an iterable in restricted code in detail: what it says, what it charges.

Every builtin that consumes an iterable draws it through `collect`, within
the item limit, and charges the run's allowance for the list it builds and
the pairs made on the way. The refusals are pinned word for word; the
charges are read off the run's budget.
"""

import pytest

from objweb.sandbox import Limits
from objweb.sandbox.budget import ITEM_COST, cost_of
from objweb.sandbox.iteration import collect
from objweb.sandbox.sorting import guarded_sorted

ENDLESS = "def endless():\n    while True:\n        yield 1\n"
PAIR = cost_of((None, None))


@pytest.mark.parametrize("body, message", [
    ("return list('a' * 200)", "tried to build a list of 200 items (at most 100)"),
    ("return sorted('a' * 200)", "tried to build a sorted list of 200 items (at most 100)"),
    ("return sorted(x for x in 'a' * 200)",
     "tried to build a sorted list of 101 items (at most 100)"),
    # Collected for no one use in particular: a collection.
    (ENDLESS + "from math import fsum\nreturn fsum(endless())",
     "tried to build a collection of 101 items (at most 100)"),
])
def test_collecting_past_the_item_limit_says_what_was_built(told, body, message):
    assert told(body, limits=Limits(max_items=100)) == f"BudgetExceeded: {message}"


@pytest.mark.parametrize("body, message", [
    ("for x in 5:\n    pass", "NotIterableError: int objects cannot be iterated by code"),
    ("return list(len)", "NotIterableError: function objects cannot be iterated by code"),
])
def test_what_cannot_be_iterated_is_named(told, body, message):
    assert told(body) == message


def charge_of(within, build):
    """Return how much `build()` charged the allowance of a run."""
    def measure(run):
        before = run.budget.allocated
        build()
        return run.budget.allocated - before
    return within(measure)


@pytest.mark.parametrize("source, charge", [
    (lambda: list(range(10)), 10 * ITEM_COST),
    # The pairs of a dict's items() and of a zip are made afresh, and charged.
    (lambda: {i: i for i in range(10)}.items(), 10 * (ITEM_COST + PAIR)),
    (lambda: zip(range(10), range(10)), 10 * (ITEM_COST + PAIR)),
    (lambda: (i for i in range(10)), 10 * ITEM_COST),
])
def test_collecting_charges_the_list_and_the_pairs_it_makes(within, source, charge):
    assert charge_of(within, lambda: collect(source())) == charge


def test_a_sorted_list_is_charged_as_collected_and_as_built(within):
    items = list(range(10))
    assert charge_of(within, lambda: guarded_sorted(items)) == 10 * ITEM_COST + cost_of(items)
