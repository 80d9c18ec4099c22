"""Folders: containers backed by a B-tree, with a length that never conflicts.

As in Substance D, a folder keeps its items in an `OOBTree` and its size in a
`BTrees.Length.Length`, so a million items cost a million B-tree entries and
`len()` costs nothing. Adding or removing an item never writes the folder
object itself: two transactions adding different names to one folder touch
only B-tree buckets and the length, whose conflicts ZODB resolves.
"""

from itertools import islice

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree

from objweb.content.broken import is_broken
from objweb.content.base import Item
from objweb.content.chunks import keeps_blobs
from objweb.content.positions import PositionSamples
from objweb.errors import NameInUseError, NotFoundError, ValidationError
from objweb.events import ObjectAdded, ObjectMoved, ObjectRemoved, notify
from objweb.names import check_name
from objweb.security import ownership
from objweb.security.principals import current_principal
from objweb.security.protections import ACCESS, CONTAINER_PROTECTIONS
from objweb.traversal.location import is_inside, path_of


class Folder(Item):
    """A container of named objects, a mapping that scales to millions of items."""

    type_name = "Folder"
    is_container = True
    protections = dict(CONTAINER_PROTECTIONS)
    code_access = {"keys": ACCESS, "values": ACCESS, "items": ACCESS, "get": ACCESS}
    # The attributes that hold the items: a change to their records adds or
    # removes items, which is what undoing it needs the rights for.
    item_attributes = ("_items", "_count")

    def __init__(self, title: str = ""):
        super().__init__(title)
        self._items = OOBTree()
        self._count = Length()

    # -- the mapping protocol ------------------------------------------------

    def __getitem__(self, name: str):
        try:
            return self._items[name]
        except TypeError:
            # The B-tree cannot compare a non-string with its keys: no such item.
            raise KeyError(name) from None

    def get(self, name: str, default=None):
        """Return the item `name`, or `default`."""
        return self._items.get(name, default) if isinstance(name, str) else default

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._items

    def __len__(self) -> int:
        return self._count()

    def __bool__(self) -> bool:
        # A folder is a thing, not a collection that is false when empty.
        return True

    def __iter__(self):
        return iter(self._items.keys())

    def keys(self, start: str | None = None, end: str | None = None):
        """Return the names in order, lazily; `start` and `end` bound the range."""
        return self._items.keys(start, end)

    def values(self):
        """Return the objects in name order, lazily."""
        return self._items.values()

    def items(self):
        """Return (name, object) pairs in name order, lazily."""
        return self._items.items()

    def items_releasing(self, keep: int):
        """Yield (name, object) pairs in name order, letting memory go as the walk goes on.

        Past the first `keep` items, a B-tree bucket is turned back into a
        ghost once read, and so is an item that was a ghost before it was
        yielded and is unchanged after: a bucket's state references its
        items, so a listing of 100,000 items would otherwise keep them all
        in the connection's cache until the request ends.
        """
        bucket = self._items._firstbucket
        index = 0
        while bucket is not None:
            following = bucket._next
            for name, obj in bucket.items():
                was_ghost = obj._p_changed is None
                yield name, obj
                if index >= keep and was_ghost and obj._p_changed is False:
                    obj._p_deactivate()
                index += 1
            if index > keep and bucket._p_changed is False:
                bucket._p_deactivate()
            bucket = following

    def keys_at(self, start: int, stop: int) -> list[str]:
        """Return the names at positions `start` up to, not including, `stop`, in order.

        A B-tree has no positions, so reaching the millionth name walks past
        all those before it. Far into a big folder, a sample of every
        `SAMPLE_EVERY`th name, kept in memory for each committed state of the
        folder, turns that walk into a B-tree search plus a short skip.
        """
        stop = min(stop, len(self))
        if start >= stop:
            return []
        samples = _position_samples(self) if start >= SAMPLE_EVERY else None
        if samples is None:
            return list(islice(self._items.keys(), start, stop))
        skip = start % SAMPLE_EVERY
        first = samples[start // SAMPLE_EVERY]
        return list(islice(self._items.keys(first), skip, skip + stop - start))

    def __setitem__(self, name: str, obj) -> None:
        self.add(name, obj)

    def __delitem__(self, name: str) -> None:
        self.remove(name)

    # -- changes --------------------------------------------------------------

    def check_new_name(self, name: str) -> str:
        """Return `name` if an object may be added under it here.

        Raises `ValueError` for a bad name and `NameInUseError` for a taken one.
        """
        check_name(name)
        if name in self._items:
            raise NameInUseError(name, path_of(self))
        return name

    def add(self, name: str, obj):
        """Add `obj` under `name` and return it; announce it (`ObjectAdded`).

        The object's `__name__` and `__parent__` are set only once it is in.
        Raises `ValueError` for a bad name or an object that cannot go here,
        and `NameInUseError` for a name in use: an add never replaces.
        """
        self._put(name, obj)
        notify(ObjectAdded(obj))
        return obj

    def _put(self, name: str, obj) -> None:
        """Add `obj` under `name`, announcing nothing (see `add`)."""
        self.check_new_name(name)
        # A broken object only ever moves: its state, owner included, stays as stored.
        broken = is_broken(obj)
        if not isinstance(obj, Item) and not broken:
            raise ValueError(f"only objweb content can be added, not {type(obj).__name__}")
        if obj.__parent__ is not None:
            raise ValueError(f"{path_of(obj)} is already in a folder; move it instead")
        if is_inside(self, obj):
            raise ValueError("a folder cannot be put inside itself")
        if not broken:
            obj.check_container(self)
        self._items[name] = obj
        self._count.change(1)
        obj.__name__ = name
        obj.__parent__ = self
        if not broken:
            _settle_owner(obj)

    def check_stored_state(self) -> None:
        """Check the state as `Item` does; count the items again (the count is derived).

        Raises `ValidationError`.
        """
        super().check_stored_state()
        if not isinstance(self._items, OOBTree) or not isinstance(self._count, Length):
            raise ValidationError("the items are not a folder's", "items")
        count = len(self._items)
        if self._count() != count:
            self._count.set(count)

    def check_container(self, container) -> None:
        """Let the items, too, fit the database they join (files need blobs or chunks)."""
        if keeps_blobs(container) is False:
            for item in self.values():
                item.check_container(container)

    def remove(self, name: str):
        """Remove the item `name` and return it, detached; announce it (`ObjectRemoved`).

        Raises `NotFoundError` (a `KeyError`) if there is no such item.
        """
        obj = self._take(name)
        notify(ObjectRemoved(obj, self, name))
        return obj

    def _take(self, name: str):
        """Remove the item `name` and return it, announcing nothing (see `remove`)."""
        try:
            obj = self._items.pop(name)
        except KeyError:
            raise NotFoundError(f"{path_of(self)} has no item {name!r}") from None
        self._count.change(-1)
        # An owner stored as a bare id (before pairs) is read where the object
        # is: fixed here, it cannot turn into a namesake at the next place.
        record = ownership.stored_ownership(obj)
        if isinstance(record, str):
            obj.set_ownership(ownership.pinned(obj, record))
        obj.__parent__ = None
        obj.__name__ = None
        return obj

    def rename(self, old_name: str, new_name: str):
        """Give the item `old_name` the name `new_name` and return it (`ObjectMoved`).

        Raises as `add` and `remove`; on a refusal nothing changed.
        """
        if old_name == new_name:
            return self[old_name]
        self.check_new_name(new_name)
        return self.move(old_name, self, new_name)

    def move(self, name: str, target: "Folder", new_name: str | None = None):
        """Move the item `name` into the folder `target` and return it (`ObjectMoved`).

        Raises as `add` and `remove`, and `ValueError` for a target that is
        not a folder; on a refusal nothing changed.
        """
        obj, new_name = self._leaving(name, target, new_name, "moved")
        target._put(new_name, self._take(name))
        notify(ObjectMoved(obj, self, name))
        return obj

    def copy(self, name: str, target: "Folder", new_name: str | None = None):
        """Copy the item `name`, and all below it, into `target`; return the copy.

        The copy keeps the original's owners, local roles and the password
        hashes of any user folder in it (the Python API is trusted code; the
        ZMI's paste gives a user's copies to that user). The folder must be
        stored in a database. Raises as `move`; on a refusal nothing changed.
        """
        obj, new_name = self._leaving(name, target, new_name, "copied")
        return _copier(obj, target, new_name)

    def _leaving(self, name: str, target, new_name: str | None, verb: str) -> tuple:
        """Return the item `name` and the name it takes in `target`, if it may go there.

        Raises `ValueError` for a target that is not a folder, a bad or
        taken name, or a folder put inside itself, and `NotFoundError` for
        a missing item.
        """
        if not isinstance(target, Folder):
            raise ValueError(f"{_described(target)} is not a folder: only a folder can take "
                             f"{path_of(self).rstrip('/')}/{name}")
        if name not in self._items:
            raise NotFoundError(f"{path_of(self)} has no item {name!r}")
        new_name = name if new_name is None else new_name
        target.check_new_name(new_name)
        obj = self._items[name]
        if obj.is_container and is_inside(target, obj):
            raise ValueError(f"a folder cannot be {verb} inside itself")
        return obj, new_name


# Copying a subtree is an export and an import, work of the storage room
# above; the package's wiring (objweb/__init__.py) hands the function over.
_copier = None


def use_copier(copier) -> None:
    """Make `copier(obj, container, name)` the function `Folder.copy` copies with."""
    global _copier
    _copier = copier


def _described(obj) -> str:
    """Name `obj` in a message: its path if it has one, else its kind."""
    path = path_of(obj) if isinstance(obj, Item) and obj.__parent__ is not None else None
    return path or f"a {type(obj).__name__}"


def _settle_owner(obj) -> None:
    """Give an object just added its owner: whoever adds it, if it has none yet.

    A user that trusted code named before the object had a place is looked
    up now, in the nearest user folder above it that holds the name.
    """
    record = ownership.stored_ownership(obj)
    principal = current_principal()
    settled = record
    if record is None:
        settled = ownership.ownership_of(principal, obj)
    elif record.__class__ is tuple and record[0] is None and record[1] is not None \
            and ownership.is_trusted(principal):
        settled = ownership.ownership_by_id(obj, record[1])
    if settled != record:
        obj.set_ownership(settled)


SAMPLE_EVERY = 256
# The samples of every big folder this process reads, per database.
position_samples = PositionSamples()


def _position_samples(folder: Folder) -> tuple | None:
    """Return every `SAMPLE_EVERY`th name of a stored folder's committed state, or None.

    Every add or remove changes the folder's length counter in the same
    transaction, so the counter's serial names the state of the B-tree: a
    sample made for one serial is valid for as long as the counter keeps it.
    A folder changed in the current transaction has no committed state to
    sample, and gets None.
    """
    jar, count = folder._p_jar, folder._count
    if jar is None or count._p_jar is None or count._p_changed:
        return None
    count._p_activate()
    db, oid, serial = jar.db(), folder._p_oid, count._p_serial
    samples = position_samples.get(db, oid, serial)
    if samples is None:
        samples = tuple(islice(folder._items.keys(), 0, None, SAMPLE_EVERY))
        position_samples.keep(db, oid, serial, samples)
    return samples
