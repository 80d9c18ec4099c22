"""Objects as files of text an editor opens and saves: Pages, Templates and Scripts.

A Page is its HTML body, a Template its source. A Script is its body with
Zope's header line first, `## parameters=name='world', n=1`, so that the
parameters travel with the code; a text saved without that line leaves the
Script with no parameters (what is saved is what is read back). Text is
UTF-8. Saving goes through the type's `edit`, so code that does not compile
is refused with its line and column (counted in the text as saved, header
included) and nothing changes, and whoever writes code becomes its owner.

`type_for_new` says which type a new name becomes when a file is saved
where nothing is yet (a WebDAV PUT), by extension first, then by media type:

1. `.pt`, `.zpt`, or `text/x-zope-pagetemplate`: a Template;
2. `.py`, or `text/x-python`: a Script;
3. `.html`, `.htm`, or `text/html`: a Page;
4. an `image/...` type (sent, or guessed from the extension when none is sent): an Image;
5. anything else: a File.
"""

import mimetypes
import re
from contextlib import contextmanager

from objweb.content.file import File
from objweb.content.image import Image
from objweb.content.page import Page
from objweb.content.script import Script
from objweb.content.template import Template
from objweb.errors import SourceError, ValidationError

PARAMETERS_HEADER = "## parameters="
TEMPLATE_MEDIA_TYPE = "text/x-zope-pagetemplate"
SCRIPT_MEDIA_TYPES = ("text/x-python", "text/x-python-script")
# What a source is served as: Zope served templates as HTML.
_MEDIA_TYPES = {Page: "text/html", Template: "text/html", Script: "text/x-python"}
_FIELDS = {Page: ("body",), Template: ("source",), Script: ("params", "body")}
_HEADER_LINE = re.compile(r"\A## parameters=([^\r\n]*)(?:\r\n|\n|\r|\Z)")


def has_source(obj_or_type) -> bool:
    """Return whether the object (or type) is read and written as a text source."""
    cls = obj_or_type if isinstance(obj_or_type, type) else type(obj_or_type)
    return _kind(cls) is not None


def _kind(cls: type) -> type | None:
    return next((kind for kind in _FIELDS if issubclass(cls, kind)), None)


def source_fields(obj_or_type) -> tuple[str, ...]:
    """Return the names of the fields a source is made of."""
    cls = obj_or_type if isinstance(obj_or_type, type) else type(obj_or_type)
    return _FIELDS[_kind(cls)]


def source_media_type(obj) -> str:
    """Return the media type a source is served as."""
    return _MEDIA_TYPES[_kind(type(obj))]


def source_of(obj) -> bytes:
    """Return the text an editor sees, UTF-8 encoded."""
    values = {name: getattr(obj, name) for name in source_fields(obj)}
    return source_text(type(obj), values).encode("utf-8")


def source_text(cls: type, values: dict) -> str:
    """Return the text that source `values` of type `cls` are written as (a revision's too)."""
    if _kind(cls) is Script:
        return f"{PARAMETERS_HEADER}{values['params']}\n{values['body']}"
    return values[_FIELDS[_kind(cls)][0]]


def source_values(cls: type, data: bytes) -> dict:
    """Return the field values a saved text means for a type with a source.

    Raises `ValidationError` for text that is not UTF-8.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationError(f"a source is UTF-8 text; byte {error.start} is not") from None
    kind = _kind(cls)
    if kind is not Script:
        return {_FIELDS[kind][0]: text}
    header = _HEADER_LINE.match(text)
    if header is None:
        return {"params": "", "body": text}
    return {"params": header.group(1).strip(), "body": text[header.end():]}


def save_source(obj, values: dict) -> None:
    """Store source values in `obj` through its `edit`; on a refusal nothing changed.

    Raises `ValidationError`, or `SourceError` with the line as the text counts it.
    """
    with _lines_as_saved(type(obj), values):
        obj.edit(**values)


def new_from_source(cls: type, name: str, values: dict):
    """Return a new object of `cls` titled `name` from source values; raise as `save_source`."""
    with _lines_as_saved(cls, values):
        return cls(title=name, **values)


@contextmanager
def _lines_as_saved(cls: type, values: dict):
    """Count a Script's error lines and columns in the text, its header line included."""
    try:
        yield
    except SourceError as error:
        if not (error.line and error.column and _kind(cls) is Script and "params" in values):
            raise
        message = str(error).rsplit(" (line ", 1)[0]
        if error.field == "params":
            line, column = 1, error.column + len(PARAMETERS_HEADER)
        else:
            line, column = error.line + 1, error.column
        raise SourceError(message, line=line, column=column, field=error.field) from None


def type_for_new(name: str, media_type: str | None) -> type:
    """Return the type a new object saved under `name` with `media_type` becomes."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    media = (media_type or "").split(";")[0].strip().lower()
    if extension in ("pt", "zpt") or media == TEMPLATE_MEDIA_TYPE:
        return Template
    if extension == "py" or media in SCRIPT_MEDIA_TYPES:
        return Script
    if extension in ("html", "htm") or media == "text/html":
        return Page
    guessed = mimetypes.guess_type(name)[0] or ""
    if media.startswith("image/") or (not media and guessed.startswith("image/")):
        return Image
    return File
