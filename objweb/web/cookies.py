"""The site's cookies: scoped to the site root, HttpOnly, SameSite=Lax, Secure over HTTPS.

Every cookie objweb sets (the session, the login form's nonce, the
management screens' message and clipboard) goes through here, so each is
scoped to the public path of the site root, virtual hosting included, and
none can be read by a script of the page. A cookie that carries a value
the site must trust is signed with the site's secret
(`objweb.security.signing`), for one purpose each.
"""

from urllib.parse import urlsplit

from objweb.content.site import site_secret
from objweb.security.signing import read_signed, sign_value


def is_https(request) -> bool:
    """Whether the browser talks to the site over HTTPS (a virtual host may say so)."""
    return request.scheme == "https" or (request.base_url or "").startswith("https://")


def cookie_path(request) -> str:
    """Return the path the site's cookies are scoped to: the public path of the site root."""
    return urlsplit(request.base_url or request.application_url).path.rstrip("/") or "/"


def set_cookie(request, response, name: str, value: str, *, max_age: int | None = None) -> None:
    """Set an HttpOnly, SameSite=Lax cookie of the site, Secure over HTTPS."""
    response.set_cookie(name, value, max_age=max_age, path=cookie_path(request),
                        secure=is_https(request), httponly=True, samesite="Lax")


def clear_cookie(request, response, name: str) -> None:
    """Tell the browser to forget the cookie `name`."""
    response.delete_cookie(name, path=cookie_path(request))


def sets_cookie(response, name: str) -> bool:
    """Return whether `response` already sets (or clears) the cookie `name`."""
    return any(value.startswith(name + "=") for value in response.headers.getall("Set-Cookie"))


def signed_value(request, purpose: str, payload) -> str:
    """Return `payload` signed for `purpose` with the site's secret, fit for a cookie."""
    return sign_value(site_secret(request.connection), purpose, payload)


def read_signed_cookie(request, name: str, purpose: str):
    """Return the payload of the cookie `name`, signed for `purpose`, or None if it is not one."""
    return read_signed(site_secret(request.connection), purpose, request.cookies.get(name))
