"""Export downloads and import uploads, in ZODB's export format.

One object downloads as a `.zexp` file, as Zope's Import/Export tab makes
them; several selected on the Contents tab download as a zip of one
`.zexp` per object, and an upload may be either. The exports are written
to temporary files and streamed out, so a big subtree never sits in memory.
"""

import os
import tempfile
import zipfile
from urllib.parse import quote

import webob

from objweb.errors import ValidationError
from objweb.storage.transfer import EXPORT_SUFFIX, export_subtree, import_subtree
from objweb.traversal.location import path_of

CHUNK_SIZE = 1 << 16
MAX_ZIP_MEMBERS = 10000


def _stream(spool, chunk_size: int = CHUNK_SIZE):
    """Yield the content of an open temporary file, then close it."""
    try:
        spool.seek(0)
        while chunk := spool.read(chunk_size):
            yield chunk
    finally:
        spool.close()


def _attachment(spool, filename: str, content_type: str) -> webob.Response:
    size = spool.seek(0, os.SEEK_END)
    response = webob.Response(app_iter=_stream(spool), content_type=content_type,
                              content_length=size)
    response.content_disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    response.cache_control = "no-store"
    return response


def download(container, names: list[str]) -> webob.Response:
    """Return the export of `container`'s items `names` as a download."""
    if len(names) == 1:
        return download_object(container[names[0]])
    spool = tempfile.TemporaryFile(prefix="objweb-export")
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            with tempfile.TemporaryFile(prefix="objweb-export") as single:
                export_subtree(container[name], single)
                single.seek(0)
                with archive.open(name + EXPORT_SUFFIX, "w", force_zip64=True) as member:
                    while chunk := single.read(CHUNK_SIZE):
                        member.write(chunk)
    folder_name = container.__name__ or "site"
    return _attachment(spool, f"{folder_name}-export.zip", "application/zip")


def download_object(obj) -> webob.Response:
    """Return the export of `obj` and everything below it as a `.zexp` download."""
    spool = tempfile.TemporaryFile(prefix="objweb-export")
    export_subtree(obj, spool)
    name = obj.__name__ or "site"
    return _attachment(spool, name + EXPORT_SUFFIX, "application/octet-stream")


def import_upload(container, upload, name: str = "", *, policy) -> list[str]:
    """Import an uploaded `.zexp` (or a zip of them) into `container`; return the paths made.

    `name`, for a single `.zexp`, replaces the name it was exported under.
    `policy` is the importing user's: what they may create, and whose the
    objects become (see `objweb.content.incoming`). Raises `ValidationError`
    for an unreadable file and whatever `import_subtree` raises; the
    caller's transaction is then to be aborted.
    """
    stream = upload.file
    if zipfile.is_zipfile(stream):
        stream.seek(0)
        if name:
            raise ValidationError("a zip of exports keeps the names inside it; leave the "
                                  "name empty", "import_name")
        return _import_zip(container, stream, policy)
    stream.seek(0)
    obj = import_subtree(container, stream, name=name or None, policy=policy)
    return [path_of(obj)]


def _import_zip(container, stream, policy) -> list[str]:
    made = []
    with zipfile.ZipFile(stream) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if not members or len(members) > MAX_ZIP_MEMBERS:
            raise ValidationError("the zip holds no export files", "file")
        for info in members:
            if not info.filename.endswith(EXPORT_SUFFIX):
                raise ValidationError(f"{info.filename} in the zip is not a {EXPORT_SUFFIX} "
                                      "export", "file")
            with archive.open(info) as member:
                made.append(path_of(import_subtree(container, member, policy=policy)))
    return made
