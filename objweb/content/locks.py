"""WebDAV locks, kept in the database: every process over ZEO and every restart sees them.

A lock (RFC 4918) is on a path, not on an object: it names the object path
it was taken on (`/news/hello`, `/` for the root), its scope (exclusive or
shared), its depth (`0`, or `infinity` for a folder and everything below
it), the client's owner text, the user holding it (the user folder's path
and the id, as ownership names a user), and when it expires.

One `LockTable` hangs off the database's root mapping: an OOBTree from path
to the tuple of locks rooted there. Reads skip expired locks; lock changes
drop the expired locks of the path they touch, and `sweep` drops them all
(`objweb pack` runs it). No thread or timer is involved, since processes
over ZEO share nothing but the database.

Checking a lock and writing must be one decision across processes. A
request that checked the locks calls `Locks.mark_read`, which asks ZODB to
verify at commit that the table is still as read (`Connection.readCurrent`);
every lock change writes the table object itself. So a lock taken by
another process between the check and the commit makes the commit a
`ConflictError`, and the publisher's replay sees the lock.
"""

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

from BTrees.OOBTree import OOBTree
from persistent import Persistent

TABLE_KEY = "objweb.webdav_locks"
DEFAULT_TIMEOUT = 3600
MAX_TIMEOUT = 7 * 24 * 3600
MAX_OWNER_LENGTH = 4096
EXCLUSIVE, SHARED = "exclusive", "shared"
SCOPES = (EXCLUSIVE, SHARED)
DEPTHS = ("0", "infinity")
TOKEN_PREFIX = "opaquelocktoken:"


@dataclass(frozen=True)
class Lock:
    """One lock: where, how, whose, and until when (seconds since the epoch)."""

    token: str
    path: str
    scope: str
    depth: str
    owner_xml: str
    holder: tuple          # (path of the user folder, user id)
    timeout: int
    expires: float

    def is_alive(self, now: float) -> bool:
        """Return whether the lock still holds at `now`."""
        return self.expires >= now

    def covers(self, path: str) -> bool:
        """Return whether this lock applies to `path`: its own, or below it at depth infinity."""
        return path == self.path or (self.depth == "infinity" and is_below(path, self.path))


def is_below(path: str, ancestor: str) -> bool:
    """Return whether the object path `path` lies strictly below `ancestor`."""
    return path.startswith(_prefix(ancestor)) and path != ancestor


def _prefix(path: str) -> str:
    return "/" if path == "/" else path.rstrip("/") + "/"


def _range_end(prefix: str) -> str:
    # Every path below `prefix` sorts before this key: '/' + 1 is '0'.
    return prefix[:-1] + "0"


class LockTable(Persistent):
    """The site's locks: an OOBTree from path to the tuple of locks rooted there.

    `changes` is rewritten on every lock change, so that the table object
    itself changes and readers that marked it current see a conflict.
    """

    def __init__(self):
        self.by_path = OOBTree()
        self.changes = 0


def lock_table(connection, *, create: bool = False) -> LockTable | None:
    """Return the connection's lock table (made on first use if `create`), or None."""
    root = connection.root()
    table = root.get(TABLE_KEY)
    if table is None and create:
        table = root[TABLE_KEY] = LockTable()
    return table


def clamp_timeout(seconds: int) -> int:
    """Return `seconds` as a lock's timeout: at least 1 s, at most `MAX_TIMEOUT`."""
    return min(max(1, int(seconds)), MAX_TIMEOUT)


