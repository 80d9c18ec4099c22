"""The modules restricted code may import: math, random, string, datetime and json.

Code never gets a real module: it gets a `SafeModule` holding an explicit
list of members, so `json.codecs`, `random._os` or `string.Formatter` (the
routes of CVE-2021-32674 and CVE-2021-32807) simply do not exist there.
Members that can work for long in C take bounded arguments, or have their
work checked first (`json.loads` from the text it decodes, counting the
memory its values will take; `string.capwords` as the split it makes); the
random functions draw from a generator of their own, so code cannot reseed
the one the rest of the process uses.
"""

import datetime
import json
import math
import random
import string

from objweb.sandbox.bindings import CodeView
from objweb.sandbox.costs import json_decoding
from objweb.sandbox.formatting import measured
from objweb.sandbox.iteration import collect
from objweb.sandbox.run import current_run
from objweb.sandbox.textmethods import join, splitting

ALLOWED_MODULES = ("math", "random", "string", "datetime", "json")


class SafeModule(CodeView):
    """A module as restricted code sees it: a fixed set of members."""

    __slots__ = ("_name", "_members")

    def __init__(self, name: str, members: dict):
        self._name = name
        self._members = dict(members)

    @property
    def _code_names(self) -> frozenset:
        return frozenset(self._members)

    def __getattr__(self, name: str):
        # `from math import sqrt` reads members with a plain getattr. There is
        # no `__name__`: with one, a failed `from json import decoder` would
        # fall back to the real `json.decoder` in sys.modules.
        members = object.__getattribute__(self, "_members")
        if name.startswith("_") or name not in members:
            raise AttributeError(f"module {self._name!r} has no member {name!r} code may use")
        return members[name]

    def __repr__(self) -> str:
        return f"<module {self._name!r} for code>"


def _budget():
    return current_run().budget


def _bits_of_product(values) -> int:
    return sum(abs(int(value)).bit_length() for value in values)


def _factorial(number):
    if isinstance(number, int) and number > 0:
        _budget().check_int_bits(number * number.bit_length())
    return math.factorial(number)


def _comb(total, chosen):
    if isinstance(total, int) and isinstance(chosen, int) and 0 < chosen < total:
        _budget().check_int_bits(min(chosen, total - chosen) * total.bit_length())
    return math.comb(total, chosen)


def _perm(total, chosen=None):
    if isinstance(total, int) and total > 0:
        count = total if chosen is None else chosen
        if isinstance(count, int) and count > 0:
            _budget().check_int_bits(min(count, total) * total.bit_length())
    return math.perm(total, chosen)


def _prod(iterable, *, start=1):
    items = collect(iterable)
    if all(isinstance(item, int) for item in items + [start]):
        _budget().check_int_bits(_bits_of_product(items + [start]))
    return math.prod(items, start=start)


def _lcm(*numbers):
    if all(isinstance(number, int) for number in numbers):
        _budget().check_int_bits(_bits_of_product(numbers))
    return math.lcm(*numbers)


def _fsum(iterable):
    return math.fsum(collect(iterable))


def _dist(first, second):
    return math.dist(collect(first), collect(second))


def _math_members() -> dict:
    members = {name: getattr(math, name) for name in dir(math) if not name.startswith("_")}
    # fsum and dist iterate their arguments in C: through the guard, a folder too.
    members.update(factorial=_factorial, comb=_comb, perm=_perm, prod=_prod, lcm=_lcm,
                   fsum=_fsum, dist=_dist)
    return members


_generator = random.Random()


def _choices(population, weights=None, *, cum_weights=None, k=1):
    _budget().check_items(k if isinstance(k, int) else 0)
    return _generator.choices(collect(population), weights, cum_weights=cum_weights, k=k)


def _sample(population, k, *, counts=None):
    return _generator.sample(collect(population), k, counts=counts)


def _getrandbits(bits):
    if isinstance(bits, int):
        _budget().check_int_bits(bits)
    return _generator.getrandbits(bits)


def _randbytes(size):
    if isinstance(size, int):
        _budget().check_text(size)
    return _generator.randbytes(size)


_CHOOSABLE = (str, bytes, list, tuple, range)


def _choice(sequence):
    # random.choice takes len() and items of whatever it is given, a folder too.
    if not isinstance(sequence, _CHOOSABLE):
        raise TypeError("choice() takes a list, a tuple, a text or a range")
    return _generator.choice(sequence)


def _shuffle(sequence):
    if type(sequence) is not list:
        raise TypeError("shuffle() takes a list")
    _generator.shuffle(sequence)


_RANDOM_NAMES = """random uniform randint randrange triangular betavariate
    expovariate gammavariate gauss lognormvariate normalvariate vonmisesvariate
    paretovariate weibullvariate seed"""


