"""Who may undo a transaction: what undoing it would change, and what each change needs.

An undo writes back the state every record of its transaction had before
it, whoever made the change and whatever else the change did. So it needs,
on each object it changes, what the door that makes that change by hand
needs there: the type's right to change it (`Change objects`, `Change
scripts and templates`, `Manage users` for a user folder's users, groups
and passwords), `Add objects` and `Delete objects` for a folder's items and
the right to make the type of an item it puts back, `Change permissions`
for permissions, defined roles and ownership (with `Change local roles`
for local roles), and for proxy roles only roles the user holds there. It
needs `Undo changes` on each of those objects too. What each change was is
read by comparing each record's state right before and right after the
transaction, through historical connections.

A transaction with a record that has no place in the site (a session, the
database's root mapping), or with too many records to examine, is never
undone here; below the root, only a transaction wholly inside the folder is.
"""

import logging
from dataclasses import dataclass

from persistent import Persistent
from ZODB.POSException import POSKeyError

from objweb.content.markup import HTML_KIND, clean_html
from objweb.content.schema import fields_of
from objweb.content.site import site_root
from objweb.content.userfolder import Group, User
from objweb.security.permissions import WRITE_UNFILTERED_HTML
from objweb.security.protections import (
    ADD, CHANGE, CHANGE_LOCAL_ROLES, CHANGE_OWNER, CHANGE_PERMISSIONS, CREATE, DELETE, UNDO,
    permission_for)
from objweb.security.rolemap import ROLE_MAP_ATTRIBUTE
from objweb.storage import records
from objweb.storage.records import Place, Placement, live_object
from objweb.traversal.location import is_inside, path_of

security_log = logging.getLogger("objweb.security")

UNPLACED = ("it changed records that belong to no object of the site (such as sessions), "
            "which no undo may change")
# Attributes whose change needs no right of its own: they change with every edit.
_BOOKKEEPING = frozenset({"modified"})
_PLACE = frozenset({"__parent__", "__name__"})
_MISSING = object()


@dataclass(frozen=True)
class Need:
    """One change an undo would make: on which live object, what it is, and what it needs.

    `roles` are roles the undo would give (proxy roles): the user must hold
    each of them on `obj`.
    """

    obj: object
    what: str
    permissions: tuple = ()
    roles: frozenset = frozenset()


def refusal(connection, change, policy, *, inside=None) -> str | None:
    """Return why `policy`'s user may not undo `change`, or None if they may.

    With `inside` (a folder), every object the undo would change must be in it.
    """
    placement = change.placement
    if placement.unplaced:
        return UNPLACED
    if placement.unexamined:
        return f"it changed more than {records.RECORD_LIMIT} records, too many to check"
    needs = needs_of(connection, change.tid, placement)
    touched = [(place.obj, place.path) for place in placement.places]
    touched += [(need.obj, path_of(need.obj)) for need in needs]
    seen = set()
    for obj, path in touched:
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if inside is not None and not is_inside(obj, inside):
            return (f"it changed {path}, outside {path_of(inside)}; undo it from a folder "
                    "that holds everything it changed")
        needs.append(Need(obj, f"change {path}", _permissions(obj, UNDO)))
    for need in needs:
        reason = _lacking(policy, need, change.undo_id)
        if reason:
            return reason
    return None


def _lacking(policy, need: Need, undo_id: str) -> str | None:
    """Return what the user lacks for `need`, or None if they hold all it needs."""
    for permission in need.permissions:
        decision = policy.decide(permission, need.obj)
        if not decision:
            security_log.info("%s (undo of %s)", decision.explain(), undo_id)
            return f"undoing it would {need.what}, which needs {permission!r} there"
    missing = need.roles - policy.roles_in(need.obj)
    if missing:
        return (f"undoing it would {need.what}, and you do not hold "
                f"{', '.join(sorted(missing))} there")
    return None


