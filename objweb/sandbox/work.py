"""The checks that refuse work done in C before it starts.

Each takes the run's budget and the operands of one operation, estimates
its work with `objweb.sandbox.costs`, and stops the run (a
`BudgetExceeded` of kind `work`, or `size` for nesting) when it is over
the limits. They return normally, and fast, for the small values code
handles nearly always.
"""

from operator import itemgetter

from objweb.sandbox import costs

# Values whose comparison with anything costs a step or a pass over one text.
_SCALARS = frozenset({int, float, bool, complex, type(None), str, bytes})


def check_key(budget, key, what: str = "a key"):
    """Return `key` once hashing it is known to be bearable (tuples nest and cost)."""
    if type(key) is tuple:
        depth, size = costs.nesting_and_size(key, budget.limits.max_operation_cost,
                                             budget.limits.max_nesting, budget.tick)
        budget.check_nesting(depth, f"to hash {what}")
        budget.check_cost(size, f"to hash {what}")
    return key


def check_keys(budget, items: list, what: str) -> list:
    """Return `items` once putting them all into `what` (a dict, a set) is known to be bearable."""
    if tuple in frozenset(map(type, items)):
        for item in items:
            if type(item) is tuple:
                check_key(budget, item, f"an item of {what}")
    budget.check_cost(costs.hashing_cost(items, budget.limits.max_operation_cost, budget.tick),
                      f"to fill {what} with {len(items)} items")
    return items


def check_pairs(budget, pairs: list, what: str) -> list:
    """Return (key, value) `pairs` once putting them into a dict is known to be bearable.

    Raises `TypeError` for anything that is not a pair with a key.
    """
    try:
        keys = list(map(itemgetter(0), pairs))
    except (TypeError, LookupError):
        raise TypeError("a dict is made from (key, value) pairs") from None
    check_keys(budget, keys, what)
    return pairs


def check_exception_types(budget, types):
    """Return what an `except` clause matches once its tuples are known to nest shallowly."""
    return check_key(budget, types, "an except clause's tuple")


def check_compare(budget, left, right) -> None:
    """Stop the run if comparing `left` with `right` would take too long."""
    if type(left) in _SCALARS or type(right) in _SCALARS:
        return
    cap = budget.limits.max_operation_cost
    if costs.walk_size(left, cap, budget.tick) <= cap:
        return
    budget.check_cost(costs.walk_size(right, cap, budget.tick), "to compare two values")


def check_contains(budget, container, item) -> None:
    """Stop the run if `item in container` would take too long (a plain container)."""
    if type(container) in costs.HASHED_KINDS:
        check_key(budget, item, "the value looked for")
    cost = costs.contains_cost(container, item, budget.limits.max_operation_cost, budget.tick)
    budget.check_cost(cost, f"to look for a value in a {type(container).__name__}")


def check_sort(budget, items: list, what: str = "to sort a list") -> list:
    """Return `items` once sorting them is known to be bearable."""
    budget.check_cost(costs.sort_cost(items, budget.limits.max_operation_cost, budget.tick),
                      f"{what} of {len(items)} items")
    return items


def check_scan(budget, items: list, what: str) -> list:
    """Return `items` once comparing each of them with one value is known to be bearable."""
    cap = budget.limits.max_operation_cost
    per_item = costs.ITEM + costs.largest_item(items, cap // max(len(items), 1) + 1, budget.tick)
    budget.check_cost(len(items) * per_item, f"{what} ({len(items)} items)")
    return items


def check_text(budget, value, what: str) -> int:
    """Return about how long the text of `value` is, once writing it is known to be bearable."""
    chars, cost = costs.text_measure(value, budget.limits.output_limit,
                                     budget.limits.max_operation_cost, budget.tick)
    budget.check_text(chars, what)
    budget.check_cost(cost, f"to write {what}")
    return chars
