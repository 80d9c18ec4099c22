"""Iterating in restricted code: what may be iterated, and how often the budget is checked.

A `for` loop, a comprehension, an unpacking and every builtin that consumes
an iterable (`list`, `sorted`, `sum`, `''.join`, ...) goes through
`guarded_iter`. Iterating a container of the site lists the names of its
items, so it needs `Access contents information` there, as walking through
it by URL does. Anything else must be one of a few plain kinds of values,
or a view made for code that offers `__code_iter__`; iterators of unknown
objects are refused.
"""

import types

from BTrees.OOBTree import OOBTree

from objweb.sandbox.budget import ITEM_COST, cost_of
from objweb.sandbox.failures import NotIterableError
from objweb.sandbox.run import current_run
from objweb.security.protections import ACCESS

# The lazy sequence a folder's keys(), values() and items() answer.
BTREE_ITEMS = type(OOBTree().keys())

# Sized values whose iteration reveals nothing and stays bounded by their size.
SIZED_KINDS = frozenset({
    str, bytes, list, tuple, dict, set, frozenset, range, BTREE_ITEMS,
    type({}.keys()), type({}.values()), type({}.items())})
# Lazy iterators; restricted code gets them only from guarded builtins,
# which check what they iterate over.
LAZY_KINDS = frozenset({types.GeneratorType, map, filter, zip, enumerate,
                        type(reversed([])), type(reversed(()))})


def is_content(obj) -> bool:
    """Whether `obj` is an object of the site (its type declares what code may read)."""
    return hasattr(type(obj), "code_access")


def is_container(obj) -> bool:
    """Whether `obj` is a container of the site."""
    return is_content(obj) and getattr(obj, "is_container", False)


def is_sized(obj) -> bool:
    """Whether `obj` is a plain value whose iteration is bounded by its size."""
    return type(obj) in SIZED_KINDS or isinstance(obj, (str, bytes))


def _ticking(iterator, budget):
    for item in iterator:
        budget.tick()
        yield item


def checked_iterator(obj):
    """Return a plain iterator over `obj` once restricted code may iterate it.

    A container of the site yields the names of its items and needs
    `Access contents information` there. Raises `NotIterableError` for
    anything else that is not a plain value or a lazy iterator over one.
    """
    run = current_run()
    run.budget.tick()
    if is_content(obj):
        if not is_container(obj):
            raise NotIterableError(f"a {obj.type_name} cannot be iterated")
        run.policy.check(ACCESS, obj)
        return iter(obj.keys())
    if is_sized(obj):
        return iter(obj)
    if type(obj) in LAZY_KINDS:
        return obj
    if hasattr(type(obj), "__code_iter__"):
        # A view made for code (search results) that says how code walks it.
        return obj.__code_iter__()
    raise NotIterableError(f"{type(obj).__name__} objects cannot be iterated by code")


def guarded_iter(obj):
    """Return an iterator over `obj` that checks the time budget at every item (`_getiter_`)."""
    iterator = checked_iterator(obj)
    return _ticking(iterator, current_run().budget)


# The pairs a dict's items() make afresh, one tuple each.
_DICT_ITEMS = type({}.items())


def collect(obj, what: str = "a collection") -> list:
    """Return the items of `obj` in a new list, within the item limit.

    Plain sized values are measured and copied at once; anything lazy is
    drawn one item at a time, so that an endless generator meets the item
    limit (or the time budget) instead of filling memory. The tuples made
    on the way (pairs of `dict.items()`, `zip`, `enumerate`) are charged too.
    """
    budget = current_run().budget
    iterator = checked_iterator(obj)
    if is_sized(obj):
        budget.check_items(len(obj), what)
        items = list(iterator)
        if type(obj) is _DICT_ITEMS:
            budget.charge(len(items) * cost_of((None, None)))
    else:
        items = []
        limit = budget.limits.max_items
        for item in iterator:
            budget.tick()
            items.append(item)
            if type(item) is tuple:
                budget.charge(cost_of(item))
            if len(items) > limit:
                budget.check_items(len(items), what)
    budget.check_items(len(items), what)
    budget.charge(len(items) * ITEM_COST)
    return items
