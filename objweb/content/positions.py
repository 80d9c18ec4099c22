"""Position samples of big folders, kept in memory for each committed state of a folder.

A B-tree has no positions: `Folder.keys_at` far into a big folder starts from
the nearest sampled name instead of walking from the first. The samples of a
folder are valid for one committed state, named by a serial; they are kept
per database, so two databases in one process never share them.
"""

import weakref


class PositionSamples:
    """Every so many names of stored folders, for at most `capacity` folders per database.

    When a database's samples reach `capacity` folders, sampling another
    drops them all and starts again: one walk of a folder remakes its
    samples, which costs less than keeping entries in order. A database's
    samples go when the database does.
    """

    def __init__(self, capacity: int = 256):
        self.capacity = capacity
        self._by_db: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def get(self, db, oid: bytes, serial: bytes) -> tuple | None:
        """Return the samples kept for the folder `oid` of `db` in the state `serial`, or None."""
        known = self._by_db.get(db, {}).get(oid)
        if known is None or known[0] != serial:
            return None
        return known[1]

    def keep(self, db, oid: bytes, serial: bytes, samples: tuple) -> None:
        """Keep `samples` for the folder `oid` of `db` in the state `serial`."""
        per_db = self._by_db.setdefault(db, {})
        if oid not in per_db and len(per_db) >= self.capacity:
            per_db.clear()
        per_db[oid] = (serial, samples)

    def count(self, db) -> int:
        """Return how many folders of `db` have samples kept."""
        return len(self._by_db.get(db, ()))
