"""The door: where the WebDAV tree starts, what it shows, and one request's state.

`/@@dav/` on a folder opens the tree at that folder; the rest of the path
names objects below it, walked by item only (`..`, `@@x` or an acquired name
find nothing). Folders are collections, Files and Images their bytes, Pages,
Templates and Scripts their text; anything else (a user folder, an
extension's type) is not shown. Walking through a folder needs *Access
contents information* there, as everywhere.

A `DavRequest` holds what every method needs: the target (or, for a name
not there yet, its folder), the locks, the `If` header and the checks made
before any write, in the order litmus and RFC 4918 expect: the `If` header
first (412), then the locks (423).
"""

from urllib.parse import quote, unquote, urlsplit

import webob

from objweb.content.file import File
from objweb.content.folder import Folder
from objweb.content.locks import Locks
from objweb.content.sources import has_source
from objweb.dav import conditions
from objweb.dav.multistatus import error_answer
from objweb.errors import ValidationError
from objweb.names import check_name
from objweb.security.protections import ACCESS
from objweb.traversal.location import path_of
from objweb.traversal.resolve import child
from objweb.web.files import entity_tag

VIEW_SEGMENT = "@@dav"


class DavStatus(Exception):
    """A WebDAV answer that is no objweb error: 405, 409, 412, 415, 423, 502, 507..."""

    def __init__(self, status: int, detail: str, condition: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.condition = status, detail, condition

    def answer(self) -> webob.Response:
        """Return the response that tells the client."""
        return error_answer(self.status, self.condition, self.detail)


def is_shown(obj) -> bool:
    """Return whether the WebDAV tree shows `obj`."""
    return isinstance(obj, (Folder, File)) or has_source(obj)


def etag(obj) -> str:
    """Return the quoted entity tag of `obj`, the one the site's own views send."""
    return f'"{entity_tag(obj)}"'


def valid_name(name: str) -> str:
    """Return `name` if it may name a new object; raise `ValidationError` (400) if not."""
    try:
        return check_name(name)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class Door:
    """Where the tree starts: its root folder and the URL path of `@@dav` on it."""

    def __init__(self, request):
        self.request = request
        self.root = request.traversal.obj
        self.root_path = path_of(self.root)
        # The public path, virtual hosting included; kept unquoted, quoted per href.
        self.prefix = unquote(urlsplit(request.url_of(self.root)).path).rstrip("/") \
            + "/" + VIEW_SEGMENT

    def object_path(self, segments) -> str:
        """Return the object path the segments below the door name, existing or not."""
        base = "" if self.root_path == "/" else self.root_path
        return base + "/" + "/".join(segments) if segments else self.root_path

    def href(self, path: str, *, is_container: bool) -> str:
        """Return the quoted URL path of the object at `path` (an object path)."""
        relative = path[len(self.root_path.rstrip("/")):].strip("/")
        tail = "/".join(quote(segment, safe="") for segment in relative.split("/")) \
            if relative else ""
        href = quote(self.prefix, safe="/@") + "/" + tail
        return href + "/" if is_container and tail else href

    def segments_of(self, url: str) -> list[str] | None:
        """Return the segments a URL (absolute, or a path) names below the door, else None."""
        parts = urlsplit(url)
        if parts.netloc and parts.netloc.lower() not in self._hosts():
            return None
        path = unquote(parts.path)
        if not (path + "/").startswith(self.prefix + "/"):
            return None
        return [segment for segment in path[len(self.prefix):].split("/") if segment]

    def _hosts(self) -> set[str]:
        public = urlsplit(self.request.base_url or "").netloc
        return {host.lower() for host in (self.request.host, public) if host}

    def find(self, segments, policy) -> tuple:
        """Return (object or None, its folder or None, last name) for `segments`.

        The folder is known only when the last name is the one missing: a
        missing folder on the way is no place to create anything. Raises
        the policy's refusal where a folder walked through may not be read.
        """
        obj, parent = self.root, None
        for index, segment in enumerate(segments):
            if not isinstance(obj, Folder):
                return None, None, segment
            policy.check(ACCESS, obj)
            parent, obj = obj, child(obj, segment)
            if obj is None or not is_shown(obj):
                return None, (parent if index == len(segments) - 1 else None), segment
        return obj, parent, segments[-1] if segments else ""


class DavRequest:
    """One WebDAV request: its door, target, locks and `If` header."""

    def __init__(self, request):
        self.request = request
        self.policy = request.policy
        self.door = Door(request)
        self.segments = tuple(request.traversal.subpath)
        self.obj, self.parent, self.name = self.door.find(self.segments, self.policy)
        self.path = self.door.object_path(self.segments)
        self.locks = Locks(request.connection)
        self.conditions = conditions.parse_if(request.headers.get("If"))
        self.tokens = conditions.submitted_tokens(self.conditions)
        principal = request.principal
        self.holder = (principal.user_folder, principal.id)

    def require(self):
        """Return the target; raise `DavStatus` 404 if nothing is there."""
        if self.obj is None:
            raise DavStatus(404, "There is nothing at this address.")
        return self.obj

    def require_parent(self):
        """Return the folder a new name goes into; raise `DavStatus` 409 if there is none."""
        if self.parent is None:
            raise DavStatus(409, "The folder this would go into does not exist.")
        return self.parent

    def note(self, what: str) -> None:
        """Describe the change for the Undo screen and the audit log."""
        self.request.note(f"WebDAV {self.request.method} {what}")

    # -- conditions and locks ----------------------------------------------------

    def check_conditions(self) -> None:
        """Raise `DavStatus` 412 unless the `If` header holds."""
        if not conditions.holds(self.conditions, state_of=self._state_of,
                                request_resource=self.path):
            raise DavStatus(412, "The conditions of the If header do not hold.")

    def _state_of(self, url_or_path: str):
        if url_or_path == self.path:
            obj, path = self.obj, self.path
        else:
            segments = self.door.segments_of(url_or_path)
            if segments is None:
                return None, set()
            obj, path = self.door.find(segments, self.policy)[0], \
                self.door.object_path(segments)
        tokens = {lock.token for lock in self.locks.covering(path)}
        return (etag(obj) if obj is not None else None), tokens

    def check_unlocked(self, path: str, *, depth: str = "0") -> None:
        """Raise `DavStatus` 423 unless every lock on `path` (and below, at depth
        infinity) is this user's, with its token submitted."""
        self.locks.mark_read()
        found = self.locks.covering(path)
        if depth == "infinity":
            found += self.locks.below(path)
        by_root: dict[str, list] = {}
        for lock in found:
            by_root.setdefault(lock.path, []).append(lock)
        for locks in by_root.values():
            if not any(lock.token in self.tokens and lock.holder == self.holder
                       for lock in locks):
                raise DavStatus(423, "The resource is locked.", "lock-token-submitted")

    def check_members_unlocked(self, folder) -> None:
        """Raise `DavStatus` 423 if adding or removing a member of `folder` needs a lock's token."""
        self.check_unlocked(path_of(folder))
