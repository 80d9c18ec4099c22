"""Reindexing a subtree: every object read anew, in batches, memory bounded by the cache.

The walk goes depth first in name order and keeps only a cursor (each
open folder's oid and the last name done), so it resumes in each batch's
fresh transaction whatever the others commit meanwhile: it runs against a
live site, over ZEO too. Objects changed during the walk are queued by
their own changes as always. After the walk, what the indexes hold below
the path that the walk did not meet is checked and forgotten if gone, and
so are the checkpoints there that name none any more. A
full reindex of a catalog made for a site that already had objects marks
it built: from then on searches read the indexes.
"""

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

import transaction
from transaction.interfaces import NoTransaction
from BTrees import family64
from ZODB.POSException import ConflictError

from objweb.catalog import checkpoints
from objweb.catalog.drain import DRAIN_NOTE, TRIES, drain_all, hold_above
from objweb.catalog.overlay import live_object
from objweb.catalog.record import StateCache, describe
from objweb.catalog.store import Catalog, catalog_of, docid_of
from objweb.content.site import site_root
from objweb.errors import NotFoundError
from objweb.traversal.resolve import find

BATCH = 1000


@dataclass
class Frame:
    """One open folder of the walk: its docid, and the last name done in it."""

    docid: int
    last: str | None = None


def reindex(db, path: str = "/", *, batch: int = BATCH,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Index the object at `path` and everything below it anew; return how many were read.

    `progress(done, total)` is called after each batch. Raises
    `NotFoundError` for a path that names no object.
    """
    drain_all(db)
    manager = transaction.TransactionManager(explicit=True)
    connection = db.open(transaction_manager=manager)
    try:
        manager.begin()
        base = _base(connection, path)
        total = _count(base)
        stack, seen = [Frame(docid_of(base))], family64.IF.TreeSet()
        done = _index_one(connection, manager, [base], seen)
        while stack:
            done += _run_batch(connection, manager, stack, seen, batch)
            if progress is not None:
                progress(min(done, total), total)
        _sweep(connection, manager, path, seen, batch)
        return done
    finally:
        with suppress(NoTransaction):  # a failure between two batches
            manager.abort()
        connection.close()


def _base(connection, path: str):
    root = site_root(connection)
    try:
        return find(root, path)
    except (KeyError, ValueError):
        raise NotFoundError(f"there is no object at {path}") from None


def _count(base) -> int:
    """Return how many objects are at and below `base` (folders know their length)."""
    total, pending = 1, [base]
    while pending:
        node = pending.pop()
        if getattr(node, "is_container", False):
            total += len(node)
            pending.extend(child for child in node.values()
                           if getattr(type(child), "is_container", False))
    return total


def _run_batch(connection, manager, stack: list, seen, batch: int) -> int:
    """Index the next `batch` objects of the walk in one transaction; retry it on conflict."""
    for attempt in range(TRIES):
        saved = [Frame(frame.docid, frame.last) for frame in stack]
        manager.begin()
        try:
            objects = _next_objects(connection, stack, batch)
            done = _index_one(connection, manager, objects, seen)
            connection.cacheMinimize()
            return done
        except ConflictError:
            manager.abort()
            stack[:] = saved
            if attempt == TRIES - 1:
                raise
    return 0


def _index_one(connection, manager, objects: list, seen) -> int:
    """Index `objects` and commit; return how many."""
    catalog = catalog_of(connection)
    states, names, held = StateCache(), catalog.custom_names(), set()
    for obj in objects:
        docid = docid_of(obj)
        catalog.index(docid, describe(obj, states, names))
        checkpoints.keep(catalog, connection, obj)
        hold_above(connection, obj, held)
        seen.insert(docid)
    manager.get().note(DRAIN_NOTE)
    manager.commit()
    return len(objects)


def _next_objects(connection, stack: list, count: int) -> list:
    """Return up to `count` next objects of the depth-first walk, moving the cursor."""
    root = site_root(connection)
    found = []
    while stack and len(found) < count:
        frame = stack[-1]
        folder = live_object(connection, root, frame.docid)
        if folder is None or not getattr(folder, "is_container", False):
            stack.pop()
            continue
        descended = False
        for name in folder.keys(frame.last):
            if name == frame.last:
                continue
            child = folder[name]
            frame.last = name
            found.append(child)
            if getattr(child, "is_container", False):
                stack.append(Frame(docid_of(child)))
                descended = True
                break
            if len(found) >= count:
                descended = True
                break
        if not descended:
            stack.pop()
    return found


def _sweep(connection, manager, path: str, seen, batch: int) -> None:
    """Forget (or index anew) what the indexes hold below `path` that the walk did not meet."""
    manager.begin()
    unmet = list(family64.IF.difference(catalog_of(connection).below(path), seen))
    manager.abort()
    for start in range(0, len(unmet), batch):
        manager.begin()
        _settle(connection, catalog_of(connection), unmet[start:start + batch])
        manager.get().note(DRAIN_NOTE)
        manager.commit()
    manager.begin()
    catalog = catalog_of(connection)
    checkpoints.settle_below(catalog, connection, site_root(connection), path)
    if path == "/" and not catalog.built:
        catalog.built = True
    manager.get().note(DRAIN_NOTE)
    manager.commit()


def _settle(connection, catalog: Catalog, docids: list) -> None:
    root = site_root(connection)
    states, names, held = StateCache(), catalog.custom_names(), set()
    for docid in docids:
        obj = live_object(connection, root, docid)
        if obj is None:
            catalog.unindex(docid)
        else:
            catalog.index(docid, describe(obj, states, names))
            hold_above(connection, obj, held)
