"""Tokens that prove a state change comes from the site's own pages.

A browser sends its session cookie with every request, wherever the request
comes from, so a request that changes something must also carry a token that
only the site's own pages know: the `csrf_token` form field, or the
`X-CSRF-Token` header for JavaScript. The token is an HMAC of the session's id
with the site's secret, so it needs no storage and dies with the session.
The login form, used before any session exists, gets a token bound to a
random nonce kept in a cookie of its own instead.

Clients that send HTTP Basic credentials with each request need no token: a
page on another site cannot make a browser add such a header.
"""

import hmac

from objweb.errors import Forbidden
from objweb.security.sessions import Session, keyed_digest

FIELD_NAME = "csrf_token"
HEADER_NAME = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Longer than any token we make; the bound keeps comparisons cheap.
MAX_TOKEN_LENGTH = 200


class CSRFError(Forbidden):
    """A state change from a browser session came without its token (or a wrong one)."""

    def __init__(self, message: str = "the form has expired or did not come from this "
                                      "site; reload the page and try again"):
        super().__init__(message)


def is_unsafe(method: str) -> bool:
    """Return whether requests with `method` may change state (everything but GET, HEAD, OPTIONS)."""
    return method.upper() not in SAFE_METHODS


def session_token(secret: bytes, session: Session) -> str:
    """Return the token the pages of `session` carry."""
    return keyed_digest(secret, "csrf", session.session_id)


def login_token(secret: bytes, nonce: str) -> str:
    """Return the token of the login form shown with the cookie `nonce`."""
    return keyed_digest(secret, "login", nonce)


def is_valid_token(expected: str, given: object) -> bool:
    """Return whether `given` is the token `expected`, in constant time."""
    if not expected or not isinstance(given, str) or len(given) > MAX_TOKEN_LENGTH:
        return False
    return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8"))


def check_token(expected: str, given: object) -> None:
    """Return if `given` is the token `expected`; raise `CSRFError` otherwise."""
    if not is_valid_token(expected, given):
        raise CSRFError()
