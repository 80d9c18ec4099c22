"""The WebDAV methods that write content: PUT, MKCOL, DELETE and PROPPATCH.

Every write checks, in this order: where it goes (a missing folder on the
way is a 409), the `If` header (412), the locks (423), the permissions
(401 or 403), and only then changes anything. A refusal raised halfway
aborts the request's transaction, so nothing of it is kept.

A PUT of a new name makes the type `objweb.content.sources.type_for_new`
chooses, after *Add objects* and the type's own creation permission on the
folder (a Script or Template needs *Change scripts and templates*). A PUT
on a File or Image replaces its bytes, streamed into its blob; on a Page,
Template or Script it replaces the source, which must compile. HTML from a
user without *Write unfiltered HTML* is cleaned, as in every other door.
"""

import webob

from objweb.content.deadproperties import apply_changes, check_changes
from objweb.content.file import File
from objweb.content.folder import Folder
from objweb.content.markup import clean_html_fields
from objweb.content.schema import TITLE
from objweb.content.sources import new_from_source, save_source, source_values, type_for_new
from objweb.dav.bodies import read_xml
from objweb.dav.door import DavRequest, DavStatus, etag, valid_name
from objweb.dav.multistatus import DAV, clark, element, multistatus, propstats, response
from objweb.dav.properties import CHANGEABLE, read_updates, text_of
from objweb.errors import ValidationError
from objweb.security.permissions import WRITE_UNFILTERED_HTML
from objweb.security.protections import ADD, CHANGE, CREATE, DELETE, permission_for
from objweb.traversal.location import path_of
from objweb.web.limits import RequestTooLargeError

MAX_SOURCE = 4 << 20
UNKNOWN_TYPE = "application/octet-stream"


def put(dav: DavRequest) -> webob.Response:
    """Replace the target's content, or make a new object; answer 204 or 201."""
    if "Content-Range" in dav.request.headers:
        raise ValidationError("a PUT replaces the whole content; Content-Range is refused")
    if dav.obj is not None and dav.obj.is_container:
        raise DavStatus(405, "A folder has no content to PUT; use MKCOL to make one.")
    if dav.obj is None:
        dav.require_parent()
    dav.check_conditions()
    _check_http_conditions(dav)
    if dav.obj is None or _is_placeholder(dav):
        return _put_new(dav)
    obj = dav.obj
    dav.check_unlocked(dav.path)
    dav.policy.check(CHANGE, obj)
    if isinstance(obj, File):
        media_type = _sent_media_type(dav.request)
        if media_type is not None and media_type != obj.content_type:
            obj.edit(content_type=media_type)
        obj.write(dav.request.body_file)
    else:
        save_source(obj, _clean(dav, type(obj), source_values(type(obj), _text(dav))))
    dav.note(path_of(obj))
    return webob.Response(status=204)


def _is_placeholder(dav: DavRequest) -> bool:
    """Whether the target is the empty File a LOCK made where nothing was, to be replaced
    by what its name and media type choose (clients lock a new name before saving it)."""
    obj = dav.obj
    return type(obj) is File and obj.size == 0 and not issubclass(
        type_for_new(obj.__name__, dav.request.headers.get("Content-Type")), File)


def _put_new(dav: DavRequest) -> webob.Response:
    parent = dav.parent
    dav.check_members_unlocked(parent)
    name = valid_name(dav.name)
    cls = type_for_new(name, dav.request.headers.get("Content-Type"))
    dav.policy.check(ADD, parent)
    dav.policy.check_permission(permission_for(cls, CREATE), parent)
    if issubclass(cls, File):
        new = cls(title=name, data=dav.request.body_file, filename=name,
                  content_type=_sent_media_type(dav.request))
    else:
        new = new_from_source(cls, name, _clean(dav, cls, source_values(cls, _text(dav))))
    replacing = dav.obj is not None
    if replacing:
        dav.check_unlocked(dav.path)
        dav.policy.check(DELETE, parent)
        parent.remove(name)
    parent.add(name, new)
    dav.note(path_of(new))
    return webob.Response(status=204 if replacing else 201)


def _sent_media_type(request) -> str | None:
    # Many clients label every upload octet-stream: that says "unknown", so
    # a new file's type is guessed from its name and a known one is kept.
    sent = request.headers.get("Content-Type", "").strip()
    return None if not sent or sent.split(";")[0].strip().lower() == UNKNOWN_TYPE else sent


