"""The clipboard of a cut or a copy, kept in the browser as Zope's `__cp` cookie is.

The clipboard names the source folder and the names (or the filter that
selected them), never objects: paste resolves them again and checks every
permission afresh. The cookie is signed with the site's secret, so nobody
can forge one.
"""

from dataclasses import asdict, dataclass

from objweb.errors import ValidationError
from objweb.web.cookies import clear_cookie, read_signed_cookie, set_cookie, signed_value

CLIPBOARD_COOKIE = "objweb_clipboard"
# Browsers keep about 4 kB per cookie; the signature and attributes need the rest.
MAX_COOKIE_PAYLOAD = 3500


@dataclass(frozen=True)
class Clipboard:
    """Items cut or copied: `operation` (cut or copy), the source folder's path, and
    either the names or, for "all matching", the filter that selects them."""

    operation: str
    source: str
    names: tuple = ()
    filter: str | None = None

    @property
    def all_matching(self) -> bool:
        """Whether the clipboard holds every item of the source matching `filter`."""
        return self.filter is not None


def write_clipboard(request, response, clipboard: Clipboard) -> None:
    """Put `clipboard` in the browser.

    Raises `ValidationError` when the names do not fit in a cookie.
    """
    value = signed_value(request, "clipboard", asdict(clipboard))
    if len(value) > MAX_COOKIE_PAYLOAD:
        raise ValidationError("too many items for the clipboard; select all matching "
                              "items instead, or fewer items")
    set_cookie(request, response, CLIPBOARD_COOKIE, value)


def read_clipboard(request) -> Clipboard | None:
    """Return what was cut or copied, or None."""
    payload = read_signed_cookie(request, CLIPBOARD_COOKIE, "clipboard")
    if not isinstance(payload, dict):
        return None
    try:
        clipboard = Clipboard(**payload)
    except TypeError:
        return None
    if clipboard.operation not in ("cut", "copy") or not isinstance(clipboard.names, list):
        return None
    return Clipboard(clipboard.operation, clipboard.source, tuple(clipboard.names),
                     clipboard.filter)


def clear_clipboard(request, response) -> None:
    """Empty the clipboard (after a cut is pasted, as in Zope)."""
    clear_cookie(request, response, CLIPBOARD_COOKIE)
