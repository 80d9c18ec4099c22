"""Answering a query from the indexes: each filter as a set, the smallest first.

Every filter yields either the docids it keeps or, when that is most of the
catalog, the few it rejects (type Page on a site of Pages is "all but the
folders"; a path holding nearly everything is "all but what lies
outside"), so no step handles a million docids it does not need to. Sets
are intersected smallest first and the rejected ones subtracted at the end,
all in C (BTrees' set operations). Times are selected by the hour, then by
the minute at the ends of a range, and the exact time in the metadata
decides the edge minutes, so a range is exact to the second's fraction.
"""

import math

from BTrees import family64

from objweb.catalog.fulltext import text_hits
from objweb.catalog.query import Condition, Query
from objweb.catalog.store import HOUR, MINUTE, Catalog

IF = family64.IF
EMPTY = IF.Set()
_TIME_FIELDS = {"created": 4, "modified": 5}


class Filters:
    """The sets a query's filters (all but its text) keep and reject."""

    def __init__(self, catalog: Catalog, query: Query):
        self.catalog = catalog
        self.size = catalog.field("type").documentCount()
        self.keep: list = []
        self.reject: list = []
        self._path(query.path, query.depth)
        if query.types is not None:
            self._split(catalog.field("type")._fwd_index, set(query.types))
        for name, (low, high) in (("created", query.created), ("modified", query.modified)):
            if low is not None or high is not None:
                self.keep.append(time_range(catalog, name, low, high))
        if query.owner is not None:
            forward = catalog.field("owner")._fwd_index
            self.keep.append(IF.multiunion(list(
                forward.values(query.owner + "\x00", query.owner + "\x01", excludemax=True))))
        for condition in query.conditions:
            self.keep.append(condition_set(catalog, condition))

    def _path(self, path: str, depth: int | None) -> None:
        forward = self.catalog.field("parent")._fwd_index
        if path == "/" and depth is None:
            # Everything but the root itself, which no search returns.
            self.reject.append(forward.get("", EMPTY))
            return
        sets = self.catalog.sets_below(path, depth)
        if len(sets) == 1:
            # One container's own set, kept as it is: never copied, never counted.
            self.keep.append(sets[0])
        elif depth is None:
            inside = set(_keys_below(forward, path))
            self._keep_or_reject(sets, [docids for key, docids in forward.items()
                                        if key not in inside])
        else:
            self.keep.append(IF.multiunion(sets))

    def _split(self, forward, wanted: set) -> None:
        """Keep the sets of the `wanted` keys, or reject the others' when those are fewer."""
        # A type's few keys: the others alone are counted, a wanted type (a million
        # Pages in one set) never is.
        self._keep_or_reject([forward[key] for key in wanted if key in forward],
                             [docids for key, docids in forward.items() if key not in wanted],
                             count_kept=False)

    def _keep_or_reject(self, kept: list, others: list, *, count_kept: bool = True) -> None:
        """Keep the union of `kept`, or reject that of `others` when it is the smaller.

        The two are counted a set at a time, the side counted less so far
        first, until one is known whole under half the catalog or passes
        half: counting a stored set reads every bucket of it, which for a
        million docids outside the object cache costs more than the query,
        so the larger side is never counted through. Without `count_kept`
        only `others` is counted.
        """
        half = (self.size + 1) // 2
        if (_others_fewer(kept, others, half) if count_kept else _fewer_than(others, half)):
            self.reject.append(IF.multiunion(others))
        else:
            self.keep.append(IF.multiunion(kept))

    def smallest(self):
        """Return the smallest kept set, or None when nothing is kept outright."""
        return min(self.keep, key=len) if self.keep else None

    def apply(self, start=None):
        """Return the docids every filter keeps, starting from `start` (None: the whole catalog)."""
        sets = sorted(self.keep, key=len)
        if start is not None:
            sets.insert(0, start)
        if sets:
            found = sets[0]
            for docids in sets[1:]:
                if not found:
                    break
                found = meet(found, docids)
        else:
            found = IF.multiunion(list(self.catalog.field("type")._fwd_index.values()))
        for docids in self.reject:
            if found and docids:
                found = IF.difference(found, docids)
        return IF.Set(found) if not isinstance(found, IF.Set) else found


