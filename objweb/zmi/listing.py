"""What the Contents screen lists: a filtered, sorted batch of a folder's items.

A folder's B-tree keeps its names in order, so the name order costs nothing
whatever the folder's size: a batch reads one or two buckets, `len()` reads
a counter, and only the batch's own objects are loaded. The "Next" link
carries the last name shown, so even a deep batch is one descent of the
tree (`keys(min=name)`), not a walk from the first item.

Sorting by title, type, size or modified time needs every object loaded,
which a 100,000-item folder cannot afford on each page view. Those orders are
offered while the items to sort (the folder, or what the name filter
matches) number at most `SORT_LIMIT`; past that the screen says so and keeps
the name order. (Per-folder sort indexes would lift the limit, but every
edit of every item would then write its folder's index: a conflict hotspot
that the folder's design exists to avoid.)

An ordered folder's own order is its arrangement (`objweb.content.ordered`):
there the default order, "name", is that arrangement, read from the folder
as cheaply.

The name filter matches names containing the text, ignoring case. It reads
names only, never objects: the 100,000 names of a big folder take a few
milliseconds.
"""

from dataclasses import dataclass
from itertools import islice

from objweb.content.broken import is_broken
from objweb.web.batching import next_start, previous_start, screen_batch
from objweb.zmi.display import format_size

SORT_KEYS = ("name", "title", "type", "size", "modified")
SORT_LIMIT = 5000
MAX_FILTER_LENGTH = 200
# How many batch numbers either side of the current one the batch bar offers.
PAGE_WINDOW = 3


@dataclass(frozen=True)
class Query:
    """What the user asked to see: filter, sort key and direction, and the batch."""

    filter: str = ""
    sort: str = "name"
    reverse: bool = False
    start: int = 0
    size: int = 50
    after: str | None = None


@dataclass(frozen=True)
class Row:
    """One item as the Contents screen shows it."""

    name: str
    obj: object
    title: str
    type_name: str
    size: int | None
    size_label: str
    modified: float
    is_container: bool
    # For a broken object: the class its package no longer provides.
    missing_class: str = ""


@dataclass(frozen=True)
class Listing:
    """A batch of rows plus what the screen needs around it."""

    rows: tuple
    total: int
    query: Query
    sort: str
    can_sort: bool
    next_after: str | None

    @property
    def first(self) -> int:
        """The position (from 1) of the first row shown."""
        return self.query.start + 1 if self.rows else 0

    @property
    def last(self) -> int:
        """The position of the last row shown."""
        return self.query.start + len(self.rows)

    @property
    def next_start(self) -> int | None:
        """The start of the next batch, or None after the last."""
        return next_start(self.query.start, self.query.size, self.total)

    @property
    def previous_start(self) -> int | None:
        """The start of the previous batch, or None on the first."""
        return previous_start(self.query.start, self.query.size)

    @property
    def last_start(self) -> int | None:
        """The start of the last batch, or None when this is the last."""
        if self.next_start is None:
            return None
        return (self.total - 1) // self.query.size * self.query.size

    def page_numbers(self, around: int = PAGE_WINDOW) -> list[tuple[int, int]]:
        """Return (page number, start) of the batches near this one, to jump to by number."""
        size = self.query.size
        current = self.query.start // size
        pages = (self.total + size - 1) // size
        low, high = max(0, current - around), min(pages, current + around + 1)
        return [(number + 1, number * size) for number in range(low, high)]

    @property
    def page_number(self) -> int:
        """The number (from 1) of the batch shown."""
        return self.query.start // self.query.size + 1

    @property
    def sort_refused(self) -> bool:
        """Whether the user asked for an order that the item count rules out."""
        return self.query.sort != self.sort


