"""The request limits: URL length, body size, form fields and JSON depth.

Each check runs before the part it guards is parsed, so a request over a
limit costs no more memory than one just under it, and answers a 4xx that
names the limit: 414 for a long URL, 413 for a body, a form or a JSON body
too large, 400 for a query with too many fields or JSON nested too deeply.
The limits are fields of `Settings`; the publisher calls `check_request`
and `make_body_seekable` before it opens the database, the request calls
`check_form` and then `parse_form`, and `check_json_depth` before the JSON
parser sees a body.

A multipart form's fields are counted by the parser that reads them, as
each part begins: a count made beside the parser could read another
boundary than the parser does (two `boundary=` parameters). A part is never
read as a form of its own: its bytes are its value, whatever type it gives.
"""

import cgi
import os
import re

from webob.compat import cgi_FieldStorage
from webob.multidict import MultiDict
from webob.request import DisconnectionError

from objweb.errors import ValidationError

FORM_TYPE = "application/x-www-form-urlencoded"
MULTIPART_TYPE = "multipart/form-data"
_SCAN_CHUNK = 1 << 20
SHORT_BODY = "the request body ended before its Content-Length"
# A JSON string: to its closing quote, or to the end of a text that never closes
# it, so that no attempt fails and restarts (which would cost a pass per quote).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.S)
# Brackets only, and every opening one as "[" and closing one as "]".
_BRACKETS = b"[]{}"
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in _BRACKETS)
_FOLD_BRACKETS = bytes.maketrans(b"{}", b"[]")


class RequestTooLargeError(ValidationError):
    """A request body over the size the server accepts for it (413)."""


class URLTooLongError(ValidationError):
    """A request URL over the length the server accepts (414)."""


def check_request(request, settings) -> None:
    """Refuse a request whose URL, query or declared body is over its limit.

    Raises `URLTooLongError`, `ValidationError` (too many query fields) or
    `RequestTooLargeError` (a `Content-Length` over `max_request_body`).
    """
    length = _url_length(request.environ)
    if length > settings.max_url_length:
        raise URLTooLongError(f"the URL is {length} characters long; "
                              f"the limit is {settings.max_url_length}")
    query = request.environ.get("QUERY_STRING", "")
    if query.count("&") >= settings.max_form_fields:
        raise ValidationError(f"the query has more than {settings.max_form_fields} fields")
    declared = request.content_length
    if declared is not None and declared > settings.max_request_body:
        raise RequestTooLargeError(f"the request body is over {settings.max_request_body} bytes")


def _url_length(environ) -> int:
    # The path as the server decoded it (bytes as latin-1 characters, whatever
    # they mean), and the query as sent.
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    return len(path) + (len(query) + 1 if query else 0)


def make_body_seekable(request, limit: int) -> None:
    """Copy the body where it can be read again (a retry replays it), at most `limit` bytes.

    A body without `Content-Length` (chunked) is counted as it arrives, so a
    server that streams it (gunicorn) cannot push more than `limit` bytes to
    disk. Raises `RequestTooLargeError` past the limit.
    """
    if request.content_length is None and request.is_body_readable:
        request.body_file_raw = _LimitedReader(request.body_file_raw, limit)
        request.is_body_readable = True
    elif _is_rewindable(request.body_file_raw):
        # waitress hands over the file it spooled the body to: copying a 1 GB
        # upload to a second temporary file would only double the disk work.
        if (request.content_length or 0) > _size_of(request.body_file_raw):
            raise ValidationError(SHORT_BODY)
        request.is_body_seekable = True
    try:
        request.make_body_seekable()
    except DisconnectionError as error:  # the client sent less than its Content-Length
        raise ValidationError(SHORT_BODY) from error


def _size_of(stream) -> int:
    """The size of a rewindable stream positioned at its start."""
    size = stream.seek(0, 2)
    stream.seek(0)
    return size


