"""Who sent a request: HTTP Basic credentials or a signed session cookie.

Programs send HTTP Basic credentials with each request; they are checked
against the user folders above the object the request reached (the nearest
that knows the login decides), so a user of a nested `acl_users` can log in
where that folder rules. Browsers log in once through `@@login` and then send
the session cookie it set; a session is bound to the user folder that
defined the user. Basic credentials win when a request carries both.

Failed logins through either door are counted by the application's
`LoginThrottle`. A state change made with a session must carry the
session's CSRF token. One made with Basic credentials must carry the
user's token when it is a form post (which a page of another site can make
a browser send, cached credentials and all); a JSON body, PUT, PATCH or
DELETE needs none, since a browser would ask the site first.
"""

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import urlsplit

from objweb.content.site import site_secret
from objweb.errors import Unauthorized
from objweb.publisher import audit
from objweb.security.authentication import authenticate, credential_of, session_principal
from objweb.security.csrf import (
    FIELD_NAME, HEADER_NAME, CSRFError, basic_tokens, check_token, is_cross_site_sendable,
    is_unsafe, session_token)
from objweb.security.principals import ANONYMOUS_PRINCIPAL, Principal
from objweb.security.sessions import COOKIE_NAME, EndedSessions, Session, read_ticket, sign

SESSION_COOKIE = COOKIE_NAME
# Where, in the database's root mapping, the sessions ended by logging out are kept.
ENDED_SESSIONS_KEY = "objweb.ended_sessions"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
BASIC = "basic"
SESSION = "session"


@dataclass(frozen=True)
class BasicCredentials:
    """A login and password sent with HTTP Basic authentication."""

    login: str
    password: str


def basic_credentials(request) -> BasicCredentials | None:
    """Return the Basic credentials of `request`, or None if it carries none.

    Raises `Unauthorized` for a malformed `Authorization: Basic` header.
    """
    header = request.environ.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthorized("malformed credentials") from None
    login, separator, password = decoded.partition(":")
    if not separator or not login:
        raise Unauthorized("malformed credentials")
    return BasicCredentials(login, password)


def identify(request, obj) -> Principal:
    """Return the principal behind `request`, seen from `obj`.

    Records on the request how it was authenticated (`authenticated_by`),
    its session and CSRF token. Anonymous without credentials, and with a
    session cookie that no longer holds (then `session_ended` is set, and
    the cookie is cleared in the response). Raises `Unauthorized` for bad
    Basic credentials and `LoginThrottledError` after too many.
    """
    credentials = basic_credentials(request)
    if credentials is not None:
        return _identify_basic(request, obj, credentials)
    # Most requests carry no cookie at all: nothing to parse then.
    ticket = request.cookies.get(SESSION_COOKIE) if "HTTP_COOKIE" in request.environ else None
    if ticket:
        principal = _identify_session(request, ticket)
        if principal is not None:
            return principal
        request.session_ended = True
    return ANONYMOUS_PRINCIPAL


def _identify_basic(request, obj, credentials: BasicCredentials) -> Principal:
    throttle = request.throttle
    address = audit.client_address(request)
    throttle.check(credentials.login, address)
    principal = authenticate(obj, credentials.login, credentials.password)
    if principal is None:
        throttle.record_failure(credentials.login, address)
        audit.event(request, "refused HTTP Basic credentials")
        raise Unauthorized("bad credentials")
    throttle.record_success(credentials.login)
    request.authenticated_by = BASIC
    secret = site_secret(request.connection)
    request.csrf_tokens = basic_tokens(
        secret, identity=f"{audit.domain_path(principal)}\x00{principal.id}",
        credential=credential_of(request.root, principal, secret))
    request.csrf_token = request.csrf_tokens[0]
    return principal


def _identify_session(request, ticket: str) -> Principal | None:
    secret = site_secret(request.connection)
    session = read_ticket(ticket, secret)
    if session is None:
        return None
    ended = ended_sessions(request.connection)
    if ended is not None and ended.is_ended(session):
        return None
    principal = session_principal(request.root, session, secret)
    if principal is None:
        return None
    request.session = session
    request.authenticated_by = SESSION
    request.csrf_token = session_token(secret, session)
    request.csrf_tokens = (request.csrf_token,)
    return principal


def ended_sessions(connection, *, create: bool = False) -> EndedSessions | None:
    """Return the record of sessions ended by logging out (made on first use if `create`)."""
    mapping = connection.root()
    ended = mapping.get(ENDED_SESSIONS_KEY)
    if ended is None and create:
        ended = mapping[ENDED_SESSIONS_KEY] = EndedSessions()
    return ended


def submitted_token(request) -> str | None:
    """Return the CSRF token the request carries: the header, else the form field."""
    token = request.headers.get(HEADER_NAME)
    if token is None and request.content_type in FORM_TYPES:
        token = request.POST.get(FIELD_NAME)
    return token


def needs_csrf_token(request) -> bool:
    """Whether the request must carry a CSRF token to change anything.

    Every unsafe request made with a session does; one made with Basic
    credentials does when a page of another site could have sent it (a
    form post); an anonymous one has no one's rights to borrow.
    """
    if not is_unsafe(request.method):
        return False
    if request.authenticated_by == SESSION:
        return True
    return request.authenticated_by == BASIC and is_cross_site_sendable(
        request.method, request.content_type)


def check_csrf(request, *, deferred: bool = False) -> None:
    """Return if the request may change state; raise `CSRFError` for a missing or wrong token.

    With `deferred` (the view reached checks the token itself, before it
    changes anything, and shows a refused form again as typed) a refusal is
    only recorded here.
    """
    if not needs_csrf_token(request):
        return
    try:
        check_token(request.csrf_tokens, submitted_token(request))
    except CSRFError:
        audit.event(request, f"refused {request.method} {request.path_info}: no valid CSRF token")
        if not deferred:
            raise


# -- cookies ---------------------------------------------------------------------

def is_https(request) -> bool:
    """Whether the browser talks to the site over HTTPS (a virtual host may say so)."""
    return request.scheme == "https" or (request.base_url or "").startswith("https://")


def cookie_path(request) -> str:
    """Return the path the site's cookies are scoped to: the public path of the site root."""
    return urlsplit(request.base_url or request.application_url).path.rstrip("/") or "/"


def set_cookie(request, response, name: str, value: str, *, max_age: int | None) -> None:
    """Set an HttpOnly, SameSite=Lax cookie of the site, Secure over HTTPS."""
    response.set_cookie(name, value, max_age=max_age, path=cookie_path(request),
                        secure=is_https(request), httponly=True, samesite="Lax")


def clear_cookie(request, response, name: str) -> None:
    """Tell the browser to forget the cookie `name`."""
    response.delete_cookie(name, path=cookie_path(request))


def start_session(request, response, session: Session) -> None:
    """Send the cookie that carries `session`, signed with the site's secret."""
    ticket = sign(session, site_secret(request.connection))
    set_cookie(request, response, SESSION_COOKIE, ticket,
               max_age=max(0, session.expires - session.issued))


def sets_cookie(response, name: str) -> bool:
    """Return whether `response` already sets (or clears) the cookie `name`."""
    return any(value.startswith(name + "=") for value in response.headers.getall("Set-Cookie"))


def finish_response(request, response) -> None:
    """Clear a session cookie that no longer holds, unless the response already replaces it."""
    if request.session_ended and not sets_cookie(response, SESSION_COOKIE):
        clear_cookie(request, response, SESSION_COOKIE)
