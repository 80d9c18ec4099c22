"""The WebDAV door: the whole site as a WebDAV tree (RFC 4918, classes 1 and 2) at `/@@dav/`.

`/@@dav/news/hello` is the object `/news/hello`. Folders are collections,
Files and Images their bytes, Pages, Templates and Scripts their source.
The door is one view of folders, published like every other, with the
site's authentication, permissions and transactions; its locks and dead
properties are kept in the database by `objweb.content`.
"""

from objweb.content.folder import Folder
from objweb.dav.reading import METHODS
from objweb.dav.view import dav_view, tell_problem
from objweb.security.protections import WEBDAV

VIEW_NAME = "dav"


def include(registry) -> None:
    """Register the WebDAV door, `@@dav` on every folder, in the view registry `registry`."""
    registry.register(Folder, VIEW_NAME, dav_view, action=WEBDAV, methods=METHODS,
                      accepts_subpath=True, problems=tell_problem)