def _is_rewindable(stream) -> bool:
    """Whether `stream` is a file positioned at its start that can go back there."""
    try:
        return stream.seekable() and stream.tell() == 0
    except (AttributeError, OSError, ValueError):
        return False


class _LimitedReader:
    """A body stream that refuses to give more than `limit` bytes."""

    def __init__(self, stream, limit: int):
        self._stream = stream
        self._limit = limit
        self._left = limit

    def read(self, size: int = -1) -> bytes:
        """Return the next bytes; raise `RequestTooLargeError` past the limit."""
        want = self._left + 1 if size is None or size < 0 else min(size, self._left + 1)
        data = self._stream.read(want)
        self._left -= len(data)
        if self._left < 0:
            raise RequestTooLargeError(f"the request body is over {self._limit} bytes")
        return data


def is_form(request) -> bool:
    """Whether WebOb reads this body as a form (an untyped POST counts as urlencoded)."""
    content_type = request.content_type
    return content_type in (FORM_TYPE, MULTIPART_TYPE) or (
        content_type == "" and request.method == "POST")


def check_form(request, settings) -> None:
    """Refuse a urlencoded form over its size or field limit, before it is parsed.

    A multipart form is counted as it is parsed (`parse_form`). Raises
    `RequestTooLargeError`.
    """
    if not is_form(request) or not request.is_body_readable:
        return
    # Done already for the unsafe methods; a GET may carry a form too.
    make_body_seekable(request, settings.max_request_body)
    if request.content_type == MULTIPART_TYPE:
        return
    if (request.content_length or 0) > settings.max_form_body:
        raise RequestTooLargeError(f"the form is over {settings.max_form_body} bytes")
    # The parser splits on "&" alone (Python's parse_qsl), as this count does.
    stream = request.body_file_raw
    fields = _count_byte(stream, b"&") + 1
    stream.seek(0)
    if fields > settings.max_form_fields:
        raise _too_many_fields(settings.max_form_fields)


def _too_many_fields(limit: int) -> RequestTooLargeError:
    return RequestTooLargeError(f"the form has more than {limit} fields")


class _FieldBudget:
    """How many more fields the form being parsed may have."""

    def __init__(self, limit: int):
        self.limit = limit
        self.left = limit

    def spend(self) -> None:
        """Count one field; raise `RequestTooLargeError` past the limit."""
        self.left -= 1
        if self.left < 0:
            raise _too_many_fields(self.limit)


_BUDGET_KEY = "objweb.form_field_budget"
# The headers of one part of a multipart form (and anything before its first
# boundary): a browser sends a few hundred bytes.
MAX_PART_HEADERS = 64 << 10


class _BoundedLines:
    """The body as the form parser reads it, with its header lines bounded.

    The parser reads a part's headers (and what precedes the first boundary)
    with `readline()` and no size, joining them as it goes; a part's content
    it reads with a size. So the bytes of unsized line reads in a row are
    counted, and more than `MAX_PART_HEADERS` of them are refused before
    they are held or joined.
    """

    def __init__(self, stream):
        self._stream = stream
        self._unsized_run = 0

    def readline(self, size: int = -1) -> bytes:
        """Return the next line; raise `RequestTooLargeError` past the headers' limit."""
        if size is not None and size >= 0:
            self._unsized_run = 0
            return self._stream.readline(size)
        line = self._stream.readline(MAX_PART_HEADERS - self._unsized_run + 1)
        self._unsized_run += len(line)
        if self._unsized_run > MAX_PART_HEADERS:
            raise RequestTooLargeError(
                f"the headers of a part of the form are over {MAX_PART_HEADERS} bytes")
        return line

    def read(self, size: int = -1) -> bytes:
        """Return the next bytes (the parser reads a urlencoded body whole this way)."""
        self._unsized_run = 0
        return self._stream.read(size)


