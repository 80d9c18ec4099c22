"""What a search reads of the queue: the docids the indexes cannot answer for, and the objects.

A docid queued as `CONTENT` or `REMOVED` is taken out of every index hit
and, if its object is still in the site, judged from the object itself
(its `Entry`, computed now, in the searching transaction: the same and
the next transaction see every change). A docid queued as `SECURITY` only
keeps its indexed values, but who may see it is computed now from the
tree. Objects are loaded by oid (the docid) and are in the site when each
container up to the root holds them under their name.
"""

from BTrees import family64
from ZODB.POSException import POSKeyError

from objweb.catalog.queue import CONTENT, REMOVED, SECURITY, pending
from objweb.catalog.record import Entry, StateCache, describe, guard_of
from objweb.catalog.store import Catalog, oid_of

IF = family64.IF


class Overlay:
    """The queue as one search sees it."""

    def __init__(self, catalog: Catalog, connection, root):
        self.catalog = catalog
        self.connection = connection
        self.root = root
        self.states = StateCache()
        queued = pending(catalog.queue)
        self.excluded = IF.Set(docid for docid, bits in queued.items()
                               if bits & (CONTENT | REMOVED))
        self.security = IF.Set(docid for docid, bits in queued.items() if bits == SECURITY)
        self._content = sorted(docid for docid, bits in queued.items() if bits & CONTENT)
        self._entries = None

    def entries(self) -> dict[int, Entry]:
        """Return the entries of the queued objects still in the site, by docid."""
        if self._entries is None:
            names = self.catalog.custom_names()
            self._entries = {}
            for docid in self._content:
                obj = self.load(docid)
                if obj is not None:
                    self._entries[docid] = describe(obj, self.states, names)
        return self._entries

    def load(self, docid: int):
        """Return the object of `docid` if it is in the site, else None."""
        return live_object(self.connection, self.root, docid)

    def live_tokens(self, docid: int, index: str) -> tuple | None:
        """Return the tokens `index` would hold for `docid`, computed now (None: not in the site)."""
        obj = self.load(docid)
        if obj is None:
            return None
        if index == "allowed":
            return self.states.allowed(obj)
        guard = guard_of(obj)
        return self.states.state(obj, guard).tokens() if guard is not None else ()


def live_object(connection, root, docid: int):
    """Return the object whose oid `docid` stands for, if it is in the site under `root`."""
    try:
        obj = connection.get(oid_of(docid))
        obj._p_activate()
    except (POSKeyError, KeyError):
        return None
    return obj if is_live(obj, root) else None


def is_live(obj, root) -> bool:
    """Return whether `obj` is `root` or held, under its name, by a container up to `root`."""
    node = obj
    while node is not root:
        parent = getattr(node, "__parent__", None)
        getter = getattr(parent, "get", None)
        if getter is None or getter(getattr(node, "__name__", None)) is not node:
            return False
        node = parent
    return True
