"""Comparisons, `in` and `len` in restricted code.

The compiler sends every comparison but a plain `is` here: `a < b` becomes
`_compare_('<', a, b)`, and a chain `a < b <= c` becomes `_compare_chain_`
with the later operands as thunks, so that they are still evaluated only
when needed. `in` and `len` on a container of the site tell what it holds,
so they need `Access contents information` there, as listing it does.

Comparing two large values, and looking for a value in a list, are done in
C: their work is estimated first and refused past the limits
(`objweb.sandbox.work`). `in` on a lazy iterator draws it one item
at a time, each item compared through the guard.
"""

import operator

from objweb.sandbox.iteration import LAZY_KINDS, is_container, is_content
from objweb.sandbox.run import current_run
from objweb.sandbox.work import check_compare, check_contains
from objweb.security.protections import ACCESS

_COMPARISONS = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge, "is": operator.is_, "is not": operator.is_not,
}


# Kinds whose comparisons, with anything, cost a step or one pass over a text.
_CHEAP = frozenset({int, float, bool, complex, type(None), str, bytes})
_IDENTITY = frozenset({"is", "is not"})
# Searching a text shorter than this is a step, whatever the limits.
_SHORT_TEXT = 100_000
_TEXTS = (str, bytes)


def _check_listing(obj) -> None:
    if is_container(obj):
        current_run().policy.check(ACCESS, obj)


def _drawn_contains(iterator, item) -> bool:
    for element in iterator:
        if element is item or guarded_compare("==", element, item):
            return True
    return False


def guarded_contains(container, item) -> bool:
    """Return `item in container` (`in` in code).

    A container of the site answers with `Access contents information`
    there; raises `Unauthorized` or `Forbidden` otherwise, whether it holds
    `item` or not.
    """
    if is_content(container):
        _check_listing(container)
        return item in container
    if type(container) in LAZY_KINDS:
        return _drawn_contains(container, item)
    if type(item) not in _CHEAP or type(container) not in _CHEAP \
            or type(container) in _TEXTS and len(container) > _SHORT_TEXT:
        check_contains(current_run().budget, container, item)
    return item in container


def guarded_compare(op: str, left, right):
    """Return `left op right` for one comparison operator (`_compare_`)."""
    if op == "in":
        return guarded_contains(right, left)
    if op == "not in":
        return not guarded_contains(right, left)
    if op not in _IDENTITY and type(left) not in _CHEAP and type(right) not in _CHEAP:
        check_compare(current_run().budget, left, right)
    return _COMPARISONS[op](left, right)


def guarded_compare_chain(left, ops: tuple, *operands):
    """Return the value of a chained comparison (`_compare_chain_`).

    `operands` are thunks giving each operand after the first, called only
    while the chain holds, as Python evaluates them.
    """
    result = True
    for op, operand in zip(ops, operands):
        right = operand()
        result = guarded_compare(op, left, right)
        if not result:
            return result
        left = right
    return result


def guarded_len(obj) -> int:
    """Return `len(obj)`; a container of the site needs `Access contents information`."""
    _check_listing(obj)
    return len(obj)
