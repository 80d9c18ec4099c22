"""Custom indexes: a site's own properties (or an extension type's fields) made searchable.

Four kinds, as Zope's catalog has them: `field` (one value, matched
exactly, sortable), `keyword` (a list of words such as tags, any of them
matched, case folded), `text` (full text, searched as `text` is) and
`date` (a date or a time, matched by day or by range with `NAME_after`
and `NAME_before`, sortable). An index named `tags` reads the field
`tags` of a type that has one, else the property `tags`.
"""

import math
import re
from datetime import date, datetime, time, timezone

from objweb.catalog.text import fold
from objweb.content.values import moment_from_text

KINDS = ("field", "keyword", "text", "date")
SORTABLE_KINDS = ("field", "date")
MAX_KEYWORDS = 200
MAX_KEY_LENGTH = 200
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
# Names the query vocabulary or the built-in indexes use.
RESERVED = frozenset({
    "text", "type", "path", "depth", "owner", "sort_on", "sort_order", "b_start", "b_size",
    "relevance", "id", "title", "created", "modified", "parent", "allowed", "guarded_text",
    "guarded_allowed", "created_hour", "modified_hour", "limit",
})
# Values of different kinds sort apart, never compared with each other.
_NUMBER, _STRING, _DAY = 0, 1, 2


def check_index_name(name: object) -> str:
    """Return `name` if a custom index may be called so.

    Raises `ValueError` for a name that is not lowercase letters, digits
    and `_` (40 at most, a letter first), ends in `_after` or `_before`,
    or is one of the query's own words.
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError("an index name is lowercase letters, digits and _, a letter first, "
                         "40 characters at most")
    if name in RESERVED or name.endswith(("_after", "_before")):
        raise ValueError(f"{name!r} is a word of the query itself; choose another name")
    return name


def check_kind(kind: object) -> str:
    """Return `kind` if it is a kind of custom index. Raises `ValueError`."""
    if kind not in KINDS:
        raise ValueError(f"unknown index kind {kind!r}; use one of {', '.join(KINDS)}")
    return kind


def field_key(value):
    """Return what a field index keeps for `value`, or None for no value."""
    if isinstance(value, bool):
        return (_NUMBER, float(value))
    if isinstance(value, (int, float)):
        return None if math.isnan(value) else (_NUMBER, float(value))
    if isinstance(value, str):
        value = value.strip()
        return (_STRING, value[:MAX_KEY_LENGTH]) if value else None
    if isinstance(value, (date, datetime)):
        return (_DAY, value.isoformat())
    return None


def field_query_keys(value) -> list:
    """Return the keys a queried value may match: text from a URL may mean a number or a day."""
    if not isinstance(value, str):
        key = field_key(value)
        return [] if key is None else [key]
    keys = [key for key in [field_key(value)] if key is not None]
    text = value.strip()
    if text.lower() in ("true", "false"):
        keys.append((_NUMBER, 1.0 if text.lower() == "true" else 0.0))
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None and not math.isnan(number):
        keys.append((_NUMBER, number))
    try:
        day = moment_from_text(text)
    except ValueError:
        day = None
    if type(day) is date:
        keys.append((_DAY, day.isoformat()))
    return keys


def keywords_of(value) -> list[str]:
    """Return the folded words a keyword index keeps for `value` (a list, or one string)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    found = [fold(item.strip())[:MAX_KEY_LENGTH] for item in value if isinstance(item, str)]
    return sorted({item for item in found if item})[:MAX_KEYWORDS]


def text_of(value) -> str:
    """Return the text a custom text index reads from `value`."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return " ".join(item for item in value if isinstance(item, str))
    return ""


def seconds_of(value) -> int | None:
    """Return `value` (a date, a time, ISO 8601 text) as whole seconds since the epoch, or None.

    A day is its midnight, and a time without a zone is UTC.
    """
    seconds = exact_seconds(value)
    return None if seconds is None else math.floor(seconds)


def exact_seconds(value) -> float | int | None:
    """Return `value` (a date, a time, ISO 8601 text, seconds) as seconds since the epoch, or None.

    As `seconds_of`, keeping the fraction of a second.
    """
    if isinstance(value, str):
        try:
            value = moment_from_text(value)
        except ValueError:
            return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return moment.timestamp()
    if isinstance(value, date):
        return datetime.combine(value, time.min, timezone.utc).timestamp()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return math.floor(moment.timestamp())
    if isinstance(value, date):
        return math.floor(datetime.combine(value, time.min, timezone.utc).timestamp())
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return math.floor(value)
    return None