def read_query(params, settings) -> Query:
    """Return the query in a request's parameters, with bad values replaced by defaults.

    The batch is as long as `settings` allow (see `objweb.web.batching`).
    """
    text = params.get("filter", "") or ""
    sort = params.get("sort", "name")
    start, size = screen_batch(params, settings)
    return Query(
        filter=text.strip()[:MAX_FILTER_LENGTH],
        sort=sort if sort in SORT_KEYS else "name",
        reverse=params.get("reverse", "") in ("1", "on", "true"),
        start=start,
        size=size,
        after=params.get("b_after") or None,
    )


def matching_names(folder, text: str):
    """Yield, in name order, the names of `folder` that contain `text` (any case)."""
    if not text:
        yield from folder.keys()
        return
    needle = text.casefold()
    for name in folder.keys():
        if needle in name.casefold():
            yield name


def count_matching(folder, text: str) -> int:
    """Return how many names of `folder` contain `text`; the folder's length without one."""
    if not text:
        return len(folder)
    return sum(1 for _ in matching_names(folder, text))


def list_contents(folder, query: Query) -> Listing:
    """Return the batch of `folder`'s items that `query` asks for."""
    total = count_matching(folder, query.filter)
    can_sort = total <= SORT_LIMIT
    sort = query.sort if can_sort or query.sort == "name" else "name"
    if sort == "name":
        names = _names_in_order(folder, query, total)
        rows = tuple(row_of(name, folder[name]) for name in names)
    else:
        rows = _sorted_rows(folder, query, sort)
    next_after = None
    if rows and sort == "name" and not query.reverse \
            and query.start + query.size < total:
        next_after = rows[-1].name
    return Listing(rows, total, query, sort, can_sort, next_after)


def _names_in_order(folder, query: Query, total: int) -> list[str]:
    start, size = query.start, query.size
    if query.filter:
        names = list(matching_names(folder, query.filter))
        return names[::-1][start:start + size] if query.reverse else names[start:start + size]
    if query.reverse:
        stop = max(0, total - start)
        return list(folder.keys()[max(0, stop - size):stop])[::-1] if stop else []
    if query.after is not None and query.after in folder:
        # The "Next" link: one descent of the tree, however deep the batch.
        return list(islice(folder.keys(query.after), 1, size + 1))
    return list(islice(folder.keys(), start, start + size))


def _sorted_rows(folder, query: Query, sort: str) -> tuple:
    rows = [row_of(name, folder[name]) for name in matching_names(folder, query.filter)]
    rows.sort(key=lambda row: (_sort_value(row, sort), row.name), reverse=query.reverse)
    return tuple(rows[query.start:query.start + query.size])


def _sort_value(row: Row, sort: str):
    if sort == "title":
        return row.title.casefold()
    if sort == "type":
        return row.type_name
    if sort == "size":
        return row.size if row.size is not None else -1
    return row.modified


def size_of(obj) -> tuple[int | None, str]:
    """Return an object's size and its label: bytes for files and text, items for folders."""
    if getattr(obj, "is_container", False) and hasattr(obj, "__len__"):
        count = len(obj)
        return count, f"{count} item" + ("" if count == 1 else "s")
    size = getattr(obj, "size", None)
    if size is None:
        text = getattr(obj, "source", None) or getattr(obj, "body", None)
        size = len(text.encode("utf-8")) if isinstance(text, str) else None
    if size is None:
        return None, ""
    return size, format_size(size)


def row_of(name: str, obj) -> Row:
    """Return the row that shows `obj`, filed under `name`."""
    size, label = size_of(obj)
    return Row(name=name, obj=obj, title=getattr(obj, "title", "") or "",
               type_name=getattr(obj, "type_name", type(obj).__name__), size=size,
               size_label=label, modified=getattr(obj, "modified", 0) or 0,
               is_container=bool(getattr(obj, "is_container", False)),
               missing_class=getattr(obj, "missing_class", "") if is_broken(obj) else "")


def select_names(folder, names, text: str | None) -> list[str]:
    """Return the names an action applies to: every match of `text` if given, else `names`.

    Raises `ValueError` when nothing is selected.
    """
    chosen = list(matching_names(folder, text)) if text is not None else list(names)
    if not chosen:
        raise ValueError("select at least one item first")
    return chosen

