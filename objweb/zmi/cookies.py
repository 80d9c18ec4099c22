"""What the management screens keep in the browser between requests.

Two small cookies, both signed with the site's secret so that nobody can
forge one: the flash message that the page after a change shows once, and
the clipboard of a cut or a copy, as Zope's `__cp` cookie holds it. The
clipboard names the source folder and the names (or the filter that
selected them), never objects: paste resolves them again and checks every
permission afresh.
"""

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass

from objweb.content.site import site_secret
from objweb.errors import ValidationError
from objweb.web.cookies import clear_cookie, set_cookie

FLASH_COOKIE = "objweb_flash"
CLIPBOARD_COOKIE = "objweb_clipboard"
# Browsers keep about 4 kB per cookie; the signature and attributes need the rest.
MAX_COOKIE_PAYLOAD = 3500


def _mac(request, purpose: str, data: str) -> str:
    key = site_secret(request.connection)
    return hmac.new(key, f"{purpose}:{data}".encode(), hashlib.sha256).hexdigest()[:32]


def sign(request, purpose: str, payload) -> str:
    """Return `payload` as JSON, encoded for a cookie and signed for `purpose`."""
    raw = json.dumps(payload, separators=(",", ":")).encode()
    data = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return f"{data}.{_mac(request, purpose, data)}"


def unsign(request, purpose: str, value: str | None):
    """Return the payload of a value `sign` made for `purpose`, or None if it is not one."""
    if not value or "." not in value:
        return None
    data, _, mac = value.rpartition(".")
    if not hmac.compare_digest(mac, _mac(request, purpose, data)):
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    except (binascii.Error, ValueError):
        return None


# -- flash messages -------------------------------------------------------------

@dataclass(frozen=True)
class Flash:
    """A short message about what the last action did (`kind`: success, error or info).

    `link_url` and `link_text` add one link, such as "Undo".
    """

    kind: str
    text: str
    link_url: str = ""
    link_text: str = ""


def write_flash(request, response, flash: Flash) -> None:
    """Make the next page show `flash`."""
    set_cookie(request, response, FLASH_COOKIE, sign(request, "flash", asdict(flash)))


def read_flash(request) -> Flash | None:
    """Return the message waiting for this page, or None."""
    payload = unsign(request, "flash", request.cookies.get(FLASH_COOKIE))
    if not isinstance(payload, dict):
        return None
    try:
        return Flash(**payload)
    except TypeError:
        return None


def clear_flash(request, response) -> None:
    """Forget the message once a page has shown it."""
    clear_cookie(request, response, FLASH_COOKIE)


# -- the clipboard --------------------------------------------------------------

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
    value = sign(request, "clipboard", asdict(clipboard))
    if len(value) > MAX_COOKIE_PAYLOAD:
        raise ValidationError("too many items for the clipboard; select all matching "
                              "items instead, or fewer items")
    set_cookie(request, response, CLIPBOARD_COOKIE, value)


def read_clipboard(request) -> Clipboard | None:
    """Return what was cut or copied, or None."""
    payload = unsign(request, "clipboard", request.cookies.get(CLIPBOARD_COOKIE))
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
