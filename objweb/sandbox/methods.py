"""What restricted code may read on plain values: text, numbers, collections, dates.

Each kind of value has an explicit table of the names code may use. Methods
come back wrapped: the value they build is charged to the run's allocation
allowance, and those that can work long in C check their work or the size
of their result first (see `textmethods` for texts; here, the methods of
lists, dicts and sets that compare, sort or hash). Methods that consume an
iterable draw it through the iteration guard, so a folder's names never
leak through `set().union(folder)`.
"""

import datetime
import time

from chameleon.tal import ErrorInfo, RepeatItem

from objweb.sandbox.budget import ITEM_COST, cost_of
from objweb.sandbox.costs import HASH_INSERT
from objweb.sandbox.failures import NotPublishedError
from objweb.sandbox.formatting import MAX_FORMAT_WIDTH
from objweb.sandbox.iteration import collect
from objweb.sandbox.run import current_run
from objweb.sandbox.sorting import sort_in_place
from objweb.sandbox.textmethods import TEXT_METHODS, charged_text, to_bytes
from objweb.sandbox.work import check_contains, check_key, check_keys, check_pairs

DATA = "data"          # a plain attribute, read as is
METERED = "metered"    # a method whose result is charged
# What one more entry of a dict or a set takes, in allocation units.
_ENTRY_COST = 64


def _budget():
    return current_run().budget


def metered(method):
    """Return `method` wrapped so that what it builds is measured and charged to the run."""
    def call(*args, **kwargs):
        return charged_text(method(*args, **kwargs))
    return call


def iterating(value, name: str):
    """A set method whose arguments are iterables, drawn through the guard, their items hashed."""
    method = getattr(value, name)

    def call(*args):
        budget = _budget()
        drawn = [collect(arg) for arg in args]
        for items in drawn:
            check_keys(budget, items, "a set")
        budget.check_cost(HASH_INSERT * len(value), f"to use {name}() of a set")
        return charged_text(method(*drawn))
    return call


def scanning(value, name: str):
    """`count`, `index` and `remove` of a list or a tuple: the value is compared with each item."""
    method = getattr(value, name)

    def call(item, *args):
        check_contains(_budget(), value, item)
        return method(item, *args)
    return call


def keyed(value, name: str):
    """A dict or set method taking a key (`get`, `pop`, `add`, ...): the key is checked first."""
    method = getattr(value, name)

    def call(key, *args):
        budget = _budget()
        check_key(budget, key)
        if name in ("add", "setdefault"):
            budget.charge(_ENTRY_COST)
        return method(key, *args)
    return call


def growing(value, name: str):
    """`append` and `insert`: each adds one item to the list."""
    method = getattr(value, name)

    def call(*args):
        _budget().check_items(len(value) + 1, "a list")
        _budget().charge(ITEM_COST)
        return method(*args)
    return call


def extend(value, name: str):
    """`list.extend`: the items are drawn through the guard, within the item limit."""
    def call(iterable):
        items = collect(iterable, "a list")
        _budget().check_items(len(value) + len(items), "a list")
        value.extend(items)
        _budget().charge(cost_of(items))
    return call


def update(value, name: str):
    """`dict.update`: pairs are drawn through the guard, their keys checked."""
    def call(other=(), **more):
        budget = _budget()
        if type(other) is not dict:
            other = check_pairs(budget, collect(other, "a dict"), "a dict")
        budget.check_items(len(value) + len(other) + len(more), "a dict")
        budget.check_cost(HASH_INSERT * (len(other) + len(more)), "to update a dict")
        value.update(other, **more)
        budget.charge(_ENTRY_COST * (len(other) + len(more)))
    return call


def fromkeys(value, name: str):
    """`dict.fromkeys`: the keys are drawn through the guard and checked."""
    def call(keys, default=None):
        items = check_keys(_budget(), collect(keys, "a dict"), "a dict")
        return charged_text(dict.fromkeys(items, default))
    return call


def sort(value, name: str):
    """`list.sort`: the work of the sort is checked first."""
    return sort_in_place(value)


def _strftime(value, name: str):
    def call(template):
        if isinstance(template, str) and len(template) > MAX_FORMAT_WIDTH:
            raise ValueError(f"a date format is at most {MAX_FORMAT_WIDTH} characters")
        return value.strftime(template)
    return call


def _strptime(cls, name: str):
    def call(text, template):
        for part in (text, template):
            if isinstance(part, str) and len(part) > MAX_FORMAT_WIDTH:
                raise ValueError(f"a date and its format are at most "
                                 f"{MAX_FORMAT_WIDTH} characters")
        return cls.strptime(text, template)
    return call


def _names(kind, names: str) -> dict:
    return dict.fromkeys(names.split(), kind)


_TEXT_COMMON = {**_names(METERED, """
    capitalize isalnum isalpha isascii isdigit islower isspace istitle isupper lower
    swapcase title upper"""), **TEXT_METHODS}

