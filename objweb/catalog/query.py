"""The query vocabulary, the same from every door, checked before anything is searched.

Keys: `text`, `type` (one or more), `path` (a subtree; the context's by
default), `depth` (1: the path's own items), `created_after`,
`created_before`, `modified_after`, `modified_before` (ISO 8601; Python
also takes `datetime`, `date` or seconds; a time without a zone is UTC;
`_after` includes its moment, `_before` does not), `owner` (a user id),
each custom index by its name (a date index also by `NAME_after` and
`NAME_before`), `sort_on` (`relevance`, `id`, `title`, `created`,
`modified`, a field or date index) and `sort_order` (`ascending`, the
default, or `descending`). Results are what lies below the path, never the
object at the path itself. A key not in the vocabulary, a value that does
not fit, or a key given more often than it may be raises `ValueError`
naming the key.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime

from objweb.catalog import custom
from objweb.catalog.text import TextQuery, parse_text

MAX_VALUES = 50
MAX_DEPTH = 100
MAX_PATH_LENGTH = 4096
MAX_VALUE_LENGTH = 1000
DAY = 86400
SORTS = ("relevance", "id", "title", "created", "modified")
_RANGES = ("created_after", "created_before", "modified_after", "modified_before")
_SCALARS = frozenset({"text", "path", "depth", "owner", "sort_on", "sort_order", *_RANGES})


@dataclass(frozen=True)
class Condition:
    """One custom index's part of a query: its name, kind and what it asks.

    `operand` is a list of keys (field), a list of words (keyword), a
    `TextQuery` (text) or a range of seconds `(low, high)`, high excluded (date).
    """

    name: str
    kind: str
    operand: object


@dataclass(frozen=True)
class Query:
    """A checked query."""

    path: str
    depth: int | None = None
    text: TextQuery | None = None
    types: tuple | None = None
    created: tuple = (None, None)
    modified: tuple = (None, None)
    owner: str | None = None
    conditions: tuple = field(default_factory=tuple)
    sort_on: str | None = None
    descending: bool = False


def parse_query(raw: dict, *, context_path: str, indexes: dict) -> Query:
    """Return the query `raw` asks (each key mapped to a list of values).

    `indexes` maps the custom indexes' names to their kinds. Raises
    `ValueError` naming the first key that is unknown, repeated or wrong.
    """
    known = _known_keys(indexes)
    for key in raw:
        if key not in known:
            raise ValueError(f"{key}: not a query key (use {', '.join(sorted(known))})")
        values = raw[key]
        if key in _SCALARS or key.endswith(("_after", "_before")) or \
                indexes.get(key) in ("text", "date"):
            if len(values) != 1:
                raise ValueError(f"{key}: give one value")
        elif not values or len(values) > MAX_VALUES:
            raise ValueError(f"{key}: give 1 to {MAX_VALUES} values")
    one = {key: values[0] for key, values in raw.items()}
    text = parse_text(one["text"]) if "text" in one else None
    sort_on = _sort_on(one.get("sort_on"), indexes, text)
    return Query(
        path=_path(one.get("path", context_path)), depth=_depth(one.get("depth")), text=text,
        types=tuple(_text_value("type", value) for value in raw["type"]) if "type" in raw
        else None,
        created=(_moment("created_after", one), _moment("created_before", one)),
        modified=(_moment("modified_after", one), _moment("modified_before", one)),
        owner=_text_value("owner", one["owner"]) if "owner" in one else None,
        conditions=tuple(_conditions(raw, indexes)), sort_on=sort_on,
        descending=_descending(one.get("sort_order")))


def _known_keys(indexes: dict) -> set:
    known = set(_SCALARS) | {"type"}
    for name, kind in indexes.items():
        known.add(name)
        if kind == "date":
            known.update((name + "_after", name + "_before"))
    return known


def _text_value(key: str, value) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_VALUE_LENGTH:
        raise ValueError(f"{key}: a name of 1 to {MAX_VALUE_LENGTH} characters")
    return value


def _path(value) -> str:
    if not isinstance(value, str) or not value.startswith("/") or len(value) > MAX_PATH_LENGTH:
        raise ValueError("path: an absolute path such as /news")
    segments = [segment for segment in value.split("/") if segment]
    if any(segment in (".", "..") or not segment.isprintable() for segment in segments):
        raise ValueError("path: no '.', '..' or control characters")
    return "/" + "/".join(segments)


def _depth(value) -> int | None:
    if value is None:
        return None
    try:
        depth = int(value) if not isinstance(value, (bool, float)) else None
    except (TypeError, ValueError):
        depth = None
    if depth is None or not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth: a whole number from 1 to {MAX_DEPTH}")
    return depth


def _moment(key: str, one: dict) -> float | None:
    if key not in one:
        return None
    seconds = to_seconds(one[key])
    if seconds is None:
        raise ValueError(f"{key}: a date or time in ISO 8601, such as 2026-05-01 or "
                         f"2026-05-01T12:00:00+00:00")
    return seconds


def to_seconds(value) -> float | int | None:
    """Return `value` (ISO 8601 text, a `datetime`, a `date`, seconds) as seconds, or None."""
    if isinstance(value, str) and len(value) > 64:
        return None
    return custom.exact_seconds(value)


def _sort_on(value, indexes: dict, text: TextQuery | None) -> str | None:
    if value is None:
        return None
    sortable = [name for name, kind in indexes.items() if kind in custom.SORTABLE_KINDS]
    if value not in SORTS and value not in sortable:
        raise ValueError(f"sort_on: one of {', '.join([*SORTS, *sorted(sortable)])}")
    if value == "relevance" and text is None:
        raise ValueError("sort_on: relevance needs a text to be relevant to")
    return value


def _descending(value) -> bool:
    if value is None or value == "ascending":
        return False
    if value == "descending":
        return True
    raise ValueError("sort_order: ascending or descending")


def _conditions(raw: dict, indexes: dict):
    for name, kind in indexes.items():
        if kind == "date":
            condition = _date_condition(name, raw)
            if condition is not None:
                yield condition
        elif name in raw:
            yield Condition(name, kind, _operand(name, kind, raw[name]))


def _operand(name: str, kind: str, values: list):
    if kind == "text":
        try:
            return parse_text(values[0])
        except ValueError as error:
            raise ValueError(str(error).replace("text:", f"{name}:", 1)) from None
    if kind == "keyword":
        words = custom.keywords_of([_text_value(name, value) for value in values])
        if not words:
            raise ValueError(f"{name}: give a word")
        return words
    keys = [key for value in values for key in custom.field_query_keys(value)]
    if not keys:
        raise ValueError(f"{name}: give a value")
    return keys


def _date_condition(name: str, raw: dict) -> Condition | None:
    """Return the range of whole seconds a date index's keys ask for (high excluded)."""
    lows, highs = [], []
    if name in raw:
        value = raw[name][0]
        seconds = custom.seconds_of(value)
        if seconds is None:
            raise ValueError(f"{name}: a date or time in ISO 8601")
        lows.append(seconds)
        highs.append(seconds + (DAY if _is_day(value) else 1))
    for suffix, bounds in (("_after", lows), ("_before", highs)):
        if name + suffix in raw:
            seconds = to_seconds(raw[name + suffix][0])
            if seconds is None:
                raise ValueError(f"{name}{suffix}: a date or time in ISO 8601")
            # Indexed values are whole seconds: v >= s and v < s both mean ceil(s).
            bounds.append(math.ceil(seconds))
    if not lows and not highs:
        return None
    return Condition(name, "date", (max(lows) if lows else None, min(highs) if highs else None))


def _is_day(value) -> bool:
    if isinstance(value, str):
        return "T" not in value and " " not in value.strip()
    return isinstance(value, date) and not isinstance(value, datetime)