class Locks:
    """The locks as one request's connection sees them, at one moment."""

    def __init__(self, connection, now: float | None = None):
        self.connection = connection
        self.now = time.time() if now is None else now

    def _table(self, *, create: bool = False) -> LockTable | None:
        return lock_table(self.connection, create=create)

    def at(self, path: str) -> tuple:
        """Return the live locks rooted at `path`."""
        table = self._table()
        if table is None:
            return ()
        return tuple(lock for lock in table.by_path.get(path, ()) if lock.is_alive(self.now))

    def covering(self, path: str) -> list[Lock]:
        """Return the live locks that apply to `path`: its own and its ancestors' at depth infinity."""
        if self._table() is None:
            return []
        found = list(self.at(path))
        segments = [segment for segment in path.split("/") if segment]
        for count in range(len(segments)):
            ancestor = "/" + "/".join(segments[:count])
            found.extend(lock for lock in self.at(ancestor) if lock.depth == "infinity")
        return found

    def below(self, path: str) -> list[Lock]:
        """Return the live locks rooted strictly below `path`."""
        return [lock for _path, locks in self._rooted_below(path) for lock in locks]

    def members_locks(self, folder_path: str) -> dict[str, tuple]:
        """Return {path: live locks} for the paths strictly below a folder, in one range scan."""
        return {path: locks for path, locks in self._rooted_below(folder_path)}

    def _rooted_below(self, path: str) -> Iterator[tuple[str, tuple]]:
        table = self._table()
        if table is None:
            return
        prefix = _prefix(path)
        for key, locks in table.by_path.items(prefix, _range_end(prefix), excludemax=True):
            alive = tuple(lock for lock in locks if lock.is_alive(self.now))
            if alive and key != path:
                yield key, alive

    def by_token(self, token: str, path: str) -> Lock | None:
        """Return the live lock `token` if it applies to `path`, else None."""
        return next((lock for lock in self.covering(path) if lock.token == token), None)

    def mark_read(self) -> None:
        """Make this transaction's commit fail if another one changes any lock meanwhile."""
        table = self._table()
        # Only a stored table can be checked; one made in this transaction is new anyway.
        if table is not None and table._p_jar is self.connection and table._p_oid is not None:
            self.connection.readCurrent(table)

    def add(self, *, path: str, scope: str, depth: str, owner_xml: str, holder: tuple,
            timeout: int) -> Lock:
        """Take a new lock and return it. Raises `ValueError` for a bad scope, depth or owner."""
        if scope not in SCOPES or depth not in DEPTHS:
            raise ValueError(f"a lock is exclusive or shared, of depth 0 or infinity; "
                             f"not {scope!r}, {depth!r}")
        if len(owner_xml) > MAX_OWNER_LENGTH:
            raise ValueError(f"a lock's owner is at most {MAX_OWNER_LENGTH} characters")
        timeout = clamp_timeout(timeout)
        lock = Lock(TOKEN_PREFIX + secrets.token_hex(16), path, scope, depth, owner_xml,
                    tuple(holder), timeout, self.now + timeout)
        self._store(path, self.at(path) + (lock,))
        return lock

    def refresh(self, lock: Lock, timeout: int) -> Lock:
        """Give `lock` a new timeout from now and return the refreshed lock."""
        timeout = clamp_timeout(timeout)
        fresh = replace(lock, timeout=timeout, expires=self.now + timeout)
        self._store(lock.path, tuple(fresh if other.token == lock.token else other
                                     for other in self.at(lock.path)))
        return fresh

    def remove(self, lock: Lock) -> None:
        """Drop `lock` (gone already is fine)."""
        self._store(lock.path, tuple(other for other in self.at(lock.path)
                                     if other.token != lock.token))

    def remove_tree(self, path: str) -> None:
        """Drop every lock rooted at or below `path` (what was there is gone or moved)."""
        table = self._table()
        if table is None:
            return
        prefix = _prefix(path)
        doomed = list(table.by_path.keys(prefix, _range_end(prefix), excludemax=True))
        doomed += [path] if path in table.by_path else []
        for key in doomed:
            table.by_path.pop(key, None)
        if doomed:
            table.changes += 1

    def _store(self, path: str, locks: tuple) -> None:
        table = self._table(create=True)
        if locks:
            table.by_path[path] = locks
        else:
            table.by_path.pop(path, None)
        table.changes += 1

    def everything(self, path: str = "/") -> list[Lock]:
        """Return every live lock rooted at or below `path`, in path order."""
        return list(self.at(path)) + self.below(path)


def sweep(connection, now: float | None = None) -> int:
    """Drop every expired lock; return how many went."""
    table = lock_table(connection)
    if table is None:
        return 0
    now = time.time() if now is None else now
    dropped = 0
    for path, locks in list(table.by_path.items()):
        alive = tuple(lock for lock in locks if lock.is_alive(now))
        dropped += len(locks) - len(alive)
        if not alive:
            del table.by_path[path]
        elif len(alive) != len(locks):
            table.by_path[path] = alive
    if dropped:
        table.changes += 1
    return dropped
