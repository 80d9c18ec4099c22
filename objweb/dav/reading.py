"""The WebDAV methods that read: OPTIONS, GET (and HEAD), PROPFIND.

A PROPFIND of a folder answers `Depth: 0` or `1`; `Depth: infinity` (also
what no Depth header means) is refused with RFC 4918's
`propfind-finite-depth`, so no request walks a whole site. A listing is
written member by member into a spool file (in memory up to 1 MiB, then on
disk) and streamed from it after the commit, and the folder's items are
walked with `Folder.items_releasing`: a listing of 100,000 items holds
about as much memory as one of 1,000.
"""

import tempfile
from urllib.parse import quote

import webob

from objweb.content.file import File
from objweb.content.schema import fields_of
from objweb.content.sources import source_fields, source_media_type, source_of
from objweb.dav.bodies import read_xml
from objweb.dav.door import DavRequest, DavStatus, etag, is_shown
from objweb.dav.multistatus import MULTISTATUS_END, MULTISTATUS_START, response
from objweb.dav.properties import lock_discovery, propstats_of, read_propfind
from objweb.security.headers import UPLOAD_SANDBOX_CSP
from objweb.security.protections import ACCESS, VIEW
from objweb.traversal.location import path_of
from objweb.web.files import BlobIterator, file_response

METHODS = ("OPTIONS", "GET", "HEAD", "PUT", "DELETE", "MKCOL", "COPY", "MOVE",
           "PROPFIND", "PROPPATCH", "LOCK", "UNLOCK")
SPOOL_IN_MEMORY = 1 << 20
# How often a long listing lets the policy forget the members it decided on.
FORGET_EVERY = 1000


def options(dav: DavRequest) -> webob.Response:
    """Answer what this door does: WebDAV classes 1 and 2, and its methods."""
    answer = webob.Response(status=200)
    answer.headers["Allow"] = ", ".join(METHODS)
    answer.headers["MS-Author-Via"] = "DAV"
    return answer


def get(dav: DavRequest) -> webob.Response:
    """Answer a File's bytes (by range, conditionally), a source's text, or a folder's size."""
    obj = dav.require()
    dav.check_conditions()
    if obj.is_container:
        dav.policy.check(ACCESS, obj)
        return webob.Response(f"A folder of {len(obj)} items: open it with a WebDAV client.\n",
                              content_type="text/plain", charset="utf-8")
    if isinstance(obj, File):
        dav.policy.check(VIEW, obj)
        return file_response(obj, dav.request)
    for action in {field.read_action for field in fields_of(obj)
                   if field.name in source_fields(obj)}:
        dav.policy.check(action, obj)
    answer = webob.Response(body=source_of(obj), content_type=source_media_type(obj),
                            charset="utf-8", conditional_response=True)
    answer.etag = etag(obj).strip('"')
    answer.last_modified = obj.modified
    # A source is for editors, not for running in the site's origin.
    answer.headers["Content-Security-Policy"] = UPLOAD_SANDBOX_CSP
    return answer


def propfind(dav: DavRequest) -> webob.Response:
    """Answer the properties of the target, and at `Depth: 1` of its members."""
    obj = dav.require()
    depth = dav.request.headers.get("Depth", "infinity").strip().lower()
    if depth not in ("0", "1"):
        # RFC 4918 §9.1 lets a server refuse Depth: infinity; this one always does.
        raise DavStatus(403, "PROPFIND answers Depth 0 or 1.", "propfind-finite-depth")
    mode, names = read_propfind(read_xml(dav.request))
    dav.check_conditions()
    dav.policy.check(ACCESS, obj)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    spool.write(MULTISTATUS_START.encode())
    path = path_of(obj)
    own_locks = dav.locks.covering(path)
    write_entry(spool, dav, obj, path, own_locks, mode, names)
    if depth == "1" and obj.is_container:
        write_members(spool, dav, obj, own_locks, mode, names)
    spool.write(MULTISTATUS_END.encode())
    length = spool.tell()
    spool.seek(0)
    answer = webob.Response(status=207, content_type="application/xml", charset="utf-8",
                            app_iter=BlobIterator(spool))
    answer.content_length = length
    return answer


def write_entry(spool, dav: DavRequest, obj, path: str, locks, mode: str, names) -> None:
    """Write the `D:response` of one object."""
    href = dav.door.href(path, is_container=obj.is_container)
    body = propstats_of(obj, mode, names, lambda: lock_discovery(locks, _lock_href(dav)))
    spool.write(response(href, body).encode("utf-8"))


def write_members(spool, dav: DavRequest, folder, folder_locks, mode: str, names) -> None:
    """Write the `D:response` of each member of `folder` the user may see."""
    folder_path = path_of(folder)
    inherited = [lock for lock in folder_locks if lock.depth == "infinity"]
    member_locks = dav.locks.members_locks(folder_path)
    base_path = folder_path.rstrip("/") + "/"
    base_href = dav.door.href(folder_path, is_container=True).rstrip("/") + "/"
    discovery_of = _lock_href(dav)
    keep = dav.request.connection.db().getCacheSize()
    for index, (name, member) in enumerate(folder.items_releasing(keep)):
        if is_shown(member) and dav.policy.can(ACCESS, member):
            locks = list(member_locks.get(base_path + name, ())) + inherited
            href = base_href + quote(name, safe="") + ("/" if member.is_container else "")
            body = propstats_of(member, mode, names,
                                lambda: lock_discovery(locks, discovery_of))
            spool.write(response(href, body).encode("utf-8"))
        if index % FORGET_EVERY == FORGET_EVERY - 1:
            # The policy remembers, for the request, every object it decided on.
            dav.policy.forget()


def _lock_href(dav: DavRequest):
    def href_of(path: str) -> str:
        return dav.door.href(path, is_container=False)
    return href_of
