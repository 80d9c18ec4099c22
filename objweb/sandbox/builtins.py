"""The names restricted code starts with: its builtins and the guards the compiler calls.

The builtins are a short list. `type`, `vars`, `dir`, `globals`, `open`,
`eval`, `exec`, `compile`, `object`, `super`, `BaseException` and their
kin are simply absent. The builtins that consume an iterable draw it through
the iteration guard (RestrictedPython 9 removed the unguarded ones for that
reason); `list`, `dict`, `str` and the other types stay usable with
`isinstance` while their calls are guarded. Those that work in C on what
they are given (`hash`, `set`, `dict`, `sorted`, `min` and `max` of several
values, `int` of a text) have their work checked first.
"""

import math

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence

from objweb.sandbox.budget import cost_of
from objweb.sandbox.comparisons import (
    guarded_compare, guarded_compare_chain, guarded_len)
from objweb.sandbox.formatting import (
    format_value, guarded_ascii, guarded_format, guarded_repr, guarded_str)
from objweb.sandbox.functions import owned
from objweb.sandbox.guards import (
    guarded_getattr, guarded_getitem, guarded_hasattr, guarded_mapping, guarded_write)
from objweb.sandbox.iteration import collect, guarded_iter, is_sized
from objweb.sandbox.modules import guarded_import
from objweb.sandbox.operators import (
    guarded_add, guarded_binop, guarded_inplace, guarded_lshift, guarded_mod, guarded_mul,
    guarded_pow)
from objweb.sandbox.run import current_run
from objweb.sandbox.sorting import extreme_of, guarded_sorted
from objweb.sandbox.work import (
    check_exception_types, check_key, check_keys, check_pairs)


class GuardedType(type):
    """A builtin type as code sees it: `isinstance` works, calling it is guarded."""

    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, cls.wrapped)

    def __subclasscheck__(cls, subclass) -> bool:
        subclass = subclass.wrapped if isinstance(subclass, GuardedType) else subclass
        return isinstance(subclass, type) and issubclass(subclass, cls.wrapped)

    def __call__(cls, *args, **kwargs):
        return cls.construct(*args, **kwargs)

    def __repr__(cls) -> str:
        return repr(cls.wrapped)


def guarded_type(wrapped: type, construct) -> GuardedType:
    """Return the stand-in for `wrapped` whose calls go to `construct`."""
    return GuardedType(wrapped.__name__, (), {"wrapped": wrapped,
                                              "construct": staticmethod(construct)})


def _charged(value):
    current_run().budget.charge(cost_of(value))
    return value


def _collection(kind):
    hashed = kind in (set, frozenset)

    def construct(iterable=()):
        items = collect(iterable, f"a {kind.__name__}")
        if hashed:
            check_keys(current_run().budget, items, f"a {kind.__name__}")
        return _charged(kind(items))
    return construct


def _dict(source=(), **values):
    budget = current_run().budget
    if type(source) is not dict:
        source = check_pairs(budget, collect(source, "a dict"), "a dict")
    result = dict(source, **values)
    budget.check_items(len(result), "a dict")
    return _charged(result)


def _hash(value) -> int:
    return hash(check_key(current_run().budget, value, "a value"))


def _int(value=0, base=None):
    if isinstance(value, (str, bytes)):
        # Python refuses long decimal texts itself, but not hexadecimal or binary ones.
        radix = 16 if base in (None, 0) else base
        bits = len(value.strip()) * math.log2(max(radix, 2)) if isinstance(radix, int) else 0
        current_run().budget.check_int_bits(int(bits))
    return int(value) if base is None else int(value, base)


def _bytes(source=b"", *args):
    if isinstance(source, int) and not isinstance(source, bool):
        current_run().budget.check_text(source, "a bytes value")
    elif not isinstance(source, (str, bytes)):
        source = collect(source, "a bytes value")
    return _charged(bytes(source, *args))


def _reversed(sequence):
    if not is_sized(sequence) or isinstance(sequence, (dict, set, frozenset)):
        raise TypeError("reversed() takes a list, a tuple, a text or a range")
    return reversed(sequence)


def _enumerate(iterable, start=0):
    return enumerate(guarded_iter(iterable), start)


def _zip(*iterables, strict=False):
    return zip(*(guarded_iter(iterable) for iterable in iterables), strict=strict)


def _map(function, *iterables):
    return map(function, *(guarded_iter(iterable) for iterable in iterables))


def _filter(function, iterable):
    return filter(function, guarded_iter(iterable))


def _extreme(pick):
    def choose(*args, key=None, **default):
        if len(args) == 1:
            items = collect(args[0], f"the items of {pick.__name__}()")
        elif default:
            raise TypeError(f"{pick.__name__}() takes a default with one iterable only")
        else:
            items = list(args)
        return extreme_of(pick, items, key, "to compare values", **default)
    choose.__name__ = pick.__name__
    return choose


def starred(iterable) -> list:
    """Return the items `*iterable` unpacks, drawn through the guard (`_starred_`)."""
    return collect(iterable, "the items of a * unpacking")


