"""LOCK and UNLOCK: write locks, exclusive or shared, at depth 0 or infinity.

Locks live in the database (`objweb.content.locks`), so every process over
ZEO and every restart sees them. A LOCK with a body takes a new lock (after
*WebDAV Lock items* on the object); one without a body, naming exactly one
of the user's lock tokens in `If`, refreshes it. A LOCK on a name where
nothing is makes an empty File there (201). UNLOCK needs *WebDAV Unlock
items*, and *Manage WebDAV Locks* for a lock another user holds.

Timeouts: `Second-N` or `Infinite` as the client asks, at most 7 days
(`Infinite` is 7 days); 1 hour when the client does not say.
"""

import webob

from objweb.content.file import File
from objweb.content.locks import DEFAULT_TIMEOUT, EXCLUSIVE, MAX_OWNER_LENGTH, MAX_TIMEOUT, SCOPES
from objweb.dav.bodies import read_xml
from objweb.dav.door import DavRequest, DavStatus, valid_name
from objweb.dav.multistatus import XML_DECLARATION, clark, xml_answer
from objweb.dav.properties import lock_discovery, serialize
from objweb.errors import ValidationError
from objweb.security.protections import ADD, CREATE, LOCK, MANAGE_LOCKS, UNLOCK, permission_for
from objweb.traversal.location import path_of


def lock(dav: DavRequest) -> webob.Response:
    """Take a lock, or refresh one; answer its lockdiscovery (200, or 201 if it made the object)."""
    root = read_xml(dav.request)
    timeout = read_timeout(dav.request.headers.get("Timeout"))
    if root is None:
        return _refresh(dav, timeout)
    scope, owner_xml = read_lockinfo(root)
    depth = dav.request.headers.get("Depth", "infinity").strip().lower()
    if depth not in ("0", "infinity"):
        raise ValidationError("LOCK takes Depth 0 or infinity")
    dav.check_conditions()
    created = dav.obj is None
    obj = _make_empty(dav) if created else dav.obj
    dav.policy.check(LOCK, obj)
    path = path_of(obj)
    dav.locks.mark_read()
    conflicting = dav.locks.covering(path)
    if depth == "infinity":
        conflicting += dav.locks.below(path)
    if any(EXCLUSIVE in (other.scope, scope) for other in conflicting):
        raise DavStatus(423, "A conflicting lock is held.", "no-conflicting-lock")
    taken = dav.locks.add(path=path, scope=scope, depth=depth, owner_xml=owner_xml,
                          holder=dav.holder, timeout=timeout)
    dav.note(f"lock of {path}")
    answer = _lock_answer(dav, taken, 201 if created else 200)
    answer.headers["Lock-Token"] = f"<{taken.token}>"
    return answer


def _make_empty(dav: DavRequest):
    """Make an empty File where a LOCK names nothing yet (RFC 4918 §9.10.4)."""
    parent = dav.require_parent()
    dav.check_members_unlocked(parent)
    name = valid_name(dav.name)
    dav.policy.check(ADD, parent)
    dav.policy.check_permission(permission_for(File, CREATE), parent)
    return parent.add(name, File(title=name, filename=name))


def _refresh(dav: DavRequest, timeout: int) -> webob.Response:
    obj = dav.require()
    if len(dav.tokens) != 1:
        raise ValidationError("a LOCK refresh names exactly one lock token in If")
    found = dav.locks.by_token(next(iter(dav.tokens)), path_of(obj))
    if found is None or found.holder != dav.holder:
        raise DavStatus(412, "No lock of yours with this token applies here.",
                        "lock-token-matches-request-uri")
    dav.locks.mark_read()
    dav.note(f"lock refresh of {found.path}")
    return _lock_answer(dav, dav.locks.refresh(found, timeout), 200)


def _lock_answer(dav: DavRequest, taken, status: int) -> webob.Response:
    discovery = lock_discovery([taken], lambda path: dav.door.href(path, is_container=False))
    return xml_answer(f'{XML_DECLARATION}<D:prop xmlns:D="DAV:">{discovery}</D:prop>', status)


def read_lockinfo(root) -> tuple[str, str]:
    """Return (scope, owner XML) of a LOCK body. Raises `ValidationError`."""
    if root.tag != "{DAV:}lockinfo":
        raise ValidationError("a LOCK body is a DAV:lockinfo element")
    scope = root.find("{DAV:}lockscope")
    kind = root.find("{DAV:}locktype")
    if scope is None or len(scope) != 1 or kind is None or kind.find("{DAV:}write") is None:
        raise ValidationError("a lock has one scope and the write type")
    scope_name = clark(scope[0].tag)[1]
    if scope_name not in SCOPES or clark(scope[0].tag)[0] != "DAV:":
        raise ValidationError("a lock is exclusive or shared")
    owner = root.find("{DAV:}owner")
    # Written with the prefix every answer gives the DAV: namespace.
    owner_xml = "" if owner is None else serialize(owner).replace(
        ' xmlns:ns0="DAV:"', "").replace("ns0:", "D:")
    if len(owner_xml) > MAX_OWNER_LENGTH:
        raise ValidationError(f"a lock's owner is at most {MAX_OWNER_LENGTH} characters")
    return scope_name, owner_xml


def read_timeout(header: str | None) -> int:
    """Return the seconds a `Timeout` header asks for (the first it understands)."""
    for part in (header or "").split(","):
        part = part.strip().lower()
        if part == "infinite":
            return MAX_TIMEOUT
        if part.startswith("second-") and part[7:].isdigit():
            return min(int(part[7:]), MAX_TIMEOUT)
    return DEFAULT_TIMEOUT


def unlock(dav: DavRequest) -> webob.Response:
    """Give up a lock named by `Lock-Token`; answer 204."""
    obj = dav.require()
    token = dav.request.headers.get("Lock-Token", "").strip().removeprefix("<").removesuffix(">")
    if not token:
        raise ValidationError("UNLOCK needs a Lock-Token header")
    dav.locks.mark_read()
    found = dav.locks.by_token(token, path_of(obj))
    if found is None:
        raise DavStatus(409, "No such lock applies here.", "lock-token-matches-request-uri")
    dav.policy.check(UNLOCK, obj)
    if found.holder != dav.holder:
        dav.policy.check(MANAGE_LOCKS, obj)
    dav.locks.remove(found)
    dav.note(f"unlock of {found.path}")
    return webob.Response(status=204)
