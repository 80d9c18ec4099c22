"""The transaction history behind the Undo tab: what each change touched, and undoing it.

The storage lists its transactions (`undoLog`) and the records each one
wrote (`iterator`). A record is an object id; this module turns ids into
paths. A content object's path is where it is now, or, if it has left the
tree since, where it was when the transaction ran (read through a
historical connection). Records that are not content, such as a folder's
B-tree buckets or a user record, are charged to the object that holds
them, looked for among the objects the transaction touched and along the
path of the request that made it.

Undo ids are the storage's own (base64 of the transaction id, as
FileStorage, ZEO and RelStorage write them). An undo that later
transactions stand in the way of is refused by ZODB with an `UndoError`;
`blockers` then names those later transactions, so they can be undone
together.
"""

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

import transaction
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.POSException import POSKeyError
from ZODB.utils import p64, u64

from objweb.content.base import Item
from objweb.content.site import site_root
from objweb.traversal.location import lineage, path_of
from objweb.traversal.resolve import find
from objweb.zmi.framework import REQUEST_PATH_KEY

RECORD_LIMIT = 200
PATH_LIMIT = 12
SCAN_LIMIT = 2000
BLOCKER_SCAN_LIMIT = 5000


@dataclass(frozen=True)
class Change:
    """One transaction as the Undo tab shows it."""

    undo_id: str
    tid: bytes
    time: float
    user: str
    path: str
    note: str
    paths: tuple = ()
    hidden: int = 0

    def is_within(self, path: str) -> bool:
        """Whether the request or an object changed lies at or below `path`."""
        return any(is_below(candidate, path) for candidate in (self.path,) + self.paths)


@dataclass(frozen=True)
class Filter:
    """What the history is narrowed to: a user, a path, and a range of days (UTC)."""

    user: str = ""
    path: str = ""
    since: date | None = None
    until: date | None = None

    def accepts(self, entry: dict) -> bool:
        """Whether an `undoLog` entry passes the user and date conditions."""
        _, user = split_user(entry.get("user_name", ""))
        if self.user and user != self.user:
            return False
        moment = entry.get("time", 0)
        if self.since and moment < _epoch(self.since, time.min):
            return False
        return not (self.until and moment > _epoch(self.until, time.max))


def _epoch(day: date, clock: time) -> float:
    return datetime.combine(day, clock, timezone.utc).timestamp()


def is_below(path: str, ancestor: str) -> bool:
    """Whether `path` is `ancestor` or lies below it."""
    path = path.split(" (")[0]
    if ancestor in ("", "/"):
        return True
    return path == ancestor or path.startswith(ancestor.rstrip("/") + "/")


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else (value or "")


def split_user(user_name) -> tuple[str, str]:
    """Return (path of the user's folder, user id) from a transaction's user field.

    As in Zope, the field holds the path of the folder whose user folder
    defines the user, a space, and the user id (`/ admin`).
    """
    folder, _, user = _text(user_name).rpartition(" ")
    return folder, user


_REQUEST_LINE = re.compile(r"^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/\S*)$")


def split_description(description) -> tuple[str, str]:
    """Return (request path, note) from a transaction's description.

    A change that left no note is described by its request line
    (`PUT /news/report`); the management screens record their path in the
    transaction's extended information instead.
    """
    lines = [line for line in _text(description).splitlines() if line.strip()]
    match = _REQUEST_LINE.match(lines[0]) if lines else None
    if match is None:
        return "", "; ".join(lines)
    return match.group(2), "; ".join(lines[1:])


def tid_of(undo_id: str) -> bytes:
    """Return the transaction id behind an undo id. Raises `ValueError` for a bad one."""
    try:
        tid = base64.decodebytes(undo_id.encode("ascii") + b"\n")
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError(f"{undo_id!r} names no transaction") from None
    if len(tid) != 8:
        raise ValueError(f"{undo_id!r} names no transaction")
    return tid


def undo_id_of(tid: bytes) -> str:
    """Return the undo id of a transaction id."""
    return base64.encodebytes(tid).rstrip().decode("ascii")


# -- reading the history ---------------------------------------------------------------

def history(connection, where: Filter, *, start: int = 0, size: int = 20) -> tuple[list, bool]:
    """Return up to `size` changes from the `start`-th match, newest first, and whether
    more follow.
    """
    db = connection.db()
    wanted = start + size + 1
    if not where.path or where.path == "/":
        entries = db.undoLog(start, start + size + 1, where.accepts)
        changes = [describe(connection, entry) for entry in entries]
        return changes[:size], len(changes) > size
    matches = []
    for entry in db.undoLog(0, SCAN_LIMIT, where.accepts):
        change = describe(connection, entry)
        if change.is_within(where.path):
            matches.append(change)
            if len(matches) >= wanted:
                break
    return matches[start:start + size], len(matches) > start + size


def describe(connection, entry: dict) -> Change:
    """Return the `Change` of one `undoLog` entry, with the paths it touched."""
    undo_id = _text(entry["id"])
    tid = tid_of(undo_id)
    _, user = split_user(entry.get("user_name", ""))
    request_path, note = split_description(entry.get("description", ""))
    request_path = _text(entry.get(REQUEST_PATH_KEY)) or request_path
    oids = records_of(connection.db(), tid)
    paths, hidden = paths_of_records(connection, tid, oids, request_path)
    return Change(undo_id, tid, entry.get("time", 0), user, request_path, note,
                  tuple(paths[:PATH_LIMIT]), hidden + max(0, len(paths) - PATH_LIMIT))


def records_of(db, tid: bytes) -> list[bytes]:
    """Return the ids of the objects transaction `tid` wrote."""
    for record in db.storage.iterator(tid, tid):
        if record.tid == tid:
            return [data.oid for data in record]
    return []


