"""The catalog in the database: metadata, the indexes (zope.index), the queue.

It lives at `connection.root()["objweb.catalog"]`, beside the site's root
folder and outside the URL tree, and holds nothing but persistent objects
and B-trees, so it works alike over FileStorage, ZEO and RelStorage. A
docid is the object's oid read as a number: copies and imports get new
ones for free, and no map from docids to objects is needed.

Every index is one of zope.index's (a `FieldIndex`, a `KeywordIndex`, an
Okapi BM25 `TextIndex`), 64-bit, fed the values of an `Entry`; the
catalog adds `metadata` (docid to the row results are made of, so a result
loads no object) and `paths` (path to docid). Times are indexed twice: by
the minute (to sort) and by the hour (to select a range cheaply), and the
exact time in the metadata decides at the range's ends.
"""

from BTrees import family64
from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent import Persistent
from ZODB.utils import p64, u64
from zope.index.field import FieldIndex
from zope.index.keyword import KeywordIndex
from zope.index.text.lexicon import Lexicon
from zope.index.text.okapiindex import OkapiIndex
from zope.index.text.textindex import TextIndex

from objweb.catalog import custom
from objweb.catalog.queue import new_shards
from objweb.catalog.record import Entry, sortable_title
from objweb.catalog.text import FoldingSplitter
from objweb.content.broken import BrokenItem, is_broken

CATALOG_KEY = "objweb.catalog"
# Transactions that only keep the catalog (drains, reindexing) say so in
# their note's first words; the Undo tab leaves them out.
CATALOG_NOTE = "objweb catalog:"
FIELD_INDEXES = ("type", "id", "title", "parent", "created", "modified", "created_hour",
                 "modified_hour", "owner", "allowed", "guarded_allowed")
TEXT_INDEXES = ("text", "guarded_text")
MINUTE, HOUR = 60, 3600


def docid_of(obj) -> int:
    """Return the docid of a stored object: its oid as a number."""
    return u64(obj._p_oid)


def oid_of(docid: int) -> bytes:
    """Return the oid a docid stands for."""
    return p64(docid)


