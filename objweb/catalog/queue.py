"""The catalog's queue: which objects the indexes are behind on, written with each change.

A change to the tree writes, in its own transaction, one entry per object
whose indexed values it changed: a docid (the object's oid as a number)
and what changed, `CONTENT` (its own values, or its place), `SECURITY`
(only who may View it: the indexes' other values still hold) or
`REMOVED` (it left the site). A failed request aborts its entries with it.
Searches never trust the indexes for a docid in the queue: they look at
the object itself (see `objweb.catalog.overlay`). The drainer indexes
queued objects in batches, in transactions of its own, and takes each
entry out only if no change came since it read it.

Entries live in `SHARDS` small records whose concurrent changes merge (as
`BTrees.Length` does): writers adding to one folder at once never conflict
here, and a commit pickles one shard, not the whole backlog.
"""

import secrets

from persistent import Persistent

CONTENT, SECURITY, REMOVED = 1, 2, 4
SHARDS = 32
_TOKEN_LIMIT = 1 << 62


class PendingShard(Persistent):
    """Queued docids, each with a token (which change) and the bits of what changed.

    Conflicts resolve key by key: a change on one side only is kept; a
    docid changed on both sides keeps the union of what changed under a
    token neither side had, unless one side took it out, which loses to the
    other's new entry (the drainer takes entries out; only writers set them).
    ZEO resolves conflicts in the server, which imports this class too.
    """

    def __init__(self):
        self.entries: dict[int, tuple[int, int]] = {}

    def mark(self, docid: int, bits: int) -> None:
        """Queue `docid` for what `bits` say changed, on top of what is queued already."""
        known = self.entries.get(docid)
        # From the system's source: a process that seeds `random` makes no
        # tokens another process makes too.
        self.entries[docid] = (1 + secrets.randbelow(_TOKEN_LIMIT - 1),
                               bits | (known[1] if known else 0))
        self._p_changed = True

    def take_out(self, drained: dict[int, int]) -> None:
        """Take out each drained docid whose token is still the one drained."""
        entries = self.entries
        for docid, token in drained.items():
            known = entries.get(docid)
            if known is not None and known[0] == token:
                del entries[docid]
        self._p_changed = True

    def __len__(self) -> int:
        return len(self.entries)

    def _p_resolveConflict(self, old, committed, new):  # noqa: N802 (ZODB's name)
        before, theirs, ours = (state.get("entries", {}) for state in (old, committed, new))
        merged = dict(theirs)
        for docid in set(before) | set(ours):
            mine, base = ours.get(docid), before.get(docid)
            if mine == base:
                continue
            other = theirs.get(docid)
            if other == base or other is None:
                _put(merged, docid, mine)
            elif mine is not None:
                merged[docid] = (mine[0] ^ other[0] or 1, mine[1] | other[1])
        return {**committed, "entries": merged}


def _put(merged: dict, docid: int, entry) -> None:
    if entry is None:
        merged.pop(docid, None)
    else:
        merged[docid] = entry


def new_shards() -> tuple:
    """Return the shards of a new catalog."""
    return tuple(PendingShard() for _ in range(SHARDS))


def shard_of(shards: tuple, docid: int) -> PendingShard:
    """Return the shard `docid` is queued in by writers."""
    return shards[docid % len(shards)]


def pending(shards: tuple) -> dict[int, int]:
    """Return every queued docid with the union of its bits, across all shards."""
    found: dict[int, int] = {}
    for shard in shards:
        for docid, (_token, bits) in shard.entries.items():
            found[docid] = found.get(docid, 0) | bits
    return found


def backlog(shards: tuple) -> int:
    """Return how many entries are queued."""
    return sum(len(shard) for shard in shards)

