"""Reading WebDAV request bodies: XML through a hardened parser, within limits.

Bodies are parsed by expat through `defusedxml` with DTDs refused outright,
so no entity, internal or external, can ever be declared: an XXE or an
entity-expansion bomb is a 400 before anything is expanded. The size is
checked on `Content-Length` before reading (413), and depth and element
count while parsing (400), so no body costs more memory than the limits.
"""

from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from objweb.errors import ValidationError
from objweb.web.limits import RequestTooLargeError

MAX_BODY = 1 << 20
MAX_DEPTH = 32
MAX_ELEMENTS = 10_000
MAX_ATTRIBUTES = 10_000


class _LimitedBuilder(TreeBuilder):
    """An ElementTree builder that refuses a tree nested or sized past the limits."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.elements = 0
        self.attributes = 0

    def start(self, tag, attrs):
        """Open an element, counting it; raise `ValidationError` past a limit."""
        self.depth += 1
        self.elements += 1
        self.attributes += len(attrs)
        if self.depth > MAX_DEPTH:
            raise ValidationError(f"the XML body is nested more than {MAX_DEPTH} deep")
        if self.elements > MAX_ELEMENTS or self.attributes > MAX_ATTRIBUTES:
            raise ValidationError(f"the XML body has more than {MAX_ELEMENTS} elements "
                                  f"or attributes")
        return super().start(tag, attrs)

    def end(self, tag):
        """Close an element."""
        self.depth -= 1
        return super().end(tag)


def read_xml(request) -> Element | None:
    """Return the root element of the request's XML body, or None when it has none.

    Raises `RequestTooLargeError` (413) for a body over `MAX_BODY` bytes and
    `ValidationError` (400) for one that is not well-formed, declares a
    DTD, or is nested or sized past the limits.
    """
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise RequestTooLargeError(f"an XML body is at most {MAX_BODY} bytes")
    data = request.body_file.read(MAX_BODY + 1)
    if len(data) > MAX_BODY:
        raise RequestTooLargeError(f"an XML body is at most {MAX_BODY} bytes")
    if not data.strip():
        return None
    parser = DefusedXMLParser(target=_LimitedBuilder(), forbid_dtd=True)
    try:
        parser.feed(data)
        return parser.close()
    except (DefusedXmlException, ParseError) as error:
        reason = "it declares a DTD" if isinstance(error, DefusedXmlException) else str(error)
        raise ValidationError(f"the XML body is refused: {reason}") from None