def _random_members() -> dict:
    members = {name: getattr(_generator, name) for name in _RANDOM_NAMES.split()}
    members.update(choice=_choice, choices=_choices, sample=_sample, getrandbits=_getrandbits,
                   randbytes=_randbytes, shuffle=_shuffle)
    return members


_STRING_NAMES = """ascii_letters ascii_lowercase ascii_uppercase digits hexdigits
    octdigits punctuation printable whitespace"""


def _capwords(text, sep=None):
    # string.capwords splits and joins in C: through the guarded split and join.
    if not isinstance(text, str):
        raise TypeError("capwords() takes a text")
    words = splitting(text, "split")(sep)
    return join(" " if sep is None else sep, "join")(word.capitalize() for word in words)


_MAX_JSON_LAYOUT = 16


def _check_json_layout(indent, separators) -> None:
    if indent is not None:
        if isinstance(indent, bool) or not isinstance(indent, (int, str)):
            raise TypeError("indent is a number or a text")
        if (indent if isinstance(indent, int) else len(indent)) > _MAX_JSON_LAYOUT:
            raise ValueError(f"indent is at most {_MAX_JSON_LAYOUT}")
    if separators is not None:
        if not isinstance(separators, tuple) or len(separators) != 2 \
                or not all(isinstance(part, str) for part in separators):
            raise TypeError("separators are a pair of texts")
        if any(len(part) > _MAX_JSON_LAYOUT for part in separators):
            raise ValueError(f"separators are at most {_MAX_JSON_LAYOUT} characters")


def _measured_hook(default):
    def hook(obj):
        result = default(obj)
        _budget().charge(measured(result, "a JSON text"))
        return result
    return hook


def _indented_size(value, indent) -> int:
    """Return about how many characters indenting `value` adds, stopping past the limit."""
    width = indent if isinstance(indent, int) else len(indent)
    limit = _budget().limits.output_limit
    total = 0
    stack = [(value, 1)]
    while stack and total <= limit:
        item, depth = stack.pop()
        if isinstance(item, (list, tuple, dict)):
            total += (len(item) + 1) * (depth * width + 1)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children
                         if isinstance(child, (list, tuple, dict)))
    return total


def _dumps(value, *, indent=None, sort_keys=False, separators=None, ensure_ascii=True,
           default=None, allow_nan=True):
    _check_json_layout(indent, separators)
    size = measured(value, "a JSON text")
    if indent is not None:
        _budget().check_text(size + _indented_size(value, indent), "a JSON text")
    hook = None if default is None else _measured_hook(default)
    text = json.dumps(value, indent=indent, sort_keys=sort_keys, separators=separators,
                      ensure_ascii=ensure_ascii, default=hook, allow_nan=allow_nan)
    _budget().check_text(len(text), "a JSON text")
    _budget().charge(len(text))
    return text


def _loads(text):
    if not isinstance(text, (str, bytes)):
        raise TypeError("loads() takes a text")
    work, memory = json_decoding(text)
    budget = _budget()
    budget.check_cost(work, f"to decode a JSON text of {len(text)} characters")
    # Charged before decoding: what the values will hold, nested ones included.
    budget.charge(memory)
    return json.loads(text)


def _module_members() -> dict[str, dict]:
    return {
        "math": _math_members(),
        "random": _random_members(),
        "string": {**{name: getattr(string, name) for name in _STRING_NAMES.split()},
                   "capwords": _capwords},
        "datetime": {name: getattr(datetime, name) for name in
                     ("date", "datetime", "time", "timedelta", "timezone", "MINYEAR", "MAXYEAR")},
        "json": {"dumps": _dumps, "loads": _loads, "JSONDecodeError": json.JSONDecodeError},
    }


MODULES = {name: SafeModule(name, members) for name, members in _module_members().items()}


def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    """Return the module `name` as code may see it (`__import__` in restricted code).

    Raises `ImportError` for any module not in the allow-list, and for
    relative imports.
    """
    if level != 0 or name not in MODULES:
        raise ImportError(f"code may import only {', '.join(ALLOWED_MODULES)}; "
                          f"not {name!r}")
    return MODULES[name]


class ModulesView(CodeView):
    """`modules` in Templates: `modules/math/pi`, `modules['json']`."""

    __slots__ = ()

    @property
    def _code_names(self) -> frozenset:
        return frozenset(MODULES)

    def __getattr__(self, name: str):
        if name not in MODULES:
            raise AttributeError(f"no module {name!r} for code")
        return MODULES[name]

    def _code_item(self, key):
        if key not in MODULES:
            raise KeyError(key)
        return MODULES[key]
