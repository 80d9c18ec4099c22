"""Who sent a request: HTTP Basic credentials or a signed session cookie.

Programs send HTTP Basic credentials with each request; they are checked
against the user folders above the object the request reached (the nearest
that knows the login decides), so a user of a nested `acl_users` can log in
where that folder rules. Browsers log in once through `@@login` and then send
the session cookie it set; a session is bound to the user folder that
defined the user. Basic credentials win when a request carries both.

Failed logins through either door are counted by the application's
`LoginThrottle`.

A logged-in request gets the CSRF token its pages' forms carry: a
session's or a Basic user's (see `objweb.security.csrf`); before logging
in, the token of the login form's nonce cookie is the one accepted. `check_csrf` is the one check, made once
per request by the publisher just before it calls the view. A state change
made with a session must carry the token. One made with Basic credentials
must carry it when it is a form post (which a page of another site can
make a browser send, cached credentials and all); a JSON body, PUT, PATCH or
DELETE needs none, since a browser would ask the site first. A view may
ask for the token on every unsafe request whatever the credentials and the
body (the management screens, the login form).
"""

import base64
import binascii
import re
from dataclasses import dataclass

from objweb.content.site import site_secret
from objweb.errors import Unauthorized
from objweb.security.authentication import authenticate, credential_of, session_principal
from objweb.security.csrf import (
    FIELD_NAME, HEADER_NAME, CSRFError, basic_tokens, check_token, is_cross_site_sendable,
    is_unsafe, login_token, session_token)
from objweb.security.principals import ANONYMOUS_PRINCIPAL, Principal
from objweb.security.sessions import COOKIE_NAME, EndedSessions, Session, read_ticket, sign
from objweb.traversal.views import ViewRegistration
from objweb.web import audit
from objweb.web.cookies import clear_cookie, set_cookie, sets_cookie

SESSION_COOKIE = COOKIE_NAME
# The cookie holding the random nonce the login form's token is bound to,
# before any session exists (against login CSRF).
LOGIN_COOKIE = "objweb_login"
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Where, in the database's root mapping, the sessions ended by logging out are kept.
ENDED_SESSIONS_KEY = "objweb.ended_sessions"
# The bodies WebOb reads as a form: an untyped body is one too.
FORM_TYPES = ("", "application/x-www-form-urlencoded", "multipart/form-data")
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
    nonce = login_nonce(request)
    if nonce is not None:
        # Accepted from the login form only; `csrf_token`, which pages show,
        # stays the token of a user who is logged in.
        request.csrf_tokens = (login_token(site_secret(request.connection), nonce),)
    return ANONYMOUS_PRINCIPAL


def login_nonce(request) -> str | None:
    """Return the nonce of the login form's cookie, or None if there is no well-formed one."""
    if "HTTP_COOKIE" not in request.environ:
        return None
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    return nonce if _NONCE.match(nonce) else None


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


def needs_csrf_token(request, registration: ViewRegistration) -> bool:
    """Whether the request must carry a CSRF token for the view `registration` to run.

    Every unsafe request to a view that asks for the token does; else every
    unsafe request made with a session, and one made with Basic credentials
    when a page of another site could have sent it (a form post). Another
    anonymous request has no one's rights to borrow.
    """
    if not is_unsafe(request.method):
        return False
    if registration.requires_token or request.authenticated_by == SESSION:
        return True
    return request.authenticated_by == BASIC and is_cross_site_sendable(
        request.method, request.content_type)


def check_csrf(request, registration: ViewRegistration) -> None:
    """Return if the request may run the view `registration`.

    The one CSRF check: raises `CSRFError` (a 403 that changes nothing) for
    a missing or wrong token where one is needed.
    """
    if not needs_csrf_token(request, registration):
        return
    try:
        check_token(request.csrf_tokens, submitted_token(request))
    except CSRFError:
        audit.event(request, f"refused {request.method} {request.path_info}: no valid CSRF token")
        raise


# -- the session cookie ------------------------------------------------------------

def start_session(request, response, session: Session) -> None:
    """Send the cookie that carries `session`, signed with the site's secret."""
    ticket = sign(session, site_secret(request.connection))
    set_cookie(request, response, SESSION_COOKIE, ticket,
               max_age=max(0, session.expires - session.issued))


def finish_response(request, response) -> None:
    """Clear a session cookie that no longer holds, unless the response already replaces it."""
    if request.session_ended and not sets_cookie(response, SESSION_COOKIE):
        clear_cookie(request, response, SESSION_COOKIE)