class _CountingFieldStorage(cgi_FieldStorage):
    """WebOb's form parser, spending one field of the budget as each part begins.

    The parser makes every part with this class and the environ the form
    began with, which carries the budget. A part typed as a form of its own
    is read as one value, as Zope reads it. Typed as a urlencoded form, the
    parser would read the rest of the body into memory for it, past its
    boundary and the form's size limit. Typed multipart (multipart/mixed,
    how browsers long ago sent several files under one name), the parser
    would take the end of the part for the end of the form, dropping the
    fields after it, or drop a file after one that gives its length.
    """

    def __init__(self, fp=None, headers=None, outerboundary=b"", environ=os.environ,
                 *args, **kwargs):
        self._budget = environ.get(_BUDGET_KEY)
        self._is_part = bool(outerboundary)
        if self._budget is not None and self._is_part:
            self._budget.spend()
        super().__init__(fp, headers, outerboundary, environ, *args, **kwargs)

    def read_multi(self, environ, keep_blank_values, strict_parsing):
        """Read a multipart body; in a part, read it as the part's one value."""
        if self._is_part:
            self.read_single()
        else:
            super().read_multi(environ, keep_blank_values, strict_parsing)

    def read_urlencoded(self):
        """Read a urlencoded body; in a part, read it as the part's one value."""
        if self._is_part:
            self.read_single()
        else:
            super().read_urlencoded()


def _boundary(request) -> str:
    # Read as the parser reads it (the last of several wins), not as another parser would.
    _value, params = cgi.parse_header(request.environ.get("CONTENT_TYPE", ""))
    return params.get("boundary", "")


def parse_form(request, max_fields: int) -> MultiDict:
    """Return the fields of the form body of `request`, read as WebOb reads them.

    Call `check_form` first. Raises `RequestTooLargeError` at the first part
    over `max_fields`, `ValidationError` for a form not in UTF-8, and the
    parser's `ValueError` for a multipart body it cannot read.
    """
    if request.charset.upper() not in ("UTF-8", "UTF8"):
        raise ValidationError(f"send the form in UTF-8, not {request.charset}")
    if request.content_type == MULTIPART_TYPE and not _boundary(request):
        raise ValidationError("the multipart form has no boundary")
    request.make_body_seekable()
    request.body_file_raw.seek(0)
    environ = request.environ.copy()
    # As WebOb does: the parser would take a missing length for "read to the end".
    environ.setdefault("CONTENT_LENGTH", "0")
    environ["QUERY_STRING"] = ""
    environ[_BUDGET_KEY] = _FieldBudget(max_fields)
    storage = _CountingFieldStorage(fp=_BoundedLines(request.body_file), environ=environ,
                                    keep_blank_values=True, encoding="utf8")
    return MultiDict.from_fieldstorage(storage)


def _count_byte(stream, byte: bytes) -> int:
    """Return how often the one byte `byte` occurs in `stream`, read in chunks from the start."""
    stream.seek(0)
    count = 0
    while chunk := stream.read(_SCAN_CHUNK):
        count += chunk.count(byte)
    return count


def check_json_depth(text: str, limit: int) -> None:
    """Refuse JSON text nested deeper than `limit` arrays and objects.

    Each step runs in C, in time linear in the text and in `limit`, so the
    check costs less than the parse it guards, and no input reaches the
    recursive parser deep enough to exhaust its stack. Strings are cut out
    and every other character but brackets dropped; then each pass removes
    every innermost pair `[]`, which lowers the depth by exactly one. Raises
    `ValidationError`.
    """
    if text.count("[") + text.count("{") <= limit:
        return
    outside_strings = _JSON_STRING.sub("", text).encode("utf-8", "replace")
    brackets = outside_strings.translate(_FOLD_BRACKETS, delete=_NOT_BRACKETS)
    for _ in range(limit):
        inner_removed = brackets.replace(b"[]", b"")
        if len(inner_removed) == len(brackets):
            break
        brackets = inner_removed
    # A pair still there was nested deeper than `limit`; openers never closed
    # (JSON that is not valid anyway) count as deep as they go.
    if b"[]" in brackets or brackets.count(b"[") > limit:
        raise ValidationError(f"the JSON body is nested more than {limit} levels deep")
