"""The first n results in order, without ordering them all.

Ties are broken by docid, so an order is total and the same whether an
object is read from the indexes or, while queued, from itself; descending
is exactly ascending reversed. With many hits and a short page, the sort
index is walked from its end, testing each key's docids against the hits
(it reads about `limit * catalog size / hits` docids); with few hits, a
heap over their values. Times are walked by the minute and ordered inside
a minute by their exact value from the metadata. Relevance is best first
(`descending` reverses it). Without `sort_on`, results come in docid order:
about the order the objects were made in.
"""

import heapq
from dataclasses import dataclass
from itertools import islice

from BTrees import family64

from objweb.catalog import custom
from objweb.catalog.engine import meet
from objweb.catalog.record import Entry, sortable_title
from objweb.catalog.store import Catalog, minute

IF = family64.IF
_TIME_COLUMNS = {"created": 4, "modified": 5}


@dataclass(frozen=True)
class Sort:
    """How to order: by which index, and in which direction.

    `within` is the range [low, high) in seconds (None: unbounded) the query
    restricts the sorted time to, so that a walk of that time's index starts
    there rather than at the index's end.
    """

    on: str | None
    descending: bool = False
    within: tuple = (None, None)


def first(catalog: Catalog, hits, extras: dict, sort: Sort, limit: int, scores=None) -> list:
    """Return the first `limit` docids of `hits` (a set) and `extras` (docid: Entry) in order.

    `scores` maps docids (of both) to their relevance, for `relevance`.
    """
    if sort.on is None:
        return _by_docid(hits, extras, sort.descending, limit)
    if sort.on == "relevance":
        pairs = ((-scores.get(docid, 0.0), docid) for docid in _all(hits, extras))
        pick = heapq.nlargest if sort.descending else heapq.nsmallest
        return [docid for _, docid in pick(limit, pairs)]
    key_of = _live_key(catalog, sort.on)
    live = sorted(((key, docid) for docid, entry in extras.items()
                   if (key := key_of(entry)) is not None), reverse=sort.descending)
    indexed = _indexed(catalog, hits, sort, limit)
    merged = heapq.merge(indexed, live, reverse=sort.descending)
    ordered = [docid for _, docid in islice(merged, limit)]
    if len(ordered) < limit and sort.on not in _TIME_COLUMNS:
        # Objects with no value for the sort index come last, in docid order.
        valued = set(ordered) | {docid for _, docid in live}
        missing = IF.difference(hits, catalog.indexes[sort.on]._rev_index)
        rest = [docid for docid in _all(missing, extras) if docid not in valued]
        ordered += sorted(rest, reverse=sort.descending)[:limit - len(ordered)]
    return ordered


def _all(hits, extras: dict):
    yield from hits
    yield from extras


def _by_docid(hits, extras: dict, descending: bool, limit: int) -> list:
    live = sorted(extras, reverse=descending)
    indexed = (hits[-1 - number] for number in range(len(hits))) if descending else iter(hits)
    return list(islice(heapq.merge(indexed, live, reverse=descending), limit))


def _live_key(catalog: Catalog, on: str):
    """Return the function giving an entry's sort key, as the indexes order it."""
    if on in _TIME_COLUMNS:
        return lambda entry: getattr(entry, on)
    if on == "title":
        return lambda entry: sortable_title(entry.title)
    if on == "id":
        return lambda entry: entry.name
    if catalog.custom[on] == "date":
        return lambda entry: custom.seconds_of(entry.values.get(on))
    return lambda entry: custom.field_key(entry.values.get(on))


def _indexed(catalog: Catalog, hits, sort: Sort, limit: int):
    """Yield (key, docid) of the valued hits in order, by a walk or a heap."""
    index = catalog.indexes[sort.on]
    column = _TIME_COLUMNS.get(sort.on)
    size = max(index.documentCount(), 1)
    if len(hits) ** 2 > limit * size:
        low, high = sort.within if column is not None else (None, None)
        low = None if low is None else minute(low)
        high = None if high is None else minute(high)
        yield from _walk(index._fwd_index, low, high, hits, sort.descending, column,
                         catalog.metadata)
        return
    reverse = index._rev_index
    if column is None:
        pairs = ((reverse[docid], docid) for docid in hits if docid in reverse)
    else:
        pairs = ((catalog.metadata[docid][column], docid) for docid in hits)
    pick = heapq.nlargest if sort.descending else heapq.nsmallest
    yield from pick(limit, pairs)


def _walk(forward, low, high, hits, descending: bool, column: int | None, metadata):
    """Yield (key, docid) of `hits` walking the forward index's keys in [low, high] from one end."""
    for key in _keys(forward, low, high, descending):
        members = meet(forward[key], hits)
        if not members:
            continue
        if column is None:
            found = [(key, docid) for docid in members]
        else:
            found = sorted((metadata[docid][column], docid) for docid in members)
        yield from (reversed(found) if descending else found)


def _keys(forward, low, high, descending: bool):
    """Yield the B-tree's keys in [low, high] (None: unbounded) from the start or the end.

    A B-tree's buckets link forward only, so indexing its keys from the end
    reads it from the start each time; the keys are read backwards instead
    in ranges that double as they go (whole numbers: times), or taken at
    once (other keys).
    """
    if not descending:
        yield from forward.keys(low, high)
        return
    try:
        top = forward.maxKey(high) if high is not None else forward.maxKey()
    except ValueError:  # no key at or below `high`
        return
    if not isinstance(top, int):
        yield from reversed(list(forward.keys(low, top)))
        return
    width = 64
    while low is None or top >= low:
        bottom = top - width + 1 if low is None else max(low, top - width + 1)
        yield from reversed(list(forward.keys(bottom, top)))
        try:
            top = forward.maxKey(bottom - 1)
        except ValueError:
            return
        width *= 2
