"""Draining the queue: indexing queued objects in batches, in transactions of their own.

One batch reads up to `BATCH` queued docids, indexes each object as it is
now (or forgets it, if it left the site), takes out the entries no change
came after, and commits, retrying its own conflicts. In `objweb serve` a
thread drains whenever there is work; one process at a time holds the
drain (a lease in the catalog, renewed as it goes, taken over when it runs
out), so several servers over ZEO do not fight. Commands and the Python
API drain after a commit that left a big backlog (`drain_if_behind`).

Drain transactions are marked (`DRAIN_NOTE`): the Undo tab leaves them out.
"""

import logging
import os
import socket
import threading
import time

import transaction
from ZODB.POSException import ConflictError

from objweb.catalog.overlay import live_object
from objweb.catalog.queue import CONTENT, REMOVED, backlog
from objweb.catalog.record import StateCache, describe, guard_of, value_of
from objweb.catalog.store import CATALOG_NOTE, Catalog, _put, catalog_of
from objweb.content.site import site_root
from objweb.security.rolemap import role_map_of

log = logging.getLogger("objweb.catalog")

BATCH = 500
BEHIND = 2000
TRIES = 5
LEASE_SECONDS = 30.0
DRAIN_NOTE = CATALOG_NOTE + " indexed queued objects"
HOLDER = f"{socket.gethostname()}:{os.getpid()}"


def drain_batch(connection, *, limit: int = BATCH, holder: str | None = None) -> int:
    """Index up to `limit` queued objects in the connection's current transaction.

    Returns how many entries it handled; the caller commits. With `holder`,
    a lease held by another holder makes it handle none.
    """
    catalog = catalog_of(connection)
    if catalog is None or (holder is not None and not _take_lease(catalog, holder)):
        return 0
    taken = _take(catalog, limit)
    filling = _fill_batch(connection, catalog, limit - sum(len(found) for found in taken.values()))
    if not taken and not filling:
        return 0
    root = site_root(connection)
    states = StateCache()
    names = catalog.custom_names()
    held: set = set()
    for shard, found in taken.items():
        for docid, (_token, bits) in found.items():
            obj = _apply(catalog, connection, root, states, names, docid, bits)
            if obj is not None:
                hold_above(connection, obj, held)
        shard.take_out({docid: token for docid, (token, _bits) in found.items()})
    txn = connection.transaction_manager.get()
    txn.note(DRAIN_NOTE)
    return sum(len(found) for found in taken.values()) + filling


def _take(catalog: Catalog, limit: int) -> dict:
    """Return up to `limit` entries to handle, by shard."""
    taken = {}
    for shard in catalog.queue:
        if limit <= 0:
            break
        if shard.entries:
            found = dict(list(shard.entries.items())[:limit])
            taken[shard] = found
            limit -= len(found)
    return taken


def _apply(catalog: Catalog, connection, root, states, names, docid: int, bits: int):
    """Bring the indexes up to date for one queued docid; return its object if it is in the site."""
    if bits & REMOVED and not bits & CONTENT:
        catalog.unindex(docid)
        return None
    if not bits & CONTENT and docid not in catalog.metadata:
        return None
    obj = live_object(connection, root, docid)
    if obj is None:
        catalog.unindex(docid)
    elif bits & CONTENT:
        catalog.index(docid, describe(obj, states, names))
    else:
        _put(catalog.indexes["allowed"], docid, states.allowed(obj))
        guard = guard_of(obj)
        _put(catalog.indexes["guarded_allowed"], docid,
             states.state(obj, guard).tokens() if guard is not None else None)
    return obj


def hold_above(connection, obj, held: set) -> None:
    """Mark current the folders above `obj` and their security settings, once per batch.

    What was indexed for `obj` was read from them: a change to one of them
    that commits first (a move, a removal, new permissions) makes this
    transaction fail and retry, rather than index a state that is gone.
    """
    node = obj.__parent__
    while node is not None:
        for record in (node, role_map_of(node)):
            if record is not None and record._p_jar is connection \
                    and record._p_oid not in held:
                held.add(record._p_oid)
                record._p_activate()
                connection.readCurrent(record)
        node = node.__parent__


def _fill_batch(connection, catalog: Catalog, limit: int) -> int:
    """Give new custom indexes the values of up to `limit` more indexed objects."""
    done = 0
    root = site_root(connection)
    for name in list(catalog.filling.keys()):
        left = catalog.filling[name]
        batch = list(left.keys()[:max(limit - done, 0)]) if limit > done else []
        for docid in batch:
            obj = live_object(connection, root, docid)
            if obj is not None:
                catalog.index_custom(name, docid, value_of(obj, name))
            left.remove(docid)
        done += len(batch)
        if not left:
            del catalog.filling[name]
    return done


def _take_lease(catalog: Catalog, holder: str) -> bool:
    lease = catalog.lease
    now = time.time()
    if lease.holder != holder and lease.until > now:
        return False
    if lease.holder != holder or lease.until - now < LEASE_SECONDS / 2:
        lease.holder, lease.until = holder, now + LEASE_SECONDS
    return True


def drain(db, *, limit: int = BATCH, holder: str | None = None) -> int:
    """Drain one batch in a transaction of its own; return how many entries it handled.

    Conflicts are retried from a fresh state; one that outlasts `TRIES`
    tries passes through.
    """
    manager = transaction.TransactionManager(explicit=True)
    connection = db.open(transaction_manager=manager)
    try:
        for attempt in range(TRIES):
            manager.begin()
            try:
                done = drain_batch(connection, limit=limit, holder=holder)
                if done:
                    manager.commit()
                else:
                    manager.abort()
                return done
            except ConflictError:
                manager.abort()
                if attempt == TRIES - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
        return 0
    finally:
        connection.close()


def drain_all(db, *, limit: int = BATCH) -> int:
    """Drain until the queue is empty; return how many entries were handled."""
    total = 0
    while True:
        done = drain(db, limit=limit)
        if not done:
            return total
        total += done


def queue_length(db) -> int:
    """Return how many entries wait in the queue."""
    with db.transaction() as connection:
        catalog = catalog_of(connection)
        return backlog(catalog.queue) if catalog is not None else 0


def drain_if_behind(db, queued: int) -> None:
    """Drain at once when a commit left `queued` (more than `BEHIND`) entries and no drainer runs."""
    if queued > BEHIND and not Drainer.is_running(db):
        drain_all(db)


class Drainer:
    """A thread that drains a database's queue whenever there is work."""

    _running: dict = {}

    def __init__(self, db, *, interval: float = 0.5, limit: int = BATCH):
        self.db = db
        self.interval = interval
        self.limit = limit
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="objweb-catalog-drainer",
                                        daemon=True)

    @classmethod
    def is_running(cls, db) -> bool:
        """Return whether a drainer thread drains `db` in this process."""
        return id(db) in cls._running

    def start(self) -> "Drainer":
        """Start draining; return self."""
        Drainer._running[id(self.db)] = self
        self._thread.start()
        return self

    def wake(self) -> None:
        """Drain now rather than at the next interval."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the batch under way."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)
        Drainer._running.pop(id(self.db), None)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                done = drain(self.db, limit=self.limit, holder=HOLDER)
            except Exception:  # noqa: BLE001 (a drainer outlives one bad batch, and says so)
                log.exception("the catalog drainer failed a batch; it will try again")
                done = 0
            if not done:
                self._wake.wait(self.interval)
                self._wake.clear()