def needs_of(connection, tid: bytes, placement: Placement) -> list[Need]:
    """Return what undoing transaction `tid`, whose records lie at `placement`, would do."""
    db = connection.db()
    reading = _Reading(connection, db.open(before=tid), db.open(at=tid))
    try:
        created = {place.oid for place in placement.places
                   if not place.attribute and reading.old(place.oid) is None}
        needs = []
        for place in placement.places:
            for need in _needs_of_place(reading, place, created):
                if need not in needs:
                    needs.append(need)
        return needs
    finally:
        reading.close()


class _Reading:
    """The states of records right before and right after one transaction."""

    def __init__(self, connection, before, after):
        self.connection = connection
        self.root = site_root(connection)
        self._before, self._after = before, after

    def old(self, oid: bytes):
        """Return the record's object as it was before the transaction (None: none yet)."""
        return _loaded(self._before, oid)

    def new(self, oid: bytes):
        """Return the record's object as the transaction left it (None: no data)."""
        return _loaded(self._after, oid)

    def live(self, historical, fallback):
        """Return the live object of a historical one, or `fallback` if it left the site."""
        found = live_object(self.connection, self.root, historical)
        return fallback if found is None else found

    def close(self) -> None:
        """Give the historical connections back."""
        self._before.close()
        self._after.close()


def _loaded(connection, oid: bytes):
    try:
        obj = connection.get(oid)
        obj._p_activate()
    except POSKeyError:
        return None
    return obj


def _permissions(obj_or_type, *actions) -> tuple:
    found = (permission_for(obj_or_type, action) for action in actions)
    return tuple(permission for permission in found if permission is not None)


def _needs_of_place(reading: _Reading, place: Place, created: set) -> list[Need]:
    old, new = reading.old(place.oid), reading.new(place.oid)
    if not place.attribute:
        return _content_needs(reading, place, old, new, created)
    holder = place.obj
    if place.attribute == ROLE_MAP_ATTRIBUTE:
        return _role_map_needs(holder, place.path, old, new)
    if place.attribute in getattr(holder, "item_attributes", ()):
        return [Need(holder, f"add or remove items of {place.path}",
                     _permissions(holder, ADD, DELETE))]
    return [Need(holder, _held_change(place.path, old, new), _permissions(holder, CHANGE))]


def _held_change(path: str, old, new) -> str:
    record = new if new is not None else old
    if not isinstance(record, (User, Group)):
        return f"change {path} back"
    if isinstance(record, User) and getattr(old, "password_hash", None) != \
            getattr(new, "password_hash", None):
        return f"give {record.id} of {path} an earlier password"
    return f"change {record.id} of {path} back"


def _content_needs(reading: _Reading, place: Place, old, new, created: set) -> list[Need]:
    """What undoing a change to a content object's own record needs."""
    kind = type(new if new is not None else old)
    needs = _membership_needs(reading, place, kind, old, new, created)
    needs += _html_needs(reading, place, old, new)
    if old is None or new is None:
        return needs
    changed = _changed_attributes(old, new) - _PLACE
    obj, path = place.obj, place.path
    ownership = {name for name in changed if _is_ownership(name)}
    if ownership:
        needs.append(Need(obj, f"give {path} back to {_owner_of(old)}",
                          _permissions(kind, CHANGE_PERMISSIONS, CHANGE_OWNER)))
    if ROLE_MAP_ATTRIBUTE in changed:
        needs += _role_map_needs(obj, path, getattr(old, ROLE_MAP_ATTRIBUTE, None),
                                 getattr(new, ROLE_MAP_ATTRIBUTE, None))
    if "proxy_roles" in changed:
        needs.append(Need(obj, f"give {path} back its proxy roles",
                          _permissions(kind, CHANGE_PERMISSIONS), frozenset(old.proxy_roles)))
    rest = changed - ownership - {ROLE_MAP_ATTRIBUTE, "proxy_roles"}
    if rest - _BOOKKEEPING or (rest and not changed - rest):
        needs.append(Need(obj, f"change {path} back", _permissions(kind, CHANGE)))
    return needs


