"""The transaction history: what each change touched, for the Undo tab.

The storage lists its transactions (`undoLog`) and the records each one
wrote (`iterator`); `objweb.storage.records` finds where in the site each
record belongs, which gives the paths a change is shown with and tells
whether it lies wholly inside a folder.

Undo ids are the storage's own (base64 of the transaction id, as
FileStorage, ZEO and RelStorage write them). Undoing is
`objweb.storage.undo`'s work, and who may undo what is
`objweb.storage.reversal`'s to say.
"""

import base64
import binascii
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from objweb.catalog.store import is_catalog_note
from objweb.storage.records import Placement, place_records, records_of
from objweb.traversal.location import is_inside

PATH_LIMIT = 12
SCAN_LIMIT = 2000
# The transaction's extended information where a change records the path of the
# request that made it (the management screens do), which places its records.
REQUEST_PATH_KEY = "request_path"
# A random mark a change leaves in its transaction, so a link can point at that one change.
CHANGE_MARK_KEY = "change_mark"


@dataclass(frozen=True)
class Change:
    """One transaction as the Undo tab shows it, with where its records belong."""

    undo_id: str
    tid: bytes
    time: float
    user: str
    path: str
    note: str
    paths: tuple = ()
    hidden: int = 0
    # The mark the change's screen left, for a link to this very change ("" if none).
    mark: str = ""
    placement: Placement = field(default_factory=Placement, compare=False, repr=False)

    def touches(self, path: str) -> bool:
        """Whether the request or an object changed lies at or below `path`."""
        return any(is_below(candidate, path) for candidate in (self.path,) + self.paths)

    def is_wholly_inside(self, folder) -> bool:
        """Whether every record the change wrote belongs to `folder` or what is below it."""
        placement = self.placement
        return bool(placement.places) and placement.is_complete and all(
            is_inside(place.obj, folder) for place in placement.places)


@dataclass(frozen=True)
class Filter:
    """What the history is narrowed to: a user, a path, and a range of days (UTC)."""

    user: str = ""
    path: str = ""
    since: date | None = None
    until: date | None = None

    def accepts(self, entry: dict) -> bool:
        """Whether an `undoLog` entry passes the user and date conditions.

        Transactions that only kept the catalog are never listed.
        """
        if is_catalog_note(entry.get("description", "")):
            return False
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


def text_of(value) -> str:
    """Return a transaction field (bytes or text) as text."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else (value or "")


def split_user(user_name) -> tuple[str, str]:
    """Return (path of the user's folder, user id) from a transaction's user field.

    As in Zope, the field holds the path of the folder whose user folder
    defines the user, a space, and the user id (`/ admin`).
    """
    folder, _, user = text_of(user_name).rpartition(" ")
    return folder, user


_REQUEST_LINE = re.compile(r"^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/\S*)$")


def split_description(description) -> tuple[str, str]:
    """Return (request path, note) from a transaction's description.

    A change that left no note is described by its request line
    (`PUT /news/report`); the management screens record their path in the
    transaction's extended information instead.
    """
    lines = [line for line in text_of(description).splitlines() if line.strip()]
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

def history(connection, where: Filter, *, start: int = 0, size: int = 20,
            inside=None) -> tuple[list, bool]:
    """Return up to `size` changes from the `start`-th match, newest first, and whether
    more follow.

    With `inside` (a folder), only the changes wholly inside it are listed,
    whatever `where` says: a folder's history shows nothing of the rest of
    the site.
    """
    db = connection.db()
    wanted = start + size + 1
    if inside is None and (not where.path or where.path == "/"):
        entries = db.undoLog(start, start + size + 1, where.accepts)
        changes = [change_of(connection, entry) for entry in entries]
        return changes[:size], len(changes) > size
    matches = []
    for entry in db.undoLog(0, SCAN_LIMIT, where.accepts):
        change = change_of(connection, entry)
        if inside is not None and not change.is_wholly_inside(inside):
            continue
        if change.touches(where.path):
            matches.append(change)
            if len(matches) >= wanted:
                break
    return matches[start:start + size], len(matches) > start + size


def change_of(connection, entry: dict) -> Change:
    """Return the `Change` of one `undoLog` entry, with the paths it touched."""
    undo_id = text_of(entry["id"])
    tid = tid_of(undo_id)
    _, user = split_user(entry.get("user_name", ""))
    request_path, note = split_description(entry.get("description", ""))
    request_path = text_of(entry.get(REQUEST_PATH_KEY)) or request_path
    placement = place_records(connection, tid, records_of(connection.db(), tid), request_path)
    paths = placement.paths
    hidden = placement.unplaced + placement.unexamined + max(0, len(paths) - PATH_LIMIT)
    return Change(undo_id, tid, entry.get("time", 0), user, request_path, note,
                  tuple(paths[:PATH_LIMIT]), hidden, text_of(entry.get(CHANGE_MARK_KEY)),
                  placement)