def _text(dav: DavRequest) -> bytes:
    data = dav.request.body_file.read(MAX_SOURCE + 1)
    if len(data) > MAX_SOURCE:
        raise RequestTooLargeError(f"a source is at most {MAX_SOURCE} bytes")
    return data


def _clean(dav: DavRequest, cls: type, values: dict) -> dict:
    place = dav.obj if dav.obj is not None else dav.parent
    unfiltered = dav.policy.has_permission(WRITE_UNFILTERED_HTML, place)
    return clean_html_fields(cls, values, unfiltered=unfiltered)[0]


def _check_http_conditions(dav: DavRequest) -> None:
    """Raise `DavStatus` 412 unless `If-Match` and `If-None-Match` hold (RFC 9110 §13)."""
    request = dav.request
    current = etag(dav.obj).strip('"') if dav.obj is not None else None
    if "If-Match" in request.headers and (current is None or current not in request.if_match):
        raise DavStatus(412, "If-Match does not hold.")
    if "If-None-Match" in request.headers and current is not None \
            and current in request.if_none_match:
        raise DavStatus(412, "If-None-Match does not hold.")


def mkcol(dav: DavRequest) -> webob.Response:
    """Make a Folder; answer 201."""
    if dav.request.content_length or dav.request.headers.get("Transfer-Encoding"):
        raise DavStatus(415, "MKCOL takes no body.")
    if dav.obj is not None:
        raise DavStatus(405, "Something already has this name.")
    parent = dav.require_parent()
    dav.check_conditions()
    dav.check_members_unlocked(parent)
    dav.policy.check(ADD, parent)
    dav.policy.check_permission(permission_for(Folder, CREATE), parent)
    folder = parent.add(valid_name(dav.name), Folder(title=dav.name))
    dav.note(path_of(folder))
    return webob.Response(status=201)


def delete(dav: DavRequest) -> webob.Response:
    """Remove the target and everything below it, and their locks; answer 204."""
    obj = dav.require()
    if obj is dav.door.root:
        raise DavStatus(403, "The top of the WebDAV tree cannot be deleted.")
    if dav.request.headers.get("Depth", "infinity").strip().lower() != "infinity":
        raise ValidationError("DELETE takes Depth: infinity")
    dav.check_conditions()
    parent, path = obj.__parent__, path_of(obj)
    dav.check_members_unlocked(parent)
    dav.check_unlocked(path, depth="infinity")
    dav.policy.check(DELETE, parent)
    dav.locks.remove_tree(path)
    parent.remove(obj.__name__)
    dav.note(path)
    return webob.Response(status=204)


def proppatch(dav: DavRequest) -> webob.Response:
    """Set and remove properties, all or none; answer 207 with each one's status."""
    obj = dav.require()
    dav.check_conditions()
    dav.check_unlocked(path_of(obj))
    dav.policy.check(CHANGE, obj)
    changes = read_updates(read_xml(dav.request))
    problems = _problems(obj, changes)
    names = [name for name, _value in changes]
    if problems:
        statuses: dict[int, list] = {}
        for name in names:
            statuses.setdefault(problems.get(name, 424), []).append(name)
        body = propstats([], statuses)
    else:
        _apply(obj, changes)
        dav.note(f"properties of {path_of(obj)}")
        body = propstats([element(name) for name in names])
    return multistatus(response(dav.door.href(path_of(obj), is_container=obj.is_container),
                                body))


def _problems(obj, changes) -> dict[str, int]:
    """Return {name: status} for the changes that cannot be made."""
    problems = {}
    for name, value in changes:
        if clark(name)[0] == DAV and name not in CHANGEABLE:
            problems[name] = 403          # a protected live property
        elif name in CHANGEABLE and value is not None:
            try:
                TITLE.convert(text_of(value))
            except ValidationError:
                problems[name] = 409
    dead = [(name, value) for name, value in changes if clark(name)[0] != DAV]
    problems.update({name: 507 for name in check_changes(obj, dead)})
    return problems


def _apply(obj, changes) -> None:
    for name, value in changes:
        if name in CHANGEABLE:
            obj.edit(title="" if value is None else text_of(value))
    apply_changes(obj, [(name, value) for name, value in changes if clark(name)[0] != DAV])
