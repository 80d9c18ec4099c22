"""COPY and MOVE: through the same code as the ZMI's paste, one object at a time.

`objweb.storage.transfer.copy_item` and `move_item` make every check the
management screens' paste makes (a copy needs *View management screens*
on the object, a move *Delete objects* on its folder, both *Add objects*
and the right to create every type inside it in the target); a copy belongs
to whoever makes it, a moved object keeps its owner. Replacing an existing
destination (`Overwrite: T`, the default) first removes it, which needs
*Delete objects* there. The destination must lie under this door on this
host (502 otherwise); its folder must exist (409). Locks rooted at the
source do not move with it (RFC 4918 §9.9.4).
"""

import webob

from objweb.content.deadproperties import copy_properties
from objweb.content.incoming import check_creation
from objweb.dav.door import DavRequest, DavStatus, valid_name
from objweb.errors import ValidationError
from objweb.security.protections import ADD, DELETE, MANAGE
from objweb.storage.transfer import copy_item, move_item
from objweb.traversal.location import is_inside, path_of


def copy(dav: DavRequest) -> webob.Response:
    """Copy the target to the Destination; answer 201 (new) or 204 (replaced)."""
    return _transfer(dav, move=False)


def move(dav: DavRequest) -> webob.Response:
    """Move the target to the Destination; answer 201 (new) or 204 (replaced)."""
    return _transfer(dav, move=True)


def _transfer(dav: DavRequest, *, move: bool) -> webob.Response:
    source = dav.require()
    if source is dav.door.root:
        raise DavStatus(403, "The top of the WebDAV tree cannot be copied or moved.")
    depth = dav.request.headers.get("Depth", "infinity").strip().lower()
    if depth not in ("0", "infinity") or (move and depth != "infinity"):
        raise ValidationError("COPY takes Depth 0 or infinity, MOVE only infinity")
    target, name, existing = _destination(dav, source)
    dav.check_conditions()
    if move:
        dav.check_members_unlocked(source.__parent__)
        dav.check_unlocked(path_of(source), depth="infinity")
    dav.check_members_unlocked(target)
    if existing is not None:
        dav.check_unlocked(path_of(existing), depth="infinity")
        dav.policy.check(DELETE, target)
        dav.locks.remove_tree(path_of(existing))
        target.remove(name)
    source_path = path_of(source)
    if move:
        dav.locks.remove_tree(source_path)
        placed = move_item(source, target, name, policy=dav.policy)
    elif depth == "0" and source.is_container:
        placed = _copy_without_members(dav, source, target, name)
    else:
        placed = copy_item(source, target, name, policy=dav.policy)
    dav.note(f"{source_path} to {path_of(placed)}")
    return webob.Response(status=204 if existing is not None else 201)


def _destination(dav: DavRequest, source) -> tuple:
    """Return (folder, name, what is there now or None) of the Destination header."""
    header = dav.request.headers.get("Destination")
    if not header:
        raise ValidationError("COPY and MOVE need a Destination header")
    segments = dav.door.segments_of(header)
    if segments is None:
        raise DavStatus(502, "The Destination is not on this server's WebDAV tree.")
    if not segments:
        raise DavStatus(403, "The top of the WebDAV tree cannot be replaced.")
    existing, target, name = dav.door.find(segments, dav.policy)
    if existing is not None:
        target = existing.__parent__
    if target is None:
        raise DavStatus(409, "The Destination's folder does not exist.")
    valid_name(name)
    if existing is source or (source.is_container and is_inside(target, source)):
        raise DavStatus(403, "A folder cannot be copied or moved into itself.")
    overwrite = dav.request.headers.get("Overwrite", "T").strip().upper()
    if overwrite not in ("T", "F"):
        raise ValidationError("Overwrite is T or F")
    if existing is not None and overwrite == "F":
        raise DavStatus(412, "The Destination exists and Overwrite is F.")
    return target, name, existing


def _copy_without_members(dav: DavRequest, folder, target, name: str):
    """Copy a folder alone (COPY with Depth 0): its title and its properties, no members."""
    dav.policy.check(MANAGE, folder)
    dav.policy.check(ADD, target)
    check_creation({type(folder)}, target, dav.policy)
    copy = target.add(name, type(folder)(title=folder.title))
    copy_properties(folder, copy)
    return copy
