"""HTML written by users, cleaned by a kept sanitizer before a browser renders it.

A Page's body (and any field of kind `html`) is served as HTML from the
site's own origin, where the management screens live too: a `<script>` an
Editor writes there would run with the rights of the Manager who opens the
page. So HTML written through the web by a user without the permission
`Write unfiltered HTML` (Managers alone by default) is cleaned with `nh3`
(the Ammonia sanitizer): only a list of document tags and attributes
survives, links keep only harmless URL schemes, and scripts, styles, frames,
forms, event handlers and comments go. What went is described in words
(`<script>`, `onclick= on <img>`, `a javascript: URL`) so the author can be
told. The Python API is trusted code and cleans nothing.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from objweb.content.schema import fields_of
from objweb.security.permissions import WRITE_UNFILTERED_HTML

HTML_KIND = "html"
# Besides nh3's own lists: classes and ids for styling and in-page links,
# and the writing direction. Nothing that styles or positions freely.
GENERIC_ATTRIBUTES = frozenset({"class", "id", "dir", "lang", "title"})
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS)
ALLOWED_ATTRIBUTES = {tag: frozenset(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
URL_SCHEMES = frozenset(nh3.ALLOWED_URL_SCHEMES)
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "background",
                            "poster", "xlink:href", "longdesc", "usemap"})
# How many removed things the author is told of by name.
MAX_REPORTED = 8

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={**{tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
                "*": set(GENERIC_ATTRIBUTES)},
    url_schemes=set(URL_SCHEMES),
    strip_comments=True,
)


@dataclass(frozen=True)
class CleanedHTML:
    """HTML after cleaning, and what the cleaning removed, in words."""

    html: str
    removed: tuple[str, ...] = ()


def clean_html(text: str) -> CleanedHTML:
    """Return `text` with everything but safe document markup removed."""
    inventory = _Inventory()
    inventory.feed(text)
    inventory.close()
    return CleanedHTML(_cleaner.clean(text), tuple(sorted(inventory.removed)))


def clean_html_fields(obj_or_type, values: dict, *, unfiltered: bool) -> tuple[dict, dict]:
    """Return `values` with each field of kind `html` cleaned, and what went, by field.

    With `unfiltered` (the writer holds `Write unfiltered HTML`) nothing is
    cleaned. The second result maps a field's name to the words of
    `CleanedHTML.removed`, for the fields that lost something.
    """
    if unfiltered:
        return values, {}
    cleaned, removed = dict(values), {}
    for field in fields_of(obj_or_type):
        if field.kind != HTML_KIND or not isinstance(values.get(field.name), str):
            continue
        result = clean_html(values[field.name])
        cleaned[field.name] = result.html
        if result.removed:
            removed[field.name] = list(result.removed)
    return cleaned, removed


def describe_removed(removed: dict) -> str:
    """Return one sentence saying what cleaning took out of which fields ("" if nothing)."""
    if not removed:
        return ""
    parts = []
    for name, things in sorted(removed.items()):
        shown = things[:MAX_REPORTED] + (["…"] if len(things) > MAX_REPORTED else [])
        parts.append(f"{', '.join(shown)} from the {name}")
    return ("Scripts, styles, frames, forms and event handlers in HTML need the permission "
            f"{WRITE_UNFILTERED_HTML!r}, so objweb removed " + "; ".join(parts) + ".")


class _Inventory(HTMLParser):
    """Lists what the sanitizer will take out of a text, for the author to read."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.removed: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.removed.add(f"<{tag}>")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset()) | GENERIC_ATTRIBUTES
        for name, value in attrs:
            if name not in allowed:
                self.removed.add(f"{name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and not _is_allowed_url(value or ""):
                self.removed.add(f"a {_scheme_of(value or '')}: URL")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.removed.add("comments")


def _scheme_of(url: str) -> str:
    # Browsers skip whitespace and control characters inside a scheme ("java\tscript:").
    squeezed = "".join(ch for ch in url if ch.isprintable() and not ch.isspace())
    head = squeezed.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return head.partition(":")[0].lower() if ":" in head else ""


def _is_allowed_url(url: str) -> bool:
    scheme = _scheme_of(url)
    return not scheme or scheme in URL_SCHEMES
