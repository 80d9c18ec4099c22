"""Where each record a transaction wrote belongs in the site.

A record is an object id. A content object's record belongs to that object
where it is now; if the object has left the tree since, to its nearest
ancestor still in the site, shown at the path it had when the transaction
ran (read through a historical connection). Records that are not content,
such as a folder's B-tree buckets, a security settings record or a user,
belong to the content object that holds them, looked for among the objects
the transaction touched, their parents, and the objects along the path of
the request that made it. A record found nowhere (a session, the
database's own root mapping) has no place: nothing in the site answers for
it, so no undo that would change it is offered. The catalog's queue, which
every change writes and whose records merge with any other state, belongs
to no object and stands in no undo's way: it is left out.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.POSException import POSKeyError

from objweb.catalog.queue import PendingShard
from objweb.content.base import Item
from objweb.content.site import site_root
from objweb.traversal.location import lineage, path_of
from objweb.traversal.resolve import find

# Past this many records a transaction is not examined further, and not offered.
RECORD_LIMIT = 5000

REMOVED = " (since removed)"


@dataclass(frozen=True)
class Place:
    """Where one record belongs.

    `obj` is the live content object decisions are made on: the record's
    own object, the object holding it (`attribute` names the attribute that
    holds it), or, for an object since removed, its nearest ancestor still
    in the site (`removed` is then true). `path` is what the Undo tab shows.
    """

    oid: bytes
    path: str
    obj: object
    attribute: str = ""
    removed: bool = False


@dataclass(frozen=True)
class Placement:
    """The places of a transaction's records, and how many records have none."""

    places: tuple = ()
    unplaced: int = 0
    unexamined: int = 0

    @property
    def paths(self) -> list[str]:
        """The paths the records belong to, each once, content objects first."""
        found = []
        for place in self.places:
            if place.path not in found:
                found.append(place.path)
        return found

    @property
    def is_complete(self) -> bool:
        """Whether every record was examined and found a place."""
        return not self.unplaced and not self.unexamined


def records_of(db, tid: bytes) -> list[bytes]:
    """Return the ids of the objects transaction `tid` wrote."""
    for record in db.storage.iterator(tid, tid):
        if record.tid == tid:
            return [data.oid for data in record]
    return []


def place_records(connection, tid: bytes, oids: list[bytes], request_path: str) -> Placement:
    """Return where each record of `oids`, written by transaction `tid`, belongs."""
    root = site_root(connection)
    content, others = _sorted_records(connection, oids[:RECORD_LIMIT])
    places, missing = [], []
    for oid, obj in content:
        place = _place_of_content(connection, root, tid, oid, obj)
        if place is None:
            missing.append(oid)
        else:
            places.append(place)
    unplaced = _place_removed_records(connection, tid, missing, places)
    candidates = _candidates(places, root, request_path)
    holders = _holders(candidates, root)
    if any(obj._p_oid not in holders for obj in others):
        # A move or a removal also changed the folder the object was in before.
        candidates = _former_parents(connection, root, tid, places)
        holders.update({oid: found for oid, found in _holders(candidates, root).items()
                        if oid not in holders})
    for obj in others:
        found = holders.get(obj._p_oid)
        if found is None:
            unplaced += 1
        else:
            holder, attribute = found
            places.append(Place(obj._p_oid, path_of(holder), holder, attribute))
    return Placement(tuple(places), unplaced, max(0, len(oids) - RECORD_LIMIT))


def _place_removed_records(connection, tid: bytes, oids: list[bytes], places: list) -> int:
    """Place records gone now that an object since removed held; return how many are not.

    Undoing an object's creation also removes what it held (a source's
    revisions): those records belong where their holder was.
    """
    removed = [place for place in places if place.removed]
    if not oids or not removed:
        return len(oids)
    old = connection.db().open(before=tid)
    try:
        held = {}
        for place in removed:
            try:
                holder = old.get(place.oid)
            except POSKeyError:
                continue
            held.update((oid, (place, attribute)) for attribute, oid in held_records(holder))
    finally:
        old.close()
    for oid in oids:
        if oid in held:
            place, attribute = held[oid]
            places.append(Place(oid, place.path, place.obj, attribute, removed=True))
    return sum(oid not in held for oid in oids)


