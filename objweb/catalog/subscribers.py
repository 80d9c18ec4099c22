"""Keeping the catalog current: each object event queues what it changed, in its transaction.

| event | queued |
| --- | --- |
| added | the object and everything below it: `CONTENT` |
| modified | the object: `CONTENT` |
| moved | the object: `CONTENT`; what the indexes hold below its old path: `CONTENT` |
| removed | the object, and what the indexes hold below its old path: `REMOVED` |
| security changed | the object: `CONTENT`; what the indexes hold below it: `SECURITY` |

Each event also keeps the catalog's checkpoints (`objweb.catalog.checkpoints`)
at once: the paths of the folders a user may be refused the walk through.

A change to a whole subtree reads which docids the indexes hold below it,
and those records must still be current when it commits; the drainer, for
its part, holds current the folders (and their security settings) above
what it indexes: so the two never commit side by side unawares.
While a catalog is not built yet, the indexes hold too little to say what
is below a folder, so the live subtree is queued instead.
"""

from ZODB.utils import z64

from objweb.catalog import checkpoints
from objweb.catalog.drain import BEHIND, Drainer, drain_all
from objweb.catalog.queue import CONTENT, REMOVED, SECURITY, backlog, shard_of
from objweb.catalog.store import Catalog, catalog_of, docid_of
from objweb.content.broken import is_broken
from objweb.content.site import site_root
from objweb.events import (
    ObjectAdded, ObjectEvent, ObjectModified, ObjectMoved, ObjectRemoved, SecurityChanged,
    is_subscribed, subscribe)
from objweb.traversal.location import lineage, path_of


def include(registry=None) -> None:
    """Keep catalogs current from now on in this process (idempotent)."""
    if not is_subscribed(ObjectEvent, on_event):
        subscribe(ObjectEvent, on_event)


def on_event(event: ObjectEvent) -> None:
    """Queue in the changed object's catalog what `event` changed."""
    obj = event.object
    place = getattr(event, "old_parent", None) if isinstance(event, ObjectRemoved) else obj
    connection = _jar_of(place)
    catalog = catalog_of(connection) if connection is not None else None
    if catalog is None or not _in_site(place, connection):
        return
    drain_after_commit(connection)
    if isinstance(event, ObjectAdded):
        for node in _subtree(obj):
            _mark(catalog, connection, node, CONTENT)
            checkpoints.keep(catalog, connection, node)
    elif isinstance(event, ObjectModified):
        _mark(catalog, connection, obj, CONTENT)
    elif isinstance(event, ObjectMoved):
        _mark(catalog, connection, obj, CONTENT)
        if _may_hold_items(obj):
            _below(catalog, connection, _old_path(event), obj, CONTENT)
            checkpoints.moved(catalog, connection, _old_path(event), obj)
    elif isinstance(event, ObjectRemoved):
        _mark(catalog, connection, obj, REMOVED)
        if _may_hold_items(obj):
            _below(catalog, connection, _old_path(event), obj, REMOVED)
            checkpoints.removed(catalog, connection, _old_path(event))
    elif isinstance(event, SecurityChanged):
        _mark(catalog, connection, obj, CONTENT)
        checkpoints.keep(catalog, connection, obj)
        if obj.is_container and obj._p_serial != z64:
            _below(catalog, connection, path_of(obj), obj, SECURITY)


_HOOKED = object()


def drain_after_commit(connection) -> None:
    """After the current transaction commits, drain at once if no drainer runs and work piled up.

    Work piles up past `BEHIND` queued changes, or while a custom index is
    being filled; a process that runs a `Drainer` (`objweb serve`) leaves it
    to that thread.
    """
    txn = connection.transaction_manager.get()
    try:
        txn.data(_HOOKED)
    except KeyError:
        txn.set_data(_HOOKED, True)
        txn.addAfterCommitHook(_after_commit, args=(connection.db(),))


def _after_commit(committed: bool, db) -> None:
    if not committed or Drainer.is_running(db):
        return
    with db.transaction() as connection:
        catalog = catalog_of(connection)
        behind = catalog is not None and (backlog(catalog.queue) > BEHIND or bool(catalog.filling))
    if behind:
        drain_all(db)


def _mark(catalog: Catalog, connection, obj, bits: int) -> None:
    if obj._p_oid is None:
        connection.add(obj)
    docid = docid_of(obj)
    shard_of(catalog.queue, docid).mark(docid, bits)


def _may_hold_items(obj) -> bool:
    # A broken object may have been a folder: what the indexes hold below it goes with it.
    return obj.is_container or is_broken(obj)


def _below(catalog: Catalog, connection, path: str, obj, bits: int) -> None:
    """Queue what the indexes hold below `path` (or, before a first build, below `obj`)."""
    catalog.hold_below(connection, path)
    queue = catalog.queue
    for docid in catalog.below(path):
        shard_of(queue, docid).mark(docid, bits)
    if not catalog.built:
        for node in _subtree(obj):
            if node is not obj:
                _mark(catalog, connection, node, CONTENT if bits == SECURITY else bits)


def requeue(catalog: Catalog, connection, obj, *, below: bool) -> None:
    """Queue `obj` as changed and, with `below`, all it holds (live) and the indexes hold under it."""
    drain_after_commit(connection)
    _mark(catalog, connection, obj, CONTENT)
    checkpoints.keep(catalog, connection, obj)
    if not getattr(obj, "is_container", False):
        return
    if below:
        catalog.hold_below(connection, path_of(obj))
        for docid in catalog.below(path_of(obj)):
            shard_of(catalog.queue, docid).mark(docid, CONTENT)
        for node in _subtree(obj):
            _mark(catalog, connection, node, CONTENT)
            checkpoints.keep(catalog, connection, node)
    else:
        # Only its items changed (an undo put some back): the folders among them may be checkpoints.
        for child in obj.values():
            if getattr(type(child), "is_container", False):
                checkpoints.keep(catalog, connection, child)


def _old_path(event) -> str:
    parent_path = path_of(event.old_parent)
    return ("" if parent_path == "/" else parent_path) + "/" + event.old_name


def _subtree(obj):
    pending = [obj]
    while pending:
        node = pending.pop()
        yield node
        if getattr(node, "is_container", False):
            pending.extend(node.values())


def _jar_of(obj):
    for node in lineage(obj):
        jar = getattr(node, "_p_jar", None)
        if jar is not None:
            return jar
    return None


def _in_site(obj, connection) -> bool:
    root = site_root(connection)
    return root is not None and any(node is root for node in lineage(obj))
