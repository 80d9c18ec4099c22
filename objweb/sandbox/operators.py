"""The operators that can build huge values in one step, guarded.

`'x' * 10**10`, `2 ** 10 ** 10`, `1 << 10**10` and `[0] * 10**10` would each
run for minutes in C, where the time budget cannot stop them. The compiler
sends `*`, `**`, `<<`, `%` and `+` (and their augmented forms) here; each
estimates the size of its result and refuses one past the limits before
Python starts building it. The other operators go through one guard that
refuses objects of the site and views as operands: `{}.keys() | folder` or
`d |= folder` would list a folder's names in C. Integers stay within the
bits arithmetic may build, whichever operator grows them; `pow` with a
modulus and the set operators have their work checked first.
"""

import math
import operator

from objweb.sandbox.bindings import CodeView
from objweb.sandbox.budget import cost_of
from objweb.sandbox.costs import HASH_INSERT, modular_pow_cost
from objweb.sandbox.formatting import percent_format
from objweb.sandbox.iteration import collect, is_content
from objweb.sandbox.run import current_budget
from objweb.sandbox.work import check_keys, check_pairs

_TEXTS = (str, bytes)
_SEQUENCES = (str, bytes, list, tuple)


def _is_int(value) -> bool:
    return isinstance(value, int)


def _check_sequence(budget, sequence, length: int) -> None:
    if isinstance(sequence, _TEXTS):
        budget.check_text(length)
    else:
        budget.check_items(length)


def _charged(budget, value):
    budget.charge(cost_of(value))
    return value


# Below this many bits an integer sum or difference is never checked.
_SMALL_INT_BITS = 64
_SMALL_INT = 1 << _SMALL_INT_BITS


def _check_growth(left: int, right: int) -> None:
    bits = max(left.bit_length(), right.bit_length())
    if bits > _SMALL_INT_BITS:
        current_budget().check_int_bits(bits + 1)


def guarded_mul(left, right):
    """Return `left * right`, refusing a repeated sequence or an integer too large (`_mul_`)."""
    budget = current_budget()
    budget.tick()
    if type(left) is int and type(right) is int:
        # Two plain integers, the commonest case: only their size to check.
        bits = left.bit_length() + right.bit_length()
        if bits > budget.limits.max_int_bits:
            budget.check_int_bits(bits)
        return left * right
    if isinstance(left, _SEQUENCES) and _is_int(right):
        _check_sequence(budget, left, len(left) * max(right, 0))
        return _charged(budget, left * right)
    if isinstance(right, _SEQUENCES) and _is_int(left):
        _check_sequence(budget, right, len(right) * max(left, 0))
        return _charged(budget, left * right)
    if _is_int(left) and _is_int(right):
        budget.check_int_bits(left.bit_length() + right.bit_length())
    return left * right


def guarded_pow(base, exponent, modulus=None):
    """Return `base ** exponent` (or `pow` with a modulus), refusing integers too large (`_pow_`)."""
    budget = current_budget()
    budget.tick()
    if _is_int(base) and _is_int(exponent):
        if modulus is not None:
            if _is_int(modulus):
                budget.check_int_bits(modulus.bit_length())
                budget.check_int_bits(exponent.bit_length())
                budget.check_cost(modular_pow_cost(base, exponent, modulus),
                                  "a power with a modulus")
            return pow(base, exponent, modulus)
        if exponent > 0 and abs(base) > 1:
            budget.check_int_bits(int(exponent * math.log2(abs(base))) + 1)
    if modulus is not None:
        return pow(base, exponent, modulus)
    return base ** exponent


def guarded_lshift(value, shift):
    """Return `value << shift`, refusing integers too large (`_lshift_`)."""
    budget = current_budget()
    budget.tick()
    if _is_int(value) and _is_int(shift) and value and shift > 0:
        budget.check_int_bits(value.bit_length() + shift)
    return value << shift