def _sorted_records(connection, oids: list[bytes]) -> tuple[list, list]:
    """Return [(oid, content object or None)] and [other records] of `oids`."""
    content, others = [], []
    for oid in oids:
        try:
            obj = connection.get(oid)
        except POSKeyError:
            # No data now (its creation was undone): what it was is read from the history.
            obj = None
        if obj is None or isinstance(obj, Item):
            content.append((oid, obj))
        elif not isinstance(obj, PendingShard):
            others.append(obj)
    return content, others


def is_in_site(obj, root) -> bool:
    """Return whether `obj` is the site's root or lies below it."""
    return root is not None and any(node is root for node in lineage(obj))


def _place_of_content(connection, root, tid: bytes, oid: bytes, obj) -> Place | None:
    if obj is not None and is_in_site(obj, root):
        return Place(oid, path_of(obj), obj)
    # No longer in the tree: where was it right after, or else right before, the change?
    for moment in ({"at": tid}, {"before": tid}):
        found = _historical_place(connection, root, oid, moment)
        if found is not None:
            return found
    return None


def _historical_place(connection, root, oid: bytes, moment: dict) -> Place | None:
    old = connection.db().open(**moment)
    try:
        then = old.get(oid)
        old_root = site_root(old)
        if not isinstance(then, Item) or not is_in_site(then, old_root):
            return None
        ancestor = _nearest_live(connection, root, lineage(then.__parent__))
        return Place(oid, path_of(then) + REMOVED, ancestor, removed=True)
    except POSKeyError:
        return None
    finally:
        old.close()


def _nearest_live(connection, root, nodes) -> object:
    """Return the live object of the first of `nodes` (historical) still in the site."""
    found = (live_object(connection, root, node) for node in nodes)
    return next((live for live in found if live is not None), root)


def live_object(connection, root, historical) -> object | None:
    """Return the object of `historical`'s id in `connection`, if it is in the site now."""
    try:
        live = connection.get(historical._p_oid)
    except POSKeyError:
        return None
    return live if is_in_site(live, root) else None


def _candidates(places: list, root, request_path: str) -> list:
    """The objects that may hold the records of a change: around what it touched."""
    found = []
    for place in places:
        found.extend(node for node in lineage(place.obj) if isinstance(node, Item))
    found.extend(_along(root, request_path))
    return found


def _former_parents(connection, root, tid: bytes, places: list) -> list:
    """The folders, still in the site, that held the changed objects before the change."""
    old = connection.db().open(before=tid)
    try:
        found = []
        for place in places:
            try:
                parent = getattr(old.get(place.oid), "__parent__", None)
            except POSKeyError:
                continue
            live = live_object(connection, root, parent) if parent is not None else None
            if live is not None:
                found.append(live)
        return found
    finally:
        old.close()


def _holders(candidates: list, root) -> dict[bytes, tuple]:
    """Map the ids of records held by `candidates` to (holder, attribute)."""
    holders, seen = {}, set()
    for obj in candidates:
        if id(obj) in seen or not is_in_site(obj, root):
            continue
        seen.add(id(obj))
        for attribute, oid in held_records(obj):
            holders.setdefault(oid, (obj, attribute))
    return holders


def _along(root, request_path: str) -> Iterator:
    obj = root
    yield root
    for name in [segment for segment in request_path.split("/") if segment]:
        try:
            obj = find(obj, name)
        except (KeyError, ValueError):
            return
        yield obj


def held_records(obj) -> Iterator[tuple[str, bytes]]:
    """Yield (attribute, id) of the persistent records `obj` holds that are not content.

    B-trees yield their inner nodes; a non-container's B-trees (a user
    folder's users) yield their values' records too, and other records
    (a file's chunks) the records they hold in turn.
    """
    obj._p_activate()
    for attribute, value in vars(obj).items():
        if isinstance(value, Persistent) and not isinstance(value, Item) \
                and value._p_oid is not None:
            yield attribute, value._p_oid
            if isinstance(value, OOBTree):
                with_values = not getattr(obj, "is_container", False)
                for oid in _tree_records(value, with_values):
                    yield attribute, oid
            else:
                for oid in _nested_records(value):
                    yield attribute, oid


def _nested_records(record) -> Iterator[bytes]:
    """Yield the records a held record keeps in its attributes, one level down."""
    record._p_activate()
    # B-tree buckets and other records written in C keep no instance dictionary.
    for value in getattr(record, "__dict__", {}).values():
        values = value if isinstance(value, tuple) else (value,)
        for item in values:
            if isinstance(item, Persistent) and not isinstance(item, Item) \
                    and item._p_oid is not None:
                yield item._p_oid


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