def _fewer_than(sets: list, limit: int) -> bool:
    """Return whether `sets` hold fewer than `limit` docids together, counting no further."""
    total = 0
    for docids in sets:
        total += len(docids)
        if total >= limit:
            return False
    return True


def _others_fewer(kept: list, others: list, half: int) -> bool:
    """Return whether `others` hold fewer docids than `kept` (the two make the catalog)."""
    kept_count = others_count = 0
    next_kept = next_other = 0
    while True:
        if next_other == len(others) and others_count < half:
            return True
        if next_kept == len(kept) and kept_count < half:
            return False
        if others_count >= half or kept_count >= half:
            return kept_count >= half
        if next_kept == len(kept) or (next_other < len(others) and others_count <= kept_count):
            others_count += len(others[next_other])
            next_other += 1
        else:
            kept_count += len(kept[next_kept])
            next_kept += 1


def meet(few, many):
    """Return the docids of `few` also in `many`, a set at least as large.

    A merge reads both sets; when `few` is much the smaller, looking each of
    its docids up in `many` reads far less.
    """
    if len(few) * 16 > len(many):
        return IF.intersection(few, many)
    return IF.Set([docid for docid in few if docid in many])


def _keys_below(forward, path: str):
    base = "" if path == "/" else path
    if path in forward:
        yield path
    for key in forward.keys(base + "/", base + "/\U0010ffff"):
        yield key


def time_range(catalog: Catalog, name: str, low: float | None, high: float | None):
    """Return the docids whose time `name` lies in [low, high) (None: unbounded)."""
    hours = catalog.field(name + "_hour")._fwd_index
    minutes = catalog.field(name)._fwd_index
    low_hour = None if low is None else math.ceil(low / HOUR)
    high_hour = None if high is None else math.floor(high / HOUR)
    if low_hour is not None and high_hour is not None and low_hour >= high_hour:
        return _minute_span(catalog, name, minutes, low, high)
    found = [IF.multiunion(list(hours.values(low_hour, high_hour, excludemax=True)))
             if high_hour is not None else IF.multiunion(list(hours.values(low_hour)))]
    if low is not None:
        found.append(_minute_span(catalog, name, minutes, low, low_hour * HOUR))
    if high is not None:
        found.append(_minute_span(catalog, name, minutes, high_hour * HOUR, high))
    return IF.multiunion(found)


def _minute_span(catalog: Catalog, name: str, minutes, low: float, high: float):
    """Return the docids whose time lies in [low, high), a span within hours."""
    if low >= high:
        return EMPTY
    first, last = math.floor(low / MINUTE), math.floor(high / MINUTE)
    whole = IF.multiunion(list(minutes.values(first + 1, last, excludemax=True))) \
        if last > first + 1 else EMPTY
    edges = IF.multiunion([minutes.get(minute, EMPTY) for minute in {first, last}])
    column = _TIME_FIELDS[name]
    metadata = catalog.metadata
    exact = IF.Set(docid for docid in edges if low <= metadata[docid][column] < high)
    return IF.union(whole, exact)


def condition_set(catalog: Catalog, condition: Condition):
    """Return the docids a custom index's condition keeps."""
    index = catalog.indexes[condition.name]
    if condition.kind == "text":
        return IF.Set(text_hits(catalog, condition.operand, names=(condition.name,)).keys())
    forward = index._fwd_index
    if condition.kind == "date":
        low, high = condition.operand
        return IF.multiunion(list(forward.values(low, high, excludemax=True))) \
            if high is not None else IF.multiunion(list(forward.values(low)))
    return IF.multiunion([forward[key] for key in condition.operand if key in forward])