def paths_of_records(connection, tid: bytes, oids: list[bytes],
                     request_path: str) -> tuple[list[str], int]:
    """Return the paths of the objects behind `oids`, and how many records found none."""
    items, others = [], []
    for oid in oids[:RECORD_LIMIT]:
        try:
            obj = connection.get(oid)
        except POSKeyError:
            continue
        (items if isinstance(obj, Item) else others).append(obj)
    root = site_root(connection)
    paths = []
    for obj in items:
        found = _path_now_or_then(connection, obj, root, tid)
        if found not in paths:
            paths.append(found)
    owners = _owners(items, root, request_path)
    unplaced = 0
    for obj in others:
        owner = owners.get(obj._p_oid)
        if owner is None:
            unplaced += 1
        elif owner not in paths:
            paths.append(owner)
    return paths, unplaced + max(0, len(oids) - RECORD_LIMIT)


def _is_in_site(obj, root) -> bool:
    return any(node is root for node in lineage(obj))


def _path_now_or_then(connection, obj, root, tid: bytes) -> str:
    if _is_in_site(obj, root):
        return path_of(obj)
    # No longer in the tree: where was it right after, or else right before, the change?
    for moment in ({"at": tid}, {"before": tid}):
        found = _historical_path(connection.db(), obj._p_oid, moment)
        if found:
            return f"{found} (since removed)"
    return "(an object no longer in the site)"


def _historical_path(db, oid: bytes, moment: dict) -> str | None:
    old = db.open(**moment)
    try:
        obj = old.get(oid)
        root = site_root(old)
        return path_of(obj) if root is not None and _is_in_site(obj, root) else None
    except POSKeyError:
        return None
    finally:
        old.close()


def _owners(items: list, root, request_path: str) -> dict[bytes, str]:
    """Map the ids of records held by candidate objects to those objects' paths."""
    candidates = []
    for obj in items:
        candidates.extend(node for node in lineage(obj) if isinstance(node, Item))
    candidates.extend(_along(root, request_path))
    owners, seen = {}, set()
    for obj in candidates:
        if id(obj) in seen or not _is_in_site(obj, root):
            continue
        seen.add(id(obj))
        place = path_of(obj)
        for oid in held_records(obj):
            owners.setdefault(oid, place)
    return owners


def _along(root, request_path: str) -> Iterator:
    obj = root
    yield root
    for name in [segment for segment in request_path.split("/") if segment]:
        try:
            obj = find(obj, name)
        except (KeyError, ValueError):
            return
        yield obj


def held_records(obj) -> Iterator[bytes]:
    """Yield the ids of the persistent records `obj` holds that are not content objects.

    B-trees yield their inner nodes; a non-container's B-trees (a user
    folder's users) yield their values' records too.
    """
    obj._p_activate()
    for value in vars(obj).values():
        if isinstance(value, Persistent) and not isinstance(value, Item) \
                and value._p_oid is not None:
            yield value._p_oid
            if isinstance(value, OOBTree):
                yield from _tree_records(value, not getattr(obj, "is_container", False))


def _tree_records(tree, with_values: bool) -> Iterator[bytes]:
    state = tree.__getstate__()
    if not state:
        return
    if len(state) == 1:
        # One bucket kept inside the tree's own record: ((bucket state,),), where a
        # bucket's state is (keys and values interleaved,).
        if with_values:
            yield from _value_records(state[0][0][0][1::2])
        return
    for child in state[0][::2]:
        yield child._p_oid
        if isinstance(child, OOBTree):
            yield from _tree_records(child, with_values)
        elif with_values:
            yield from _value_records(child.values())


def _value_records(values) -> Iterator[bytes]:
    for value in values:
        if isinstance(value, Persistent) and value._p_oid is not None:
            yield value._p_oid


# -- undoing ---------------------------------------------------------------------------

def undo(db, undo_ids: list[str], *, user: str, path: str, note: str) -> None:
    """Undo the transactions `undo_ids` together, in a transaction of their own.

    Raises ZODB's `UndoError` if later changes stand in the way; then
    nothing changed. A `ConflictError` passes through, for a retry.
    """
    manager = transaction.TransactionManager(explicit=True)
    txn = manager.begin()
    try:
        txn.setUser(user, path)
        txn.note(note)
        newest_first = sorted(undo_ids, key=tid_of, reverse=True)
        db.undoMultiple([undo_id.encode("ascii") for undo_id in newest_first], txn)
        manager.commit()
    except BaseException:
        manager.abort()
        raise


def blockers(connection, undo_ids: list[str]) -> list[Change]:
    """Return the later transactions that changed what `undo_ids` changed, newest first.

    They are found transitively (a blocker's own blockers too), in at most
    `BLOCKER_SCAN_LIMIT` later transactions.
    """
    db = connection.db()
    tids = sorted(tid_of(undo_id) for undo_id in undo_ids)
    touched = set()
    for tid in tids:
        touched.update(records_of(db, tid))
    found = []
    start = p64(u64(tids[0]) + 1)
    for count, record in enumerate(db.storage.iterator(start)):
        if count >= BLOCKER_SCAN_LIMIT:
            break
        if record.tid in tids:
            continue
        oids = {data.oid for data in record}
        if oids & touched:
            touched |= oids
            found.append(record.tid)
    wanted, entries = set(found), {}
    for entry in db.undoLog(0, SCAN_LIMIT):
        tid = tid_of(_text(entry["id"]))
        if tid in wanted:
            entries[tid] = entry
    return [describe(connection, entries[tid]) for tid in reversed(found) if tid in entries]
