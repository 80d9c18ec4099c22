"""The management screens' own files (style sheet, script, icon), served from the package.

Every URL names the version of its file (see `objweb.web.assets`), so a
browser may keep each file for a year and still never run a stale script.
"""

import os

import webob

from objweb.content.base import Item
from objweb.content.folder import Folder
from objweb.errors import NotFoundError
from objweb.security.protections import PUBLIC
from objweb.traversal.views import view_config
from objweb.web.assets import PackageFiles

STATIC_DIR = os.path.join(os.path.dirname(__file__), "static")
VIEW_NAME = "manage_static"
FAVICON = "favicon.ico"

FILES = PackageFiles(STATIC_DIR)
STATIC_FILES = FILES.versions


def static_path(filename: str) -> str:
    """Return the path, below the site root, of the static file `filename`, versioned."""
    return f"{VIEW_NAME}/{FILES.versioned(filename)}"


@view_config(Item, VIEW_NAME, action=PUBLIC, plain=True, accepts_subpath=True)
def static_file(obj, request) -> webob.Response:
    """Serve one of the management screens' files, conditionally and by range.

    Raises `NotFoundError` for any other name.
    """
    subpath = request.traversal.subpath
    if len(subpath) != 1:
        raise NotFoundError("no such file")
    return FILES.response(subpath[0], request)


# A plain name that an item may also have: traversal finds items first, so a
# site's own favicon.ico wins, and this one answers where there is none.
@view_config(Folder, FAVICON, action=PUBLIC, plain=True)
def favicon(obj, request) -> webob.Response:
    """Serve objweb's icon as the site's `/favicon.ico`, which browsers ask every site for.

    A site's own item of that name is found first; below the site root
    there is no such file. Raises `NotFoundError`.
    """
    if obj is not request.url_root:
        raise NotFoundError("no such file")
    return FILES.response(FAVICON, request)

