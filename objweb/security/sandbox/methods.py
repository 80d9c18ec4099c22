"""What restricted code may read on plain values: text, numbers, collections, dates.

Each kind of value has an explicit table of the names code may use. Methods
come back wrapped: the value they build is charged to the run's allocation
allowance, and the few that can amplify their input (`center`, `replace`,
`join`, `expandtabs`, `to_bytes`, ...) check the size of their result first.
Methods that consume an iterable draw it through the iteration guard, so a
folder's names never leak through `set().union(folder)`.
"""

import datetime
import time

from chameleon.tal import ErrorInfo, RepeatItem

from objweb.security.sandbox.errors import NotPublishedError
from objweb.security.sandbox.formatting import MAX_FORMAT_WIDTH
from objweb.security.sandbox.iteration import collect
from objweb.security.sandbox.limits import cost_of
from objweb.security.sandbox.run import current_run

DATA = "data"          # a plain attribute, read as is
METERED = "metered"    # a method whose result is charged
ITERATING = "iterating"  # a method whose arguments are iterables


def _budget():
    return current_run().budget


def metered(method):
    """Return `method` wrapped so that what it builds is charged to the run."""
    def call(*args, **kwargs):
        result = method(*args, **kwargs)
        _budget().charge(cost_of(result))
        return result
    return call


def iterating(method):
    """Return `method` wrapped so that its positional arguments are drawn through the guard."""
    def call(*args, **kwargs):
        return metered(method)(*(collect(arg) for arg in args), **kwargs)
    return call


def _padding(method):
    def call(width, *args):
        if isinstance(width, int):
            _budget().check_text(width)
        return metered(method)(width, *args)
    return call


def _expandtabs(value):
    def call(tabsize=8):
        if isinstance(tabsize, int):
            tab = "\t" if isinstance(value, str) else b"\t"
            _budget().check_text(len(value) + value.count(tab) * max(tabsize, 0))
        return metered(value.expandtabs)(tabsize)
    return call


def _replace(value):
    def call(old, new, count=-1):
        if isinstance(old, type(value)) and isinstance(new, type(value)):
            times = len(value) + 1 if not old else value.count(old)
            if count >= 0:
                times = min(times, count)
            _budget().check_text(len(value) + times * max(len(new) - len(old), 0))
        return metered(value.replace)(old, new, count)
    return call


def _join(value):
    def call(iterable):
        parts = collect(iterable, "the parts of a text")
        size = len(value) * max(len(parts) - 1, 0)
        size += sum(len(part) for part in parts if isinstance(part, (str, bytes)))
        _budget().check_text(size)
        return metered(value.join)(parts)
    return call


def _translate(value):
    def call(table):
        if isinstance(table, dict):
            longest = max((len(item) for item in table.values() if isinstance(item, str)),
                          default=1)
            _budget().check_text(len(value) * max(longest, 1))
        return metered(value.translate)(table)
    return call


def _to_bytes(value):
    def call(length=1, byteorder="big", *, signed=False):
        if isinstance(length, int):
            _budget().check_text(length)
        return metered(value.to_bytes)(length, byteorder, signed=signed)
    return call


def _extend(value):
    def call(iterable):
        items = collect(iterable, "a list")
        _budget().check_items(len(value) + len(items), "a list")
        value.extend(items)
        _budget().charge(cost_of(items))
    return call


def _update(value):
    def call(other=(), **more):
        if type(other) is not dict:
            other = collect(other, "a dict")
        _budget().check_items(len(value) + len(other) + len(more), "a dict")
        value.update(other, **more)
    return call


def _fromkeys(value):
    def call(keys, default=None):
        return metered(dict.fromkeys)(collect(keys, "a dict"), default)
    return call


def _strftime(value):
    def call(template):
        if isinstance(template, str) and len(template) > MAX_FORMAT_WIDTH:
            raise ValueError(f"a date format is at most {MAX_FORMAT_WIDTH} characters")
        return value.strftime(template)
    return call


def _strptime(cls):
    def call(text, template):
        for part in (text, template):
            if isinstance(part, str) and len(part) > MAX_FORMAT_WIDTH:
                raise ValueError(f"a date and its format are at most "
                                 f"{MAX_FORMAT_WIDTH} characters")
        return cls.strptime(text, template)
    return call


def _names(kind, names: str) -> dict:
    return dict.fromkeys(names.split(), kind)


_TEXT_COMMON = _names(METERED, """
    capitalize count endswith find index isalnum isalpha isascii isdigit islower
    isspace istitle isupper lower lstrip partition removeprefix removesuffix rfind
    rindex rpartition rsplit rstrip split splitlines startswith strip swapcase title
    upper""")
_TEXT_SPECIAL = {"center": _padding, "ljust": _padding, "rjust": _padding,
                 "zfill": _padding, "expandtabs": _expandtabs, "replace": _replace,
                 "join": _join, "translate": _translate}
_PADDED = frozenset({"center", "ljust", "rjust", "zfill"})

STR_NAMES = {**_TEXT_COMMON, **_names(METERED, """
    casefold encode isdecimal isidentifier isnumeric isprintable"""), **_TEXT_SPECIAL}
BYTES_NAMES = {**_TEXT_COMMON, **_names(METERED, "decode hex"), **_TEXT_SPECIAL}
_INT_NAMES = {**_names(DATA, "real imag numerator denominator"),
              **_names(METERED, "bit_length bit_count conjugate as_integer_ratio"),
              "to_bytes": _to_bytes}
_DATE_DATA = "year month day"
_TIME_DATA = "hour minute second microsecond tzinfo fold"
_DATE_METHODS = "ctime isocalendar isoformat isoweekday replace timetuple toordinal weekday"

VALUE_NAMES: dict[type, dict] = {
    str: STR_NAMES,
    bytes: BYTES_NAMES,
    list: {**_names(METERED, "append clear copy count index insert pop remove reverse sort"),
           "extend": _extend},
    tuple: _names(METERED, "count index"),
    dict: {**_names(METERED, "clear copy get items keys pop popitem setdefault values"),
           "update": _update, "fromkeys": _fromkeys},
    set: {**_names(METERED, "add clear copy discard pop remove"),
          **_names(ITERATING, """difference difference_update intersection
              intersection_update isdisjoint issubset issuperset symmetric_difference
              symmetric_difference_update union update""")},
    frozenset: {**_names(METERED, "copy"), **_names(ITERATING, """difference
              intersection isdisjoint issubset issuperset symmetric_difference union""")},
    int: _INT_NAMES,
    bool: _INT_NAMES,
    float: {**_names(DATA, "real imag"),
            **_names(METERED, "is_integer hex as_integer_ratio conjugate")},
    complex: {**_names(DATA, "real imag"), **_names(METERED, "conjugate")},
    range: {**_names(DATA, "start stop step"), **_names(METERED, "count index")},
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
    if kind == ITERATING:
        return iterating(getattr(obj, name))
    if name in _PADDED:
        return kind(getattr(obj, name))
    return kind(obj)
