"""Packing: dropping the object revisions nobody can undo to any more.

`pack(db, days=N)` keeps every revision that is current now or was current
at any time in the last N days, so the undo history of the last N days
survives; older revisions, and objects no longer reachable, are removed
(with their blob files). It works on every storage objweb opens: a
FileStorage in place, a ZEO server's storage through the client, RelStorage
in PostgreSQL.
"""

import time

DAY = 86400.0


def pack_time(days: float = 0.0, *, now: float | None = None) -> float:
    """Return the time (seconds since the epoch) a pack keeping `days` of history packs to.

    Raises `ValueError` for a negative number of days.
    """
    if days < 0:
        raise ValueError(f"cannot keep {days} days of history; give 0 or more")
    return (time.time() if now is None else now) - days * DAY


def pack(db, days: float = 0.0, *, now: float | None = None) -> float:
    """Pack `db`, keeping the history of the last `days` days; return the pack time.

    `now` stands for the present (tests use it to put the cut between
    known transactions). Raises `ValueError` for negative days; a storage's
    own errors pass through.
    """
    cutoff = pack_time(days, now=now)
    db.pack(t=cutoff)
    return cutoff