def minute(seconds: float) -> int:
    """Return the minute a time falls in, as the sort indexes key it."""
    return int(seconds // MINUTE)


def hour(seconds: float) -> int:
    """Return the hour a time falls in, as the range indexes key it."""
    return int(seconds // HOUR)


class Lease(Persistent):
    """Which process drains the queue, until when: several servers over ZEO take turns."""

    def __init__(self):
        self.holder = ""
        self.until = 0.0


class Catalog(Persistent):
    """The indexes, metadata and queue of one site."""

    # A catalog made before checkpoints were kept has none until it is opened
    # (`objweb.catalog.manage.ensure_catalog` fills them).
    checkpoints = None

    def __init__(self, *, built: bool = True):
        self.metadata = family64.IO.BTree()
        self.paths = family64.OI.BTree()
        self.lexicon = Lexicon(FoldingSplitter())
        self.indexes = OOBTree()
        for name in FIELD_INDEXES:
            self.indexes[name] = FieldIndex(family64)
        for name in TEXT_INDEXES:
            self.indexes[name] = self._text_index()
        # The paths of the containers where the walk-through check may refuse
        # (see `objweb.catalog.checkpoints`), kept with each change.
        self.checkpoints = OOTreeSet()
        # Custom indexes: name -> kind; those still filling: name -> docids left to read.
        self.custom = OOBTree()
        self.filling = OOBTree()
        self.queue = new_shards()
        self.lease = Lease()
        # False for a site that had objects before its catalog: until a first
        # full reindex, searches walk the tree.
        self.built = built

    def clear(self) -> None:
        """Empty every index and the metadata, keeping the custom indexes' definitions.

        The catalog is then not built: searches walk the tree until a full
        reindex has read the site again. The queue stays as it is.
        """
        self.metadata = family64.IO.BTree()
        self.paths = family64.OI.BTree()
        self.lexicon = Lexicon(FoldingSplitter())
        kinds = dict(self.custom.items())
        self.indexes = OOBTree()
        for name in FIELD_INDEXES:
            self.indexes[name] = FieldIndex(family64)
        for name in TEXT_INDEXES:
            self.indexes[name] = self._text_index()
        for name, kind in kinds.items():
            self.indexes[name] = self._custom_index(kind)
        self.filling = OOBTree()
        self.built = False

    def _text_index(self) -> TextIndex:
        return TextIndex(self.lexicon, OkapiIndex(self.lexicon, family64))

    # -- custom indexes ---------------------------------------------------------

    def add_custom(self, name: str, kind: str) -> None:
        """Make an empty custom index `name` of `kind`, to be filled from every docid.

        Raises `ValueError` for a bad name or kind, or a name in use with another kind.
        """
        custom.check_index_name(name)
        custom.check_kind(kind)
        if name in self.custom:
            if self.custom[name] != kind:
                raise ValueError(f"there is a {self.custom[name]} index {name!r} already")
            return
        self.custom[name] = kind
        self.indexes[name] = self._custom_index(kind)
        if self.metadata:
            self.filling[name] = family64.IF.TreeSet(self.metadata.keys())

    def remove_custom(self, name: str) -> None:
        """Forget the custom index `name`. Raises `KeyError` if there is none."""
        del self.custom[name]
        del self.indexes[name]
        self.filling.pop(name, None)

    def _custom_index(self, kind: str):
        if kind == "keyword":
            return KeywordIndex(family64)
        if kind == "text":
            return self._text_index()
        return FieldIndex(family64)

    def custom_names(self) -> tuple:
        """Return the names of the custom indexes, sorted."""
        return tuple(self.custom.keys())

    def is_filling(self, name: str) -> bool:
        """Return whether the custom index `name` has docids left to read."""
        return name in self.filling

    # -- indexing -----------------------------------------------------------------

    def index(self, docid: int, entry: Entry) -> None:
        """Make every index hold `entry` for `docid` (replacing what they held)."""
        old = self.metadata.get(docid)
        if old is not None and old[0] != entry.path and self.paths.get(old[0]) == docid:
            del self.paths[old[0]]
        row = entry.row()
        if old != row:
            self.metadata[docid] = row
        if self.paths.get(entry.path) != docid:
            self.paths[entry.path] = docid
        for name, value in _field_values(entry).items():
            _put(self.indexes[name], docid, value)
        for name, text in (("text", entry.text), ("guarded_text", entry.guarded_text)):
            _put(self.indexes[name], docid, text or None)
        for name in self.custom.keys():
            self.index_custom(name, docid, entry.values.get(name))

    def index_custom(self, name: str, docid: int, value) -> None:
        """Make the custom index `name` hold `value` (a raw field or property value)."""
        kind = self.custom[name]
        index = self.indexes[name]
        if kind == "field":
            _put(index, docid, custom.field_key(value))
        elif kind == "keyword":
            _put(index, docid, custom.keywords_of(value) or None)
        elif kind == "text":
            _put(index, docid, custom.text_of(value) or None)
        else:
            _put(index, docid, custom.seconds_of(value))

    def unindex(self, docid: int) -> None:
        """Forget `docid` everywhere."""
        row = self.metadata.pop(docid, None)
        if row is not None and self.paths.get(row[0]) == docid:
            del self.paths[row[0]]
        for index in self.indexes.values():
            index.unindex_doc(docid)

    def __len__(self) -> int:
        return len(self.metadata)

    # -- reading ----------------------------------------------------------------

    def field(self, name: str) -> FieldIndex:
        """Return the field index `name`."""
        return self.indexes[name]

    def below(self, path: str, depth: int | None = None):
        """Return the docids indexed below `path` (at most `depth` levels down), as a set.

        A container's items share its path in the `parent` index: a subtree
        is the union of the sets of the containers at or below `path`.
        """
        return family64.IF.multiunion(self.sets_below(path, depth))

    def sets_below(self, path: str, depth: int | None = None) -> list:
        """Return the `parent` index's own sets whose union is `below(path, depth)`.

        They do not overlap; the caller only reads them.
        """
        forward = self.indexes["parent"]._fwd_index
        base = "" if path == "/" else path
        top = None if depth is None else _segments(path) + depth
        found = []
        if path in forward:
            found.append(forward[path])
        if depth != 1:
            for key in forward.keys(base + "/", base + "/\U0010ffff"):
                if key != path and (top is None or _segments(key) < top):
                    found.append(forward[key])
        return found

    def hold_below(self, connection, path: str) -> None:
        """Make the transaction fail if, before it commits, another indexes anything below `path`.

        A change to a whole subtree reads which docids the indexes hold
        below it; whatever the `parent` index's records for that range are
        when it read them must still be current when it commits (ZODB's
        `readCurrent`), or a drainer that indexed an object there meanwhile,
        from the state before the change, would go unnoticed.
        """
        forward = self.indexes["parent"]._fwd_index
        base = "" if path == "/" else path
        hold_range(connection, forward, path, base + "/\U0010ffff")
        for docids in forward.values(path, base + "/\U0010ffff"):
            hold_range(connection, docids, None, None)


def hold_range(connection, tree, low, high) -> None:
    """Mark current every record of a B-tree or tree set that holds, or could take, keys in [low, high].

    None for `low` or `high` leaves that end open.
    """
    tree._p_activate()
    connection.readCurrent(tree)
    state = tree.__getstate__()
    if not state or len(state) == 1:
        # Empty, or one bucket kept inside the tree's own record.
        return
    items = state[0]
    children, keys = items[::2], items[1::2]
    for number, child in enumerate(children):
        start = keys[number - 1] if number else None
        end = keys[number] if number < len(keys) else None
        if (low is None or end is None or end > low) and \
                (high is None or start is None or start <= high):
            if isinstance(child, type(tree)):
                hold_range(connection, child, low, high)
            else:
                child._p_activate()
                connection.readCurrent(child)


def _segments(path: str) -> int:
    return 0 if path == "/" else path.count("/")


def _field_values(entry: Entry) -> dict:
    return {
        "type": entry.type_name, "id": entry.name, "title": sortable_title(entry.title),
        "parent": entry.parent, "created": minute(entry.created),
        "modified": minute(entry.modified), "created_hour": hour(entry.created),
        "modified_hour": hour(entry.modified), "owner": entry.owner,
        "allowed": entry.allowed, "guarded_allowed": entry.guarded_allowed or None,
    }


def _put(index, docid: int, value) -> None:
    """Index `value` for `docid`, or forget `docid` for no value."""
    if value is None:
        index.unindex_doc(docid)
    else:
        index.index_doc(docid, value)


def is_catalog_note(description) -> bool:
    """Return whether a transaction's description says it only kept the catalog."""
    if isinstance(description, bytes):
        description = description.decode("utf-8", "replace")
    return (description or "").startswith(CATALOG_NOTE)


def catalog_of(connection) -> Catalog | None:
    """Return the catalog of the database `connection` is open on, or None."""
    return connection.root().get(CATALOG_KEY)


def broken_docids(catalog: Catalog, connection, known_types) -> family64.IF.Set:
    """Return the docids of objects whose class is missing, and of all inside them.

    No search finds them: a broken object is not served, nor is a broken
    folder entered. They are those indexed as broken, and those of a type not
    among `known_types` whose objects load broken (one of them is loaded to
    tell); a broken folder's items follow, whatever their type.
    """
    broken = [docids for type_name, docids in catalog.field("type")._fwd_index.items()
              if type_name == BrokenItem.type_name or (
                  type_name not in known_types and loads_broken(connection, docids.minKey()))]
    if not broken:
        return family64.IF.Set()
    found = family64.IF.multiunion(broken)
    parents = catalog.field("parent")._fwd_index
    # Only a container has a key in the parent index: its items' parent path.
    inside = [catalog.below(path) for path in (catalog.metadata[docid][0] for docid in found)
              if path in parents]
    return family64.IF.multiunion([found, *inside]) if inside else found


def mended_docids(catalog: Catalog, connection) -> list[int]:
    """Return the docids indexed as broken whose objects load whole again (their class is back)."""
    docids = catalog.field("type")._fwd_index.get(BrokenItem.type_name)
    return [] if docids is None else [
        docid for docid in docids if not loads_broken(connection, docid, missing=True)]


def loads_broken(connection, docid: int, *, missing: bool = False) -> bool:
    """Return whether the object of `docid` loads broken (`missing` if it is gone)."""
    try:
        return is_broken(connection.get(oid_of(docid)))
    except KeyError:  # gone since it was indexed (ZODB's POSKeyError)
        return missing