def guarded_add(left, right):
    """Return `left + right`, refusing a joined sequence past the limits (`_add_`)."""
    if type(left) is int and type(right) is int \
            and -_SMALL_INT < left < _SMALL_INT and -_SMALL_INT < right < _SMALL_INT:
        return left + right
    budget = current_budget()
    budget.tick()
    if isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
        _check_sequence(budget, left, len(left) + len(right))
        return _charged(budget, left + right)
    if type(left) is int and type(right) is int:
        _check_growth(left, right)
    return left + right


def guarded_mod(left, right):
    """Return `left % right`; formatting a text checks its fields first (`_mod_`)."""
    current_budget().tick()
    if isinstance(left, _TEXTS):
        return percent_format(left, right)
    return left % right


_OPERATIONS = {
    "-": operator.sub, "/": operator.truediv, "//": operator.floordiv,
    ">>": operator.rshift, "&": operator.and_, "|": operator.or_, "^": operator.xor,
    "@": operator.matmul,
    "-=": operator.isub, "/=": operator.itruediv, "//=": operator.ifloordiv,
    ">>=": operator.irshift, "&=": operator.iand, "|=": operator.ior,
    "^=": operator.ixor, "@=": operator.imatmul,
}
_NUMBERS = frozenset({int, float, bool})
# Views that take any iterable as the other operand of | & - ^, and hash its items in C.
_DICT_VIEWS = (type({}.keys()), type({}.items()))
_HASHED = (set, frozenset, dict) + _DICT_VIEWS


def _refuse_operand(value) -> None:
    if is_content(value) or isinstance(value, CodeView):
        raise TypeError(f"code cannot use a {getattr(value, 'type_name', type(value).__name__)} "
                        f"as an operand")


def _hashed_operands(budget, op: str, left, right) -> tuple:
    """Return the operands of a set operation, any plain iterable drawn and its items checked."""
    if op == "|=" and type(left) is dict and type(right) is not dict:
        right = check_pairs(budget, collect(right, "a dict"), "a dict")
    elif isinstance(left, _DICT_VIEWS) and not isinstance(right, _HASHED):
        right = check_keys(budget, collect(right, "an operand"), "a set")
    elif isinstance(right, _DICT_VIEWS) and not isinstance(left, _HASHED):
        left = check_keys(budget, collect(left, "an operand"), "a set")
    sizes = sum(len(operand) for operand in (left, right) if isinstance(operand, _HASHED))
    budget.check_cost(sizes * HASH_INSERT, "a set operation")
    return left, right


def guarded_binop(op: str, left, right):
    """Return `left op right` for `-`, `/`, `//`, `>>`, `&`, `|`, `^` and `@` (`_binop_`).

    Objects of the site and views handed to code are refused as operands
    (`TypeError`): set operators on dict views iterate their other operand in C.
    """
    if type(left) in _NUMBERS and type(right) in _NUMBERS:
        if op[0] == "-" and type(left) is int and type(right) is int:
            _check_growth(left, right)
        return _OPERATIONS[op](left, right)
    budget = current_budget()
    budget.tick()
    _refuse_operand(left)
    _refuse_operand(right)
    if isinstance(left, _HASHED) or isinstance(right, _HASHED):
        left, right = _hashed_operands(budget, op, left, right)
    return _OPERATIONS[op](left, right)


def _extend_in_place(target, addition):
    budget = current_budget()
    items = collect(addition, "a list")
    budget.check_items(len(target) + len(items), "a list")
    target += items
    return target


_GUARDED = {
    "+=": guarded_add,
    "*=": guarded_mul,
    "**=": guarded_pow,
    "<<=": guarded_lshift,
    "%=": guarded_mod,
}


def guarded_inplace(op: str, target, value):
    """Return the result of `target op value` for an augmented assignment (`_inplacevar_`).

    `list += iterable` extends the list in place, as Python does, drawing
    the iterable through the iteration guard.
    """
    current_budget().tick()
    if op == "+=" and type(target) is list:
        return _extend_in_place(target, value)
    if op == "*=" and type(target) is list and _is_int(value):
        result = guarded_mul(target, value)
        target[:] = result
        return target
    if op in _GUARDED:
        return _GUARDED[op](target, value)
    return guarded_binop(op, target, value)
