"""The `@@dav` view: one request of any WebDAV method, and how its refusals are told.

The publisher does for this view what it does for every other: one
transaction per request (aborted on any answer of 400 or more), replay on a
conflict with the body read again, Basic authentication, and the CSRF check
for a request that comes with a session cookie. Refusals raised here (400,
401, 403, 404, 413) go through the error boundary, whose challenge hook for
this view (`tell_problem`) tells them in a sentence of plain text, with a
Basic challenge on a 401 whatever the client accepts: a WebDAV client
cannot fill in a login form. WebDAV's own statuses
(207, 405, 409, 412, 415, 423, 502, 507) are answers the methods return.
"""

import webob

from objweb.dav import locking, moving, reading, writing
from objweb.dav.door import DavRequest, DavStatus
from objweb.errors import ValidationError
from objweb.security.protections import WEBDAV
from objweb.web.boundary import Problem

DAV_HEADER = "1, 2"

HANDLERS = {
    "OPTIONS": reading.options, "GET": reading.get, "HEAD": reading.get,
    "PROPFIND": reading.propfind, "PUT": writing.put, "MKCOL": writing.mkcol,
    "DELETE": writing.delete, "PROPPATCH": writing.proppatch, "COPY": moving.copy,
    "MOVE": moving.move, "LOCK": locking.lock, "UNLOCK": locking.unlock,
}


def dav_view(root, request) -> webob.Response:
    """Answer one WebDAV request on the object the rest of the path names."""
    raw_uri = request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI") or ""
    if "#" in raw_uri:
        # A server drops a fragment from the path: acting on what is left
        # could delete a whole folder. No real client sends one.
        raise ValidationError("a request URI carries no fragment")
    dav = DavRequest(request)
    place = dav.obj if dav.obj is not None else (dav.parent or dav.door.root)
    dav.policy.check(WEBDAV, place)
    try:
        answer = HANDLERS[request.method](dav)
    except DavStatus as status:
        answer = status.answer()
    answer.headers["DAV"] = DAV_HEADER
    return answer


def tell_problem(request, problem: Problem) -> webob.Response:
    """Return a refusal of the WebDAV door: a sentence, and Basic's challenge on a 401.

    The door's challenge hook: it answers every problem of a request that
    reached the door, so a client that accepts HTML never gets the login form.
    """
    answer = webob.Response(problem.message + "\n", status=problem.status,
                            content_type="text/plain", charset="utf-8")
    answer.headers.update(problem.headers)
    answer.headers["DAV"] = DAV_HEADER
    answer.cache_control = "no-store"
    return answer
