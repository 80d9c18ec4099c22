"""The history of a Template's, Script's or Page's source, kept with the object.

A type lists the fields its source is made of in `history_fields`. Each new
object of such a type, and each change `edit` makes to those fields (from
any door: the management screens, the JSON API, WebDAV, the Python API,
`objweb push`), records a `Revision`: who, when, an optional note and the
values of those fields. Revisions live in a small `RevisionLog` that the
object itself references, so they are stored, exported and packed with it:
unlike Zope's History, read from the undo log, `objweb pack` keeps them.

Each revision is a persistent record of its own, so recording one writes that
record and the log's short list of references, never the older sources
again, and loading the object to run it loads none of them. The log keeps
the newest revisions only, as many as `keeping` says (the publisher and the
commands set it from the `history_size` setting; `DEFAULT_KEPT` otherwise);
dropped revisions are removed from the database by the next pack. Ids count
up from 1 for each object and are never reused.

Who is the current principal's user id (None for trusted code with no
user). A door with a note for the next revision says so with `noting`.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from persistent import Persistent

from objweb.errors import NotFoundError, ValidationError
from objweb.security.principals import current_user_id

HISTORY_ATTRIBUTE = "_history"
DEFAULT_KEPT = 50
MAX_NOTE_LENGTH = 1000
BEFORE_HISTORY_NOTE = "the source before its history was kept"

_kept: ContextVar[int] = ContextVar("objweb_revisions_kept", default=DEFAULT_KEPT)
_note: ContextVar[str] = ContextVar("objweb_revision_note", default="")


@contextmanager
def keeping(count: int) -> Iterator[int]:
    """Keep the newest `count` revisions (at least one) of what is recorded in the block."""
    token = _kept.set(max(1, int(count)))
    try:
        yield _kept.get()
    finally:
        _kept.reset(token)


@contextmanager
def noting(note: str) -> Iterator[str]:
    """Give the revisions recorded in the block the note `note` (one line, trimmed)."""
    token = _note.set(clean_note(note))
    try:
        yield _note.get()
    finally:
        _note.reset(token)


def clean_note(note) -> str:
    """Return `note` as one line of at most `MAX_NOTE_LENGTH` characters.

    Raises `ValidationError` for a note that is not text.
    """
    if note is None:
        return ""
    if not isinstance(note, str):
        raise ValidationError("a note is text", "note")
    return " ".join(note.split())[:MAX_NOTE_LENGTH]


class Revision(Persistent):
    """One recorded state of a source: its id, author, time, note and field values."""

    def __init__(self, revision_id: int, values: dict, *, author: str | None,
                 moment: float, note: str = ""):
        self.id = revision_id
        self.fields = tuple(values.items())
        self.author = author
        self.time = moment
        self.note = note

    @property
    def values(self) -> dict:
        """The field values this revision holds, by field name."""
        return dict(self.fields)

    def __repr__(self) -> str:
        return f"<Revision {self.id} by {self.author!r}>"


class RevisionLog(Persistent):
    """The kept revisions of one object, oldest first."""

    def __init__(self):
        self.revisions: tuple = ()
        self.last_id = 0

    def add(self, values: dict, *, author: str | None, note: str = "", kept: int,
            moment: float | None = None) -> Revision:
        """Record `values` as the newest revision, keeping the newest `kept`; return it."""
        self.last_id += 1
        revision = Revision(self.last_id, values, author=author, note=note,
                            moment=time.time() if moment is None else moment)
        self.revisions = (self.revisions + (revision,))[-max(1, kept):]
        return revision

    def newest_first(self) -> list[Revision]:
        """Return the kept revisions, newest first."""
        return list(reversed(self.revisions))

    @property
    def latest(self) -> Revision | None:
        """The newest revision, or None."""
        return self.revisions[-1] if self.revisions else None

    def get(self, revision_id) -> Revision:
        """Return the revision with id `revision_id`.

        Raises `NotFoundError` for an id that names no kept revision.
        """
        for revision in self.revisions:
            if revision.id == revision_id and type(revision_id) is int:
                return revision
        raise NotFoundError(f"there is no revision {revision_id!r}")

    def __len__(self) -> int:
        return len(self.revisions)


def keeps_history(obj_or_type) -> bool:
    """Return whether an object (or type) records the revisions of its source."""
    return bool(getattr(obj_or_type, "history_fields", ()))


def log_of(obj) -> RevisionLog | None:
    """Return the revision log of `obj`, or None if it has recorded nothing yet."""
    log = getattr(obj, HISTORY_ATTRIBUTE, None)
    return log if isinstance(log, RevisionLog) else None


def revisions_of(obj) -> list[Revision]:
    """Return the kept revisions of `obj`, newest first."""
    log = log_of(obj)
    return log.newest_first() if log is not None else []


def revision_of(obj, revision_id) -> Revision:
    """Return revision `revision_id` of `obj`. Raises `NotFoundError` if it is not kept."""
    log = log_of(obj)
    if log is None:
        raise NotFoundError(f"there is no revision {revision_id!r}")
    return log.get(revision_id)


def source_values(obj) -> dict:
    """Return the current values of `obj`'s history fields."""
    return {name: getattr(obj, name) for name in obj.history_fields}