STR_NAMES = {**_TEXT_COMMON, **_names(METERED, """
    casefold encode isdecimal isidentifier isnumeric isprintable""")}
BYTES_NAMES = {**_TEXT_COMMON, **_names(METERED, "decode hex")}
_INT_NAMES = {**_names(DATA, "real imag numerator denominator"),
              **_names(METERED, "bit_length bit_count conjugate as_integer_ratio"),
              "to_bytes": to_bytes}
_DATE_DATA = "year month day"
_TIME_DATA = "hour minute second microsecond tzinfo fold"
_DATE_METHODS = "ctime isocalendar isoformat isoweekday replace timetuple toordinal weekday"

VALUE_NAMES: dict[type, dict] = {
    str: STR_NAMES,
    bytes: BYTES_NAMES,
    list: {**_names(METERED, "clear copy pop reverse"), **_names(scanning, "count index remove"),
           **_names(growing, "append insert"), "extend": extend, "sort": sort},
    tuple: _names(scanning, "count index"),
    dict: {**_names(METERED, "clear copy items keys popitem values"),
           **_names(keyed, "get pop setdefault"), "update": update, "fromkeys": fromkeys},
    set: {**_names(METERED, "clear copy pop"), **_names(keyed, "add discard remove"),
          **_names(iterating, """difference difference_update intersection
              intersection_update isdisjoint issubset issuperset symmetric_difference
              symmetric_difference_update union update""")},
    frozenset: {**_names(METERED, "copy"), **_names(iterating, """difference
              intersection isdisjoint issubset issuperset symmetric_difference union""")},
    int: _INT_NAMES,
    bool: _INT_NAMES,
    float: {**_names(DATA, "real imag"),
            **_names(METERED, "is_integer hex as_integer_ratio conjugate")},
    complex: {**_names(DATA, "real imag"), **_names(METERED, "conjugate")},
    range: {**_names(DATA, "start stop step"), **_names(scanning, "count index")},
    slice: {**_names(DATA, "start stop step"), **_names(METERED, "indices")},
    datetime.date: {**_names(DATA, _DATE_DATA), **_names(METERED, _DATE_METHODS),
                    "strftime": _strftime},
    datetime.datetime: {**_names(DATA, f"{_DATE_DATA} {_TIME_DATA}"),
                        **_names(METERED, f"""{_DATE_METHODS} astimezone date dst time
                            timestamp timetz tzname utcoffset utctimetuple"""),
                        "strftime": _strftime},
    datetime.time: {**_names(DATA, _TIME_DATA),
                    **_names(METERED, "dst isoformat replace tzname utcoffset"),
                    "strftime": _strftime},
    datetime.timedelta: {**_names(DATA, "days seconds microseconds"),
                         **_names(METERED, "total_seconds")},
    datetime.timezone: _names(METERED, "tzname utcoffset dst"),
    time.struct_time: _names(DATA, """tm_year tm_mon tm_mday tm_hour tm_min tm_sec
                                      tm_wday tm_yday tm_isdst"""),
    RepeatItem: _names(DATA, """index number even odd start end length letter Letter
                                roman Roman parity"""),
    ErrorInfo: _names(DATA, "type value lineno offset"),
}

_DATE_CLASS = {**_names(METERED, "today fromtimestamp fromordinal fromisoformat fromisocalendar"),
               **_names(DATA, "min max resolution")}
CLASS_NAMES: dict[type, dict] = {
    datetime.date: _DATE_CLASS,
    datetime.datetime: {**_DATE_CLASS, **_names(METERED, "now utcnow utcfromtimestamp combine"),
                        "strptime": _strptime},
    datetime.time: {**_names(DATA, "min max resolution"), **_names(METERED, "fromisoformat")},
    datetime.timedelta: _names(DATA, "min max resolution"),
    datetime.timezone: _names(DATA, "utc"),
}
_EXCEPTION_NAMES = _names(DATA, "args")


def _table_of(obj) -> dict | None:
    table = VALUE_NAMES.get(type(obj))
    if table is not None:
        return table
    if isinstance(obj, type):
        return CLASS_NAMES.get(obj)
    for kind in (str, bytes):
        if isinstance(obj, kind):
            return VALUE_NAMES[kind]
    if isinstance(obj, BaseException):
        return _EXCEPTION_NAMES
    return None


def value_attribute(obj, name: str):
    """Return attribute `name` of the plain value `obj` as restricted code may see it.

    Raises `NotPublishedError` for a name the value's table does not list.
    """
    table = _table_of(obj) or {}
    kind = table.get(name)
    if kind is None:
        raise NotPublishedError(
            f"code may not use {name!r} of a {type(obj).__name__} value")
    if kind == DATA:
        return getattr(obj, name)
    if kind == METERED:
        return metered(getattr(obj, name))
    return kind(obj, name)
