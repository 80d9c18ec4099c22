"""Undoing transactions inside the caller's transaction, and what stands in the way.

An undo joins the transaction it is asked in (`DB.undoMultiple(ids, txn)`):
it is written when that transaction commits and dropped when it aborts, so a
request that undoes and then fails leaves the database as it was, and a
request commits once. ZODB tells whether an undo can be made only while
committing it, so `undo` first tries it in a transaction of its own that is
always aborted after the storage has answered: an undo that later changes
stand in the way of is refused (`UndoError`) before anything joins the
caller's transaction. `blockers` then names those later transactions, so
they can be undone together.

Undo writes old states back below the objects and sends no object events:
once the transaction that undoes has committed, what it wrote back is
queued for the catalog in a transaction of its own (`requeue_undone`). The
catalog's queue, which every change writes and whose records merge with any
other state, stands in no undo's way.
"""

import transaction
from ZODB.utils import p64, u64

from objweb.catalog import requeue
from objweb.catalog.store import CATALOG_NOTE, catalog_of
from objweb.storage.history import SCAN_LIMIT, Change, change_of, text_of, tid_of
from objweb.storage.records import place_records, records_of

BLOCKER_SCAN_LIMIT = 5000
# Above any key a storage gives (a file name, a server address): the veto votes last.
_LAST = "\U0010ffff"


class _TrialOver(Exception):
    """The trial undo got past the storage; it is aborted all the same."""


class _TrialVeto:
    """A resource manager that ends a trial commit at the vote, after the storage answered."""

    def __init__(self, manager):
        self.transaction_manager = manager

    def sortKey(self) -> str:  # noqa: N802 (the transaction package's name)
        """Return a key after every storage's."""
        return _LAST

    def tpc_vote(self, txn) -> None:
        """Stop the commit: every storage has done its part and will abort it."""
        raise _TrialOver()

    def abort(self, txn) -> None:
        """Do nothing: the veto keeps nothing."""

    tpc_begin = commit = tpc_finish = tpc_abort = abort


def _newest_first(undo_ids: list[str]) -> list[bytes]:
    return [undo_id.encode("ascii") for undo_id in sorted(undo_ids, key=tid_of, reverse=True)]


def check_undoable(db, undo_ids: list[str]) -> None:
    """Return if the transactions `undo_ids` can be undone together now.

    Raises ZODB's `UndoError` if later changes stand in the way. Nothing is
    written either way: the trial is aborted once the storage has answered.
    """
    manager = transaction.TransactionManager(explicit=True)
    txn = manager.begin()
    try:
        db.undoMultiple(_newest_first(undo_ids), txn)
        txn.join(_TrialVeto(manager))
        manager.commit()
    except _TrialOver:
        pass
    finally:
        manager.abort()


def undo(connection, undo_ids: list[str]) -> None:
    """Undo the transactions `undo_ids` together, in the connection's current transaction.

    The undo is kept only if that transaction commits, with its note and
    user. ZODB commits an undo through a storage instance of its own, which
    objects changed in the same transaction would wait for forever on a
    FileStorage: a transaction that undoes changes no object itself. Raises
    ZODB's `UndoError` if later changes stand in the way (then nothing
    joined the transaction); a change committed meanwhile may still make the
    commit raise it. Once it has committed, what it wrote back is queued for
    the catalog (`requeue_undone`).
    """
    db = connection.db()
    check_undoable(db, undo_ids)
    txn = connection.transaction_manager.get()
    db.undoMultiple(_newest_first(undo_ids), txn)
    tids = [tid_of(undo_id) for undo_id in undo_ids]
    txn.addAfterCommitHook(_requeue_if_committed, args=(db, tids))


def _requeue_if_committed(committed: bool, db, tids: list[bytes]) -> None:
    if committed:
        requeue_undone(db, tids)


def requeue_undone(db, tids: list[bytes]) -> None:
    """Queue for the catalog every object the transactions `tids` wrote, as it is now.

    An object is read anew with all below it, unless only its items
    changed (their own records say which).
    """
    with db.transaction() as connection:
        connection.transaction_manager.get().note(CATALOG_NOTE + " queued what an undo wrote")
        for tid in tids:
            placement = place_records(connection, tid, records_of(db, tid), "")
            for place in placement.places:
                items = getattr(place.obj, "item_attributes", ())
                requeue(place.obj, below=place.attribute not in items)


def blockers(connection, undo_ids: list[str]) -> list[Change]:
    """Return the later transactions that changed what `undo_ids` changed, newest first.

    They are found transitively (a blocker's own blockers too), in at most
    `BLOCKER_SCAN_LIMIT` later transactions.
    """
    db = connection.db()
    tids = sorted(tid_of(undo_id) for undo_id in undo_ids)
    catalog = catalog_of(connection)
    queue = {shard._p_oid for shard in catalog.queue} if catalog is not None else set()
    touched = set()
    for tid in tids:
        touched.update(set(records_of(db, tid)) - queue)
    found = []
    start = p64(u64(tids[0]) + 1)
    for count, record in enumerate(db.storage.iterator(start)):
        if count >= BLOCKER_SCAN_LIMIT:
            break
        if record.tid in tids:
            continue
        oids = {data.oid for data in record} - queue
        if oids & touched:
            touched |= oids
            found.append(record.tid)
    wanted, entries = set(found), {}
    for entry in db.undoLog(0, SCAN_LIMIT):
        tid = tid_of(text_of(entry["id"]))
        if tid in wanted:
            entries[tid] = entry
    return [change_of(connection, entries[tid]) for tid in reversed(found) if tid in entries]

