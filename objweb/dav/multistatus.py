"""Writing WebDAV answers: multistatus documents, property elements, error bodies.

Answers are written as text, element by element (a listing of 10,000 items
is written one response at a time into a spool, never held as a tree). The
`DAV:` namespace always has the prefix `D`; any other property element
declares its own namespace, and a dead property goes out as it was stored.
"""

from xml.sax.saxutils import escape, quoteattr

import webob
from webob.util import status_reasons

DAV = "DAV:"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
MULTISTATUS_START = XML_DECLARATION + '<D:multistatus xmlns:D="DAV:">'
MULTISTATUS_END = "</D:multistatus>"


def clark(tag: str) -> tuple[str, str]:
    """Return (namespace, local name) of a tag in Clark notation (`{ns}local`)."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def element(tag: str, content: str = "") -> str:
    """Return `<tag>content</tag>` for a Clark name, declaring its namespace on it."""
    namespace, local = clark(tag)
    if namespace == DAV:
        return f"<D:{local}>{content}</D:{local}>" if content else f"<D:{local}/>"
    declaration = f" xmlns={quoteattr(namespace)}"
    return f"<{local}{declaration}>{content}</{local}>" if content \
        else f"<{local}{declaration}/>"


def status_line(code: int) -> str:
    """Return the `D:status` text of an HTTP status."""
    return f"HTTP/1.1 {code} {status_reasons.get(code, 'Unknown')}"


def propstats(found: list[str], failed: dict[int, list[str]] | None = None) -> str:
    """Return the propstat elements: `found` as property XML, `failed` {status: [tags]}."""
    parts = []
    if found:
        parts.append(f"<D:propstat><D:prop>{''.join(found)}</D:prop>"
                     f"<D:status>{status_line(200)}</D:status></D:propstat>")
    for code, tags in (failed or {}).items():
        names = "".join(element(tag) for tag in tags)
        parts.append(f"<D:propstat><D:prop>{names}</D:prop>"
                     f"<D:status>{status_line(code)}</D:status></D:propstat>")
    return "".join(parts)


def response(href: str, body: str) -> str:
    """Return one `D:response` for `href` (already quoted) holding `body`."""
    return f"<D:response><D:href>{escape(href)}</D:href>{body}</D:response>"


def status_response(href: str, code: int) -> str:
    """Return one `D:response` for `href` that holds only a status."""
    return response(href, f"<D:status>{status_line(code)}</D:status>")


def xml_answer(text: str, status: int = 207) -> webob.Response:
    """Return an XML response with `text` (a whole document)."""
    return webob.Response(text, status=status, content_type="application/xml",
                          charset="utf-8")


def multistatus(responses: str) -> webob.Response:
    """Return a `207 Multi-Status` holding the `D:response` elements `responses`."""
    return xml_answer(MULTISTATUS_START + responses + MULTISTATUS_END)


def error_answer(status: int, condition: str | None, detail: str) -> webob.Response:
    """Return a refusal: RFC 4918's `D:error` naming a precondition, or a sentence."""
    if condition:
        return xml_answer(f'{XML_DECLARATION}<D:error xmlns:D="DAV:"><D:{condition}/>'
                          f"</D:error>", status)
    return webob.Response(detail + "\n", status=status, content_type="text/plain",
                          charset="utf-8")
