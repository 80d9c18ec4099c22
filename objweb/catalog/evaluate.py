"""A query asked of one object itself, as the indexes would answer it.

For objects the indexes are behind on (queued) and for a site whose
catalog is not built yet, the query is checked against the object's
`Entry`, computed now: the same values, compared the same way, so a
queued object is found exactly when it will be once indexed.
"""

import math

from zope.index.text.baseindex import inverse_doc_frequency

from objweb.catalog import custom
from objweb.catalog.query import Condition, Query
from objweb.catalog.record import Entry
from objweb.catalog.text import TextQuery, words_of


def is_below(path: str, base: str, depth: int | None) -> bool:
    """Return whether `path` lies below `base` (not at it), at most `depth` levels down."""
    if base == "/":
        if path == "/":
            return False
        levels = path.count("/")
    elif path.startswith(base + "/"):
        levels = path.count("/") - base.count("/")
    else:
        return False
    return depth is None or levels <= depth


def matches(entry: Entry, query: Query, gate) -> bool:
    """Return whether `entry` answers `query` and passes `gate` (the viewers)."""
    if not is_below(entry.path, query.path, query.depth):
        return False
    if query.types is not None and entry.type_name not in query.types:
        return False
    if not _within(entry.created, query.created) or not _within(entry.modified, query.modified):
        return False
    if query.owner is not None and (entry.owner or "").split("\x00")[0] != query.owner:
        return False
    if not all(condition_holds(entry, condition) for condition in query.conditions):
        return False
    if query.text is not None and not _text_holds(entry, query.text, gate):
        return False
    return gate.allows(entry.allowed, entry.path)


def _within(moment: float, bounds: tuple) -> bool:
    low, high = bounds
    return (low is None or moment >= low) and (high is None or moment < high)


def _text_holds(entry: Entry, text: TextQuery, gate) -> bool:
    lists = [words_of(entry.text)]
    if entry.guarded_text and gate.allows(entry.guarded_allowed, entry.path):
        lists.append(words_of(entry.guarded_text))
    return text.matches(*lists)


def condition_holds(entry: Entry, condition: Condition) -> bool:
    """Return whether a custom index's condition holds for `entry`."""
    value = entry.values.get(condition.name)
    if condition.kind == "field":
        return custom.field_key(value) in condition.operand
    if condition.kind == "keyword":
        return not set(custom.keywords_of(value)).isdisjoint(condition.operand)
    if condition.kind == "text":
        return condition.operand.matches(words_of(custom.text_of(value)))
    seconds = custom.seconds_of(value)
    low, high = condition.operand
    return seconds is not None and (low is None or seconds >= low) and \
        (high is None or seconds < high)


def live_score(catalog, text: TextQuery, entry: Entry) -> float:
    """Return an Okapi BM25 score for a queued object, from the text index's statistics."""
    okapi = catalog.indexes["text"].index
    words = words_of(entry.text)
    count = max(float(okapi.documentCount()), 1.0)
    mean = max(okapi._totaldoclen() / count, 1.0)
    weight = (1.0 - okapi.B) + okapi.B * len(words) / mean
    wanted = list(text.words) + [word for phrase in text.phrases for word in phrase]
    total = 0.0
    for word in set(wanted) | {found for found in words if found.startswith(text.prefixes)}:
        frequency = words.count(word)
        if not frequency:
            continue
        postings = okapi._wordinfo.get(catalog.lexicon.get_wid(word), ())
        idf = inverse_doc_frequency(len(postings) + 1, count + 1)
        total += frequency * (okapi.K1 + 1.0) / (frequency + okapi.K1 * weight) * idf
    return total if math.isfinite(total) else 0.0
