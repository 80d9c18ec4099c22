"""Sorting in restricted code: `sorted()`, `list.sort()`, `min()` and `max()`, their work known first.

A sort runs in C and holds the interpreter's lock: a million texts sharing
long beginnings take minutes. The items (or, with `key=`, their keys,
computed first, one call at a time) are measured and the sort refused past
the limits; with a key, the positions are sorted by their keys, which keeps
Python's order for equal keys, `reverse=True` included.
"""

from objweb.sandbox.budget import cost_of
from objweb.sandbox.iteration import collect
from objweb.sandbox.run import current_run
from objweb.sandbox.work import check_scan, check_sort

_KEYS_PER_TICK = 256


def keys_of(items: list, key, budget) -> list:
    """Return `key(item)` for each of `items`, ticking as it goes."""
    keys = []
    for index, item in enumerate(items):
        if index % _KEYS_PER_TICK == 0:
            budget.tick()
        keys.append(key(item))
    return keys


def sorted_items(items: list, key=None, reverse=False) -> list:
    """Return `items` sorted, once sorting them is known to be bearable."""
    budget = current_run().budget
    if key is None:
        return sorted(check_sort(budget, items), reverse=reverse)
    keys = check_sort(budget, keys_of(items, key, budget))
    order = sorted(range(len(keys)), key=keys.__getitem__, reverse=reverse)
    return list(map(items.__getitem__, order))


def extreme_of(pick, items: list, key, what: str, **default):
    """Return `pick(items)` (`min` or `max`), once comparing the items (or keys) is bearable."""
    budget = current_run().budget
    if key is None:
        return pick(check_scan(budget, items, what), **default)
    if not items:
        return pick(items, **default)
    keys = check_scan(budget, keys_of(items, key, budget), what)
    return items[pick(range(len(keys)), key=keys.__getitem__)]


def guarded_sorted(iterable, *, key=None, reverse=False) -> list:
    """Return a new sorted list of the items of `iterable` (`sorted` in code)."""
    result = sorted_items(collect(iterable, "a sorted list"), key, reverse)
    current_run().budget.charge(cost_of(result))
    return result


def sort_in_place(items: list):
    """Return `list.sort` for `items` as code may call it."""
    def sort(*, key=None, reverse=False) -> None:
        items[:] = sorted_items(items, key, reverse)
    return sort
