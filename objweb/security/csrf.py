"""Tokens that prove a state change comes from the site's own pages.

A browser sends its session cookie with every request, wherever the request
comes from, so a request that changes something must also carry a token that
only the site's own pages know: the `csrf_token` form field, or the
`X-CSRF-Token` header for JavaScript. The token is an HMAC of the session's id
with the site's secret, so it needs no storage and dies with the session.
The login form, used before any session exists, gets a token bound to a
random nonce kept in a cookie of its own instead.

A browser that has HTTP Basic credentials for the site sends them with any
request to it, a form another site posts included, so Basic credentials do
not spare a form its token. What a page of another site can make a browser
send without asking the site first (a CORS preflight, which objweb never
grants) is a POST of a form: urlencoded, multipart or text/plain. Those need
the token whatever the credentials; requests a browser would have to ask for
(JSON, PUT, PATCH, DELETE) need it only with a session. Under Basic
credentials the token is bound to the user's identity (the user folder's
place, the id, and a fingerprint of the password, so a new password changes
it) and to a time window; the previous window's token still holds, so a
token lives between one and two windows.
"""

import time

from objweb.errors import Forbidden
from objweb.security.sessions import Session
from objweb.security.signing import is_same_digest, keyed_digest

FIELD_NAME = "csrf_token"
HEADER_NAME = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Longer than any token we make; the bound keeps comparisons cheap.
MAX_TOKEN_LENGTH = 200
# The bodies an HTML form, or a script of another site, can send without a
# CORS preflight (the Fetch standard's safelisted Content-Type values).
CROSS_SITE_BODY_TYPES = frozenset({
    "", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
# Seconds of one window of a Basic token; the previous window's token holds too.
BASIC_TOKEN_WINDOW = 4 * 3600
# Where the time comes from: a test may set another clock.
clock = time.time


# The one sentence every refused token answers, whichever door it came through.
REFUSAL = "The form has expired or did not come from this site; reload the page and try again."


class CSRFError(Forbidden):
    """A state change came without the token of its user's pages (or with a wrong one)."""

    def __init__(self, message: str = REFUSAL):
        super().__init__(message)


def is_unsafe(method: str) -> bool:
    """Return whether requests with `method` may change state (everything but GET, HEAD, OPTIONS)."""
    return method.upper() not in SAFE_METHODS


def is_cross_site_sendable(method: str, content_type: str) -> bool:
    """Whether a page of another site can make a browser send this unsafe request unasked.

    True for a POST whose body type (without parameters) is a form's or text.
    """
    return method.upper() == "POST" and content_type.strip().lower() in CROSS_SITE_BODY_TYPES


def session_token(secret: bytes, session: Session) -> str:
    """Return the token the pages of `session` carry."""
    return keyed_digest(secret, "csrf", session.session_id)


def basic_tokens(secret: bytes, *, identity: str, credential: str,
                 now: float | None = None) -> tuple[str, str]:
    """Return the (current, previous) tokens of a user who sends Basic credentials.

    `identity` names the user wherever it is defined (the user folder's
    place and the id); `credential` changes with the password.
    """
    window = int((clock() if now is None else now) // BASIC_TOKEN_WINDOW)
    return tuple(keyed_digest(secret, "csrf-basic", f"{identity}\x00{credential}\x00{number}")
                 for number in (window, window - 1))


def login_token(secret: bytes, nonce: str) -> str:
    """Return the token of the login form shown with the cookie `nonce`."""
    return keyed_digest(secret, "login", nonce)


def is_valid_token(expected: str | tuple[str, ...], given: object) -> bool:
    """Return whether `given` is the token `expected` (or one of them), in constant time."""
    if not isinstance(given, str) or len(given) > MAX_TOKEN_LENGTH:
        return False
    accepted = (expected,) if isinstance(expected, str) else expected
    # Every accepted token is compared, so the time taken does not say which one matched.
    matches = [is_same_digest(token, given) for token in accepted if token]
    return any(matches)


def check_token(expected: str | tuple[str, ...], given: object) -> None:
    """Return if `given` is the token `expected` (or one of them); raise `CSRFError` otherwise."""
    if not is_valid_token(expected, given):
        raise CSRFError()
