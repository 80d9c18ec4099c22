"""The management screens' own files (style sheet, script, icon), served from the package.

Every URL names the version of its file (a hash of the content), so a
browser may keep each file for a year and still never run a stale script.
"""

import hashlib
import mimetypes
import os

import webob
from webob.static import FileIter

from objweb.content.base import Item
from objweb.content.folder import Folder
from objweb.errors import NotFoundError
from objweb.security.protections import PUBLIC
from objweb.traversal.views import view_config

STATIC_DIR = os.path.join(os.path.dirname(__file__), "static")
VIEW_NAME = "manage_static"
FAVICON = "favicon.ico"


def _fingerprints() -> dict[str, str]:
    found = {}
    for filename in sorted(os.listdir(STATIC_DIR)):
        with open(os.path.join(STATIC_DIR, filename), "rb") as stream:
            found[filename] = hashlib.sha256(stream.read()).hexdigest()[:12]
    return found


STATIC_FILES = _fingerprints()


def static_path(filename: str) -> str:
    """Return the path, below the site root, of the static file `filename`, versioned."""
    return f"{VIEW_NAME}/{filename}?v={STATIC_FILES.get(filename, '')}"


@view_config(Item, VIEW_NAME, action=PUBLIC, plain=True, accepts_subpath=True)
def static_file(obj, request) -> webob.Response:
    """Serve one of the management screens' files, conditionally and by range.

    Raises `NotFoundError` for any other name.
    """
    subpath = request.traversal.subpath
    if len(subpath) != 1 or subpath[0] not in STATIC_FILES:
        raise NotFoundError("no such file")
    return file_response(subpath[0], request)


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
    return file_response(FAVICON, request)


def file_response(filename: str, request) -> webob.Response:
    """Return one of the static files, cacheable for a year when its URL names its version."""
    path = os.path.join(STATIC_DIR, filename)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = webob.Response(app_iter=FileIter(open(path, "rb")), content_type=content_type,
                              content_length=os.path.getsize(path), conditional_response=True)
    if content_type.startswith("text/"):
        response.charset = "utf-8"
    response.etag = STATIC_FILES[filename]
    response.last_modified = os.path.getmtime(path)
    if request.GET.get("v") == STATIC_FILES[filename]:
        response.cache_control = "public, max-age=31536000, immutable"
    else:
        response.cache_control = "no-cache"
    return response
