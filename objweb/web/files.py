"""Serving File and Image content: conditional, by range, from an open blob.

WebOb answers `304`, `206` and `416` from the headers set here. A whole file
goes out through the server's `wsgi.file_wrapper`; a range is read by seeking
in the blob, so neither path reads more of the file than it sends.
"""

from email.utils import formatdate
from urllib.parse import quote

import webob
from webob.descriptors import serialize_etag_response
from ZODB.utils import z64

from objweb.content.file import CHUNK_SIZE
from objweb.security.headers import UPLOAD_SANDBOX_CSP


class BlobIterator:
    """Iterates over an open file in chunks, from `start` up to, not including, `stop`.

    Closing it closes the file, whether or not it was iterated: a server
    closes what it was given even when it sends no body (`HEAD`, `304`).
    """

    def __init__(self, stream, start: int | None = None, stop: int | None = None):
        self.stream = stream
        self.start = start
        self.stop = stop

    def __iter__(self):
        try:
            if self.start:
                self.stream.seek(self.start)
            remaining = None if self.stop is None else self.stop - (self.start or 0)
            while remaining is None or remaining > 0:
                size = CHUNK_SIZE if remaining is None else min(CHUNK_SIZE, remaining)
                chunk = self.stream.read(size)
                if not chunk:
                    break
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk
        finally:
            self.close()

    def app_iter_range(self, start: int | None, stop: int | None) -> "BlobIterator":
        """Return an iterator over the bytes from `start` up to, not including, `stop`."""
        return BlobIterator(self.stream, start, stop)

    def close(self) -> None:
        """Close the underlying file."""
        self.stream.close()


class FileResponse(webob.Response):
    """A conditional response over a blob that hands whole files to `wsgi.file_wrapper`."""

    def __init__(self, stream, **kwargs):
        super().__init__(conditional_response=True, app_iter=BlobIterator(stream), **kwargs)
        self._stream = stream

    def __call__(self, environ, start_response):
        environ = readable_conditions(environ)
        file_wrapper = environ.get("wsgi.file_wrapper")
        if file_wrapper is not None and "HTTP_RANGE" not in environ:
            # WebOb forgets the length when the iterator is replaced: keep it.
            length = self.content_length
            self.app_iter = file_wrapper(self._stream, CHUNK_SIZE)
            self.content_length = length
        return super().__call__(environ, start_response)


def readable_conditions(environ: dict) -> dict:
    """Return `environ` without the Range and date conditions WebOb cannot read.

    HTTP has a server ignore a range or a condition it cannot parse; WebOb
    instead raises on some (`bytes=-`, a date past the year 9999) and compares
    an If-Range that is no date with None. An If-Range that cannot hold asks
    for the whole file, so its Range goes too.
    """
    request = webob.Request(environ)
    unreadable = {key for key, read in _CONDITIONS.items()
                  if key in environ and not _can_read(read, request)}
    if "HTTP_IF_RANGE" in unreadable:
        unreadable.add("HTTP_RANGE")
    if not unreadable:
        return environ
    return {key: value for key, value in environ.items() if key not in unreadable}


def _can_read(read, request) -> bool:
    try:
        return read(request) is not None
    except (ValueError, OverflowError):
        return False


# How WebOb reads each header; None means it could not.
_CONDITIONS = {
    "HTTP_RANGE": lambda request: request.range,
    # An entity tag, or a date (None when the text is no date).
    "HTTP_IF_RANGE": lambda request: getattr(request.if_range, "date", request.if_range),
    "HTTP_IF_MODIFIED_SINCE": lambda request: request.if_modified_since,
    "HTTP_IF_UNMODIFIED_SINCE": lambda request: request.if_unmodified_since,
}


def entity_tag(obj) -> str:
    """Return an entity tag that changes whenever `obj` is committed with changes."""
    serial = getattr(obj, "_p_serial", None) or b""
    return serial.hex() or f"{obj.modified!r}"


def file_response(file_obj, request) -> webob.Response:
    """Return the response that serves `file_obj`'s content to `request`."""
    # A copy: WebOb changes the list it is given (the length, a 304's headers).
    return FileResponse(file_obj.open(), headerlist=list(served_headers(file_obj)))


def served_headers(file_obj) -> tuple[tuple[str, str], ...]:
    """Return the headers that serve `file_obj`, made once per committed revision.

    Parsing the content type alone cost a quarter of a small file's answer.
    They are kept in a `_v_` attribute with the revision's serial: ZODB drops
    it when the object is invalidated, and a new serial (any committed change,
    a rename included) makes them again. A File changed and not yet committed
    gets fresh headers and keeps none.
    """
    serial = file_obj._p_serial
    kept = getattr(file_obj, "_v_served_headers", None)
    if kept is not None and kept[0] == serial and not file_obj._p_changed:
        return kept[1]
    headers = _headers(file_obj)
    if file_obj._p_jar is not None and not file_obj._p_changed and serial != z64:
        file_obj._v_served_headers = (serial, headers)
    return headers


def _headers(file_obj) -> tuple[tuple[str, str], ...]:
    # The headers as WebOb would write them, written once rather than set one
    # by one through WebOb's parsing properties.
    headers = (
        # The type as parsed, never the stored text: a browser and objweb must
        # read one and the same type for the active-content check to mean anything.
        ("Content-Type", file_obj.served_content_type),
        ("Content-Length", str(file_obj.size)),
        ("ETag", serialize_etag_response(entity_tag(file_obj))),
        ("Last-Modified", formatdate(int(file_obj.modified), usegmt=True)),
        ("Accept-Ranges", "bytes"),
        ("Cache-Control", "no-cache"),
    )
    if file_obj.is_active_content:
        headers += (("Content-Disposition", _attachment(file_obj.__name__ or "download")),
                    ("Content-Security-Policy", UPLOAD_SANDBOX_CSP))
    return headers


def _attachment(name: str) -> str:
    ascii_name = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\;' else "_"
                         for ch in name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
