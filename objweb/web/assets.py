"""objweb's own files (style sheets, scripts, icons), shipped in a package folder and served from it.

A `PackageFiles` knows the files of one folder by a version of each (a
hash of the content). Every URL names the version of its file, so a
browser may keep each file for a year and still never run a stale script;
a URL without the right version is revalidated on every use.
"""

import hashlib
import mimetypes
import os

import webob
from webob.static import FileIter

from objweb.errors import NotFoundError

LONG_LIFE = "public, max-age=31536000, immutable"


def _fingerprints(directory: str) -> dict[str, str]:
    found = {}
    for filename in sorted(os.listdir(directory)):
        with open(os.path.join(directory, filename), "rb") as stream:
            found[filename] = hashlib.sha256(stream.read()).hexdigest()[:12]
    return found


class PackageFiles:
    """The files of one package folder, each with its version, read once at start-up."""

    def __init__(self, directory: str):
        self.directory = directory
        self.versions = _fingerprints(directory)

    def versioned(self, filename: str) -> str:
        """Return `filename` with the query that names its version (`zmi.js?v=…`)."""
        return f"{filename}?v={self.versions.get(filename, '')}"

    def response(self, filename: str, request) -> webob.Response:
        """Return the file `filename`, answered conditionally and by range.

        Cacheable for a year when the request names the file's current
        version. Raises `NotFoundError` for a name the folder does not hold.
        """
        if filename not in self.versions:
            raise NotFoundError("no such file")
        path = os.path.join(self.directory, filename)
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = webob.Response(app_iter=FileIter(open(path, "rb")), content_type=content_type,
                                  content_length=os.path.getsize(path),
                                  conditional_response=True)
        if content_type.startswith("text/"):
            response.charset = "utf-8"
        response.etag = self.versions[filename]
        response.last_modified = os.path.getmtime(path)
        is_current = request.GET.get("v") == self.versions[filename]
        response.cache_control = LONG_LIFE if is_current else "no-cache"
        return response
