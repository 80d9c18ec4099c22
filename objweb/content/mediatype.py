"""Content types: read with the standard library's MIME header parser, kept in one form.

A content type is stored as the parser reads it, written out again in one
canonical form (`type/subtype; name=value`, names lowercased, values quoted
where they must be), so the value a File is served with is the value its
type was judged by. A browser reads `text/plain, text/html` as HTML (it
takes the last of a list); the parser calls that a defect, and a type with
any defect is refused when stored. A type is *active* when a browser would
run it or render it as a document (HTML, XML of any kind, SVG, scripts,
`multipart/x-mixed-replace`), and a stored value that no longer parses
counts as active, so it is never served inline.
"""

import re
from dataclasses import dataclass
from email.headerregistry import HeaderRegistry

DEFAULT_CONTENT_TYPE = "application/octet-stream"
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_QUOTED_SPECIALS = re.compile(r'(["\\])')
_parse_header = HeaderRegistry()

# The document and script types of the WHATWG MIME Sniffing standard (HTML,
# XML, and every JavaScript essence), and those a browser renders as a page.
ACTIVE_CONTENT_TYPES = frozenset({
    "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml",
    "text/xsl", "text/javascript", "application/javascript", "application/x-javascript",
    "application/ecmascript", "application/x-ecmascript", "text/ecmascript",
    "text/x-ecmascript", "text/x-javascript", "text/jscript", "text/livescript",
    "text/javascript1.0", "text/javascript1.1", "text/javascript1.2", "text/javascript1.3",
    "text/javascript1.4", "text/javascript1.5", "application/x-shockwave-flash",
})


@dataclass(frozen=True)
class MediaType:
    """A parsed content type: its essence (`text/html`) and its parameters, in order."""

    essence: str
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self.essence + "".join(f"; {name}={_quoted(value)}" for name, value in self.params)

    @property
    def is_active(self) -> bool:
        """Whether a browser would run this type, or render it as a page of the site."""
        main, _, sub = self.essence.partition("/")
        # Any XML dialect (application/rss+xml, ...) may embed XHTML or SVG that runs.
        return (self.essence in ACTIVE_CONTENT_TYPES or sub.endswith(("+xml", "xsl", "xslt"))
                or main == "multipart")


def _quoted(value: str) -> str:
    if _TOKEN.fullmatch(value):
        return value
    return '"' + _QUOTED_SPECIALS.sub(r"\\\1", value) + '"'


def parse_media_type(value: object) -> MediaType:
    """Return the content type `value` names.

    Raises `ValueError` for anything but one well-formed `type/subtype` with
    parameters: a list of types, a missing part, characters a header cannot
    carry, or a parameter given twice.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a content type is type/subtype")
    if not value.isprintable() or not value.isascii():
        raise ValueError(f"not a content type: {value!r}")
    header = _parse_header("content-type", value)
    main, _, sub = header.content_type.partition("/")
    if header.defects or not _TOKEN.fullmatch(main) or not _TOKEN.fullmatch(sub):
        raise ValueError(f"not a content type: {value!r}")
    params = tuple((name.lower(), str(param)) for name, param in header.params.items())
    if not all(_TOKEN.fullmatch(name) and param.isprintable() and param.isascii()
               for name, param in params):
        raise ValueError(f"not a content type: {value!r}")
    return MediaType(f"{main}/{sub}".lower(), params)


def normalise_content_type(value: object) -> str:
    """Return `value` in the one form objweb stores and serves; raise `ValueError` if malformed."""
    return str(parse_media_type(value))


def is_active_content_type(value: object) -> bool:
    """Whether content of type `value` must not be served inline: active, or malformed."""
    try:
        return parse_media_type(value).is_active
    except ValueError:
        return True