def record(obj, *, note: str | None = None, previous: dict | None = None) -> Revision:
    """Record the current source of `obj` as its newest revision, and return it.

    `note` defaults to the one `noting` gives. An object that recorded
    nothing yet but had a source before this change (`previous`, with the
    time it was last changed) first records that as revision 1, by nobody.
    """
    log = log_of(obj)
    kept = _kept.get()
    if log is None:
        log = RevisionLog()
        setattr(obj, HISTORY_ATTRIBUTE, log)
        if previous is not None:
            log.add(previous, author=None, note=BEFORE_HISTORY_NOTE, kept=kept,
                    moment=getattr(obj, "modified", None))
    return log.add(source_values(obj), author=current_user_id(),
                   note=_note.get() if note is None else clean_note(note), kept=kept)


def revert(obj, revision_id, *, note: str = "", clean=None) -> Revision:
    """Make revision `revision_id` of `obj` its source again through `edit`; return the new one.

    The new revision is noted as a revert, followed by `note`. `clean`, if
    given, turns the old values into those the current writer may store (a
    Page's HTML cleaned). As any edit, whoever reverts code owns it. Raises
    `ValidationError` for a revision that is not kept or that is the current
    source, and what `edit` raises.
    """
    try:
        revision = revision_of(obj, revision_id)
    except NotFoundError:
        raise ValidationError(f"revision: there is no revision {revision_id!r} any more",
                              "revision") from None
    values = revision.values if clean is None else clean(revision.values)
    before = log_of(obj).latest.id
    said = f"reverted to revision {revision.id}" + (f": {clean_note(note)}" if note else "")
    with noting(said):
        obj.edit(**values)
    newest = log_of(obj).latest
    if newest.id == before:
        raise ValidationError(f"revision: revision {revision.id} is the current source already",
                              "revision")
    return newest


def start_afresh(obj, note: str) -> Revision:
    """Replace the history of `obj` with one revision of its current source; return it.

    For objects that arrive by import or paste: a history read from a file
    could name any author, and a copy's history is the original's.
    """
    if getattr(obj, HISTORY_ATTRIBUTE, None) is not None:
        delattr(obj, HISTORY_ATTRIBUTE)
    return record(obj, note=note)


def check_history(obj) -> None:
    """Check the history a stored state brings; raise `ValidationError` if it is malformed."""
    log = getattr(obj, HISTORY_ATTRIBUTE, None)
    if log is None:
        return
    if not isinstance(log, RevisionLog) or not isinstance(log.revisions, tuple) \
            or type(log.last_id) is not int:
        raise ValidationError("the history is not a revision log", "history")
    fields = tuple(obj.history_fields)
    for revision in log.revisions:
        if not isinstance(revision, Revision) or type(revision.id) is not int \
                or not 0 < revision.id <= log.last_id:
            raise ValidationError("the history holds something that is not a revision",
                                  "history")
        names = tuple(name for name, _ in revision.fields)
        if names != fields or not all(isinstance(value, str) for _, value in revision.fields):
            raise ValidationError(f"revision {revision.id} holds other fields than the "
                                  "source's", "history")
        if not (revision.author is None or isinstance(revision.author, str)) \
                or not isinstance(revision.note, str) \
                or isinstance(revision.time, bool) or not isinstance(revision.time, (int, float)):
            raise ValidationError(f"revision {revision.id} is malformed", "history")