def _sum(iterable, start=0):
    if isinstance(start, bool) or not isinstance(start, (int, float, complex)):
        raise TypeError("sum() adds numbers; join texts with ''.join()")
    return sum(guarded_iter(iterable), start)


def _any(iterable) -> bool:
    return any(guarded_iter(iterable))


def _all(iterable) -> bool:
    return all(guarded_iter(iterable))


def _iter(obj, *sentinel):
    if sentinel:
        raise TypeError("iter() with a sentinel is not available in code")
    return guarded_iter(obj)


def _range(*args):
    values = range(*args)
    current_run().budget.check_items(len(values), "a range")
    return values


def _pow(base, exponent, modulus=None):
    return guarded_pow(base, exponent, modulus)


def _round(number, ndigits=None):
    # Rounding an integer to -n digits computes 10 ** n in C.
    if isinstance(number, int) and isinstance(ndigits, int) and ndigits < 0:
        current_run().budget.check_int_bits(-ndigits * 4)
    return round(number) if ndigits is None else round(number, ndigits)


class PrintCollector:
    """What `print` writes in a Script, read back as `printed`; it counts as output."""

    def __init__(self, _getattr_=None):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        """Add `text` to what was printed."""
        current_run().budget.charge_output(len(text))
        self.parts.append(text)

    def __call__(self) -> str:
        return "".join(self.parts)

    def _call_print(self, *objects, sep=" ", end="\n", file=None, flush=False):
        if file is not None:
            raise TypeError("print() in code writes only to printed")
        for part in (sep, end):
            if part is not None and not isinstance(part, str):
                raise TypeError("sep and end are texts")
        sep = " " if sep is None else sep
        end = "\n" if end is None else end
        self.write(sep.join(guarded_str(item) for item in objects) + end)


_EXCEPTIONS = (
    ArithmeticError, AssertionError, AttributeError, Exception, IndexError, KeyError,
    LookupError, NameError, NotImplementedError, OverflowError, RuntimeError,
    StopIteration, TypeError, UnicodeError, ValueError, ZeroDivisionError)

SAFE_BUILTINS = {
    "None": None, "True": True, "False": False,
    "abs": abs, "bool": bool, "callable": callable, "chr": chr, "complex": complex,
    "divmod": divmod, "float": float, "hash": _hash, "hex": hex,
    "int": guarded_type(int, _int),
    "isinstance": isinstance, "issubclass": issubclass, "len": guarded_len, "next": next,
    "oct": oct, "ord": ord, "round": _round, "slice": slice,
    "str": guarded_type(str, guarded_str), "repr": guarded_repr, "ascii": guarded_ascii,
    "format": guarded_format, "list": guarded_type(list, _collection(list)),
    "tuple": guarded_type(tuple, _collection(tuple)), "set": guarded_type(set, _collection(set)),
    "frozenset": guarded_type(frozenset, _collection(frozenset)),
    "dict": guarded_type(dict, _dict), "bytes": guarded_type(bytes, _bytes),
    "range": guarded_type(range, _range), "sorted": guarded_sorted, "reversed": _reversed,
    "enumerate": _enumerate, "zip": _zip, "map": _map, "filter": _filter,
    "min": _extreme(min), "max": _extreme(max), "sum": _sum, "any": _any, "all": _all,
    "iter": _iter, "pow": _pow, "getattr": guarded_getattr, "hasattr": guarded_hasattr,
    "__import__": guarded_import,
    **{error.__name__: error for error in _EXCEPTIONS},
}


def tick() -> None:
    """Check the time budget (`_tick_`, called at every loop iteration and function call)."""
    current_run().budget.tick()


def hashed(key):
    """Return `key` once hashing it is bearable (`_key_`: keys of dict and set displays)."""
    return check_key(current_run().budget, key)


def hashed_all(items: list) -> list:
    """Return `items` (unpacked into a set display) once hashing each is bearable (`_keys_`)."""
    return check_keys(current_run().budget, items, "a set")


def matched(types):
    """Return what an `except` clause matches once its tuples nest shallowly (`_exceptions_`)."""
    return check_exception_types(current_run().budget, types)


def guarded_apply(function, *args, **kwargs):
    """Call `function` (`_apply_`, used for calls with `*args` or `**kwargs`)."""
    return function(*args, **kwargs)


# The names the compiler's output calls, and the functions behind them.
GUARDS = {
    "_getattr_": guarded_getattr,
    "_getitem_": guarded_getitem,
    "_getiter_": guarded_iter,
    "_getmapping_": guarded_mapping,
    "_write_": guarded_write,
    "_apply_": guarded_apply,
    "_inplacevar_": guarded_inplace,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_print_": PrintCollector,
    "_tick_": tick,
    "_own_": owned,
    "_mul_": guarded_mul,
    "_pow_": guarded_pow,
    "_lshift_": guarded_lshift,
    "_mod_": guarded_mod,
    "_add_": guarded_add,
    "_binop_": guarded_binop,
    "_compare_": guarded_compare,
    "_compare_chain_": guarded_compare_chain,
    "_format_value_": format_value,
    "_starred_": starred,
    "_key_": hashed,
    "_keys_": hashed_all,
    "_exceptions_": matched,
    "_built_": _charged,
}