def _html_needs(reading: _Reading, place: Place, old, new) -> list[Need]:
    """What bringing back HTML that cleaning would change needs: `Write unfiltered HTML`.

    Without this an owner could undo a Manager's removal of a script, or put
    back a deleted page that holds one, and so write what cleaning forbids them.
    """
    if old is None:
        return []
    put_back = new is None or _oid(getattr(old, "__parent__", None)) != _oid(
        getattr(new, "__parent__", None))
    restored = [field.name for field in fields_of(old) if field.kind == HTML_KIND
                and (put_back or getattr(old, field.name, None) != getattr(new, field.name, None))
                and clean_html(getattr(old, field.name, "") or "").removed]
    if not restored:
        return []
    where = reading.live(old.__parent__, place.obj) if put_back else place.obj
    return [Need(where, f"bring back HTML in {', '.join(restored)} of {place.path} that "
                 "cleaning would change", (WRITE_UNFILTERED_HTML,))]


def _is_ownership(name: str) -> bool:
    # Ownership may be kept in more than one attribute (who, and in which user
    # folder); whatever names it, giving it back is a change of owner.
    return "owner" in name.lower()


def _owner_of(obj) -> str:
    owner = getattr(obj, "owner", None)
    return str(owner) if owner else "nobody"


def _membership_needs(reading: _Reading, place: Place, kind: type, old, new,
                      created: set) -> list[Need]:
    """What taking an object out of its new folder and back into its old one needs."""
    old_parent = getattr(old, "__parent__", None)
    new_parent = getattr(new, "__parent__", None)
    if old is None and (new_parent is None or new_parent._p_oid in created):
        # Made inside a folder made by the same change: it goes with that folder.
        return []
    if _oid(old_parent) == _oid(new_parent) and \
            getattr(old, "__name__", None) == getattr(new, "__name__", None):
        return []
    needs = []
    if new_parent is not None:
        folder = reading.live(new_parent, place.obj)
        needs.append(Need(folder, f"take {new.__name__} out of {path_of(folder)}",
                          _permissions(folder, DELETE)))
    if old_parent is not None:
        folder = reading.live(old_parent, place.obj)
        needs.append(Need(folder, f"put {old.__name__} back into {path_of(folder)}",
                          _permissions(folder, ADD) + _permissions(kind, CREATE)))
    return needs


def _role_map_needs(obj, path: str, old, new) -> list[Need]:
    """What restoring the role map `old` in place of `new` on `obj` needs."""
    before, after = _role_map_state(old), _role_map_state(new)
    needs = []
    if before[:2] != after[:2]:
        needs.append(Need(obj, f"change the permissions of {path}",
                          _permissions(obj, CHANGE_PERMISSIONS)))
    if before[2:] != after[2:]:
        needs.append(Need(obj, f"change the local roles on {path}",
                          _permissions(obj, CHANGE_PERMISSIONS, CHANGE_LOCAL_ROLES)))
    return needs


def _role_map_state(role_map) -> tuple:
    if role_map is None:
        return {}, frozenset(), {}, False
    role_map._p_activate()
    return (dict(role_map.permissions), frozenset(role_map.defined_roles),
            dict(role_map.local_roles), bool(role_map.block_local_roles))


def _changed_attributes(old, new) -> set[str]:
    before, after = _attributes(old), _attributes(new)
    return {name for name in before.keys() | after.keys()
            if not _same(before.get(name, _MISSING), after.get(name, _MISSING))}


def _attributes(obj) -> dict:
    state = obj.__getstate__()
    # Content keeps an instance dictionary; any other state is compared whole.
    return state if isinstance(state, dict) else {"": state}


def _same(first, second) -> bool:
    if isinstance(first, Persistent) or isinstance(second, Persistent):
        # Two connections' copies of one record: the same record, the same id.
        return _oid(first) is not None and _oid(first) == _oid(second)
    return bool(first == second)


def _oid(obj) -> bytes | None:
    return getattr(obj, "_p_oid", None) if isinstance(obj, Persistent) else None
