"""Search results: a sized, sliceable sequence that orders only as far as it is read.

`len(results)` costs nothing more; `results[:20]` orders the first 20;
reading further orders more (twice as far each time). Each result carries
its path, id, type, title and times from the catalog's metadata, without
loading its object; `result.object()` loads it. Scripts and Templates read
them too: they may read a result's fields and call `object()`, take items
and slices of the results, count and iterate them.
"""

from collections.abc import Sequence
from datetime import datetime, timezone

from objweb.catalog.overlay import live_object
from objweb.catalog.sorting import Sort, first
from objweb.catalog.store import Catalog
from objweb.errors import NotFoundError
from objweb.sandbox.bindings import CodeView
from objweb.sandbox.budget import ITEM_COST
from objweb.sandbox.run import current_run

FIRST_CHUNK = 20


class Result(CodeView):
    """One found object: `path`, `id`, `type_name`, `title`, `created`, `modified` (UTC datetimes)."""

    __slots__ = ("path", "id", "type_name", "title", "created", "modified", "_docid", "_source")
    # Results were filtered for whoever asked: code reads them without a further check.
    _code_names = frozenset({"path", "id", "type_name", "title", "created", "modified",
                                "object"})

    def __init__(self, row: tuple, docid: int, source):
        path, name, type_name, title, created, modified = row
        self.path = path
        self.id = name
        self.type_name = type_name
        self.title = title
        self.created = datetime.fromtimestamp(created, timezone.utc)
        self.modified = datetime.fromtimestamp(modified, timezone.utc)
        self._docid = docid
        self._source = source

    def object(self):
        """Return the object found, loaded now.

        Raises `NotFoundError` if it left the site since it was found.
        """
        obj = live_object(self._source.connection, self._source.root, self._docid)
        if obj is None:
            raise NotFoundError(f"{self.path} is no longer there")
        return obj

    def __repr__(self) -> str:
        return f"<Result {self.type_name} {self.path}>"


class Results(CodeView, Sequence):
    """The answer to one query, in order."""

    _code_names = frozenset()

    def __init__(self, catalog: Catalog, connection, root, *, hits, extras: dict,
                 sort: Sort, scores=None):
        self.catalog = catalog
        self.connection = connection
        self.root = root
        self._hits = hits
        self._extras = extras
        self._sort = sort
        self._scores = scores
        self._total = len(hits) + len(extras)
        self._ordered: list = []

    def __len__(self) -> int:
        return self._total

    def __bool__(self) -> bool:
        return self._total > 0

    def __getitem__(self, where):
        if isinstance(where, slice):
            start, stop, step = where.indices(self._total)
            if step > 0:
                self._order(stop)
            else:
                self._order(start + 1)
            return [self._result(docid) for docid in self._ordered[where]]
        if not isinstance(where, int):
            raise TypeError("results are indexed by numbers and slices")
        position = where + self._total if where < 0 else where
        if not 0 <= position < self._total:
            raise IndexError("no such result")
        self._order(position + 1)
        return self._result(self._ordered[position])

    def __iter__(self):
        position, chunk = 0, FIRST_CHUNK
        while position < self._total:
            self._order(min(position + chunk, self._total))
            for docid in self._ordered[position:]:
                yield self._result(docid)
            position = len(self._ordered)
            chunk *= 2

    def _code_item(self, where):
        """`results[n]` and `results[a:b]` in code; a slice counts against the item limit."""
        if isinstance(where, slice):
            start, stop, step = where.indices(self._total)
            count = len(range(start, stop, step))
            budget = current_run().budget
            budget.check_items(count, "a slice of search results")
            budget.charge(ITEM_COST * count)
        elif type(where) is not int:
            raise TypeError("results are indexed by numbers and slices")
        return self[where]

    def __code_iter__(self):
        """Iterating in code: in order, as far as the code reads."""
        return iter(self)

    def _order(self, limit: int) -> None:
        limit = min(limit, self._total)
        if limit <= len(self._ordered):
            return
        wanted = min(self._total, max(limit, 2 * len(self._ordered), FIRST_CHUNK))
        self._ordered = first(self.catalog, self._hits, self._extras, self._sort, wanted,
                              self._scores)

    def _result(self, docid: int) -> Result:
        entry = self._extras.get(docid)
        row = entry.row() if entry is not None else self.catalog.metadata[docid]
        return Result(row, docid, self)

    def __repr__(self) -> str:
        return f"<Results: {self._total} found>"
