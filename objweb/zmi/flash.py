"""The message that the page after a change shows once, kept in a signed cookie.

After a POST succeeds the screen redirects (POST, redirect, GET), and the
page the browser lands on says what was done. The message travels in a
cookie signed with the site's secret, so no other site can plant one.
"""

from dataclasses import asdict, dataclass

from objweb.web.cookies import clear_cookie, read_signed_cookie, set_cookie, signed_value

FLASH_COOKIE = "objweb_flash"


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
    set_cookie(request, response, FLASH_COOKIE, signed_value(request, "flash", asdict(flash)))


def read_flash(request) -> Flash | None:
    """Return the message waiting for this page, or None."""
    payload = read_signed_cookie(request, FLASH_COOKIE, "flash")
    if not isinstance(payload, dict):
        return None
    try:
        return Flash(**payload)
    except TypeError:
        return None


def clear_flash(request, response) -> None:
    """Forget the message once a page has shown it."""
    clear_cookie(request, response, FLASH_COOKIE)
