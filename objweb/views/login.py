"""Logging in and out with a browser: `@@login` and `@@logout` on any object.

A browser that asks for a page it may not see, without credentials, gets the
login form in the `401` answer (see `challenge`); the form remembers the
page (`came_from`, a path inside the site, never another site's URL) and
sends the browser back there once logged in. The login form is protected
against login CSRF by a token bound to a random nonce kept in a cookie of
its own, which the publisher checks as it checks every token; logging out
is a `POST` with the session's token, like every other state change of a
session.

A refused login never shows the typed user name again (it may be a password
typed in the wrong field): the login page's own script (`@@login.js`, the
one script its policy allows) keeps the name in the browser's tab instead.

Where a user is looked up depends on the page being reached: a user of a
nested `acl_users` logs in on its way to a page of that folder's subtree.
"""

import os
import secrets
from urllib.parse import quote, unquote, urlsplit

import webob
import webob.exc

from objweb.content import Item
from objweb.content.site import site_secret
from objweb.errors import ValidationError
from objweb.security.authentication import find_user, open_session
from objweb.security.csrf import FIELD_NAME, login_token, session_token
from objweb.security.headers import LOGIN_HEADERS
from objweb.security.protections import PUBLIC
from objweb.security.throttle import LoginThrottledError
from objweb.traversal.resolve import traverse
from objweb.traversal.views import view_config
from objweb.views.pages import templates
from objweb.web import audit
from objweb.web.assets import PackageFiles
from objweb.web.boundary import Problem
from objweb.web.cookies import clear_cookie, set_cookie
from objweb.web.identity import (
    BASIC, LOGIN_COOKIE, SESSION, SESSION_COOKIE, ended_sessions, login_nonce, start_session)

LOGIN_COOKIE_LIFETIME = 3600
LOGIN_VIEW = "@@login"
LOGOUT_VIEW = "@@logout"
MAX_RETURN_PATH = 2000
_SEGMENT_SAFE = "@:!$&'()*+,;="

BAD_CREDENTIALS = "The user name or the password is wrong."
LOGIN_NEEDED = "Log in to see this page."
SESSION_OVER = "Your session has ended; please log in again."
SESSION_OVER_HELD = ("Your session has ended, so nothing was saved. Log in again and the "
                     "form comes back with what you typed.")
# The fields of a form posted after the session ended ride along the login form.
HELD_NAME, HELD_VALUE = "held_name", "held_value"
NOT_HELD = frozenset({FIELD_NAME, "password", "confirm"})
HTML_TYPES = ("text/html", "application/xhtml+xml")
LOGIN_SCRIPT = "login.js"
LOGIN_FILES = PackageFiles(os.path.join(os.path.dirname(__file__), "static"))


# -- where to go back to -----------------------------------------------------------

def base_path(request) -> str:
    """Return the public path of the site root, without a trailing slash."""
    return urlsplit(request.base_url).path.rstrip("/")


def safe_return_path(value: object) -> str | None:
    """Return `value` if it is a path inside the site to send a browser back to, else None.

    Only a path relative to the site root is accepted (`/news/hello?x=1`):
    no scheme, no host, no `//` or backslash that a browser could read as
    another host, no control characters or spaces, nothing too long.
    """
    if not isinstance(value, str) or not value.startswith("/") or len(value) > MAX_RETURN_PATH:
        return None
    if value.startswith("//") or "\\" in value:
        return None
    if any(not ch.isprintable() or ch.isspace() for ch in value):
        return None
    # One leading slash and no backslash: neither a scheme nor a host can follow.
    if urlsplit(value).path.rstrip("/").endswith((LOGIN_VIEW, LOGOUT_VIEW)):
        return None
    return value


def requested_path(request) -> str | None:
    """Return the path of the page this request asked for, relative to the site root."""
    host = request.virtual_host
    segments = host.segments if host is not None else ()
    path = "/" + "/".join(quote(segment, safe=_SEGMENT_SAFE) for segment in segments)
    if request.query_string:
        path += "?" + request.query_string
    return safe_return_path(path)


def path_of_context(request, obj) -> str:
    """Return the path of `obj` relative to the site root's public URL ("/" outside it)."""
    base = request.base_url.rstrip("/")
    url = request.url_of(obj)
    return url[len(base):] if url.startswith(base + "/") else "/"


_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def script_url(request) -> str:
    """Return the versioned URL of the login pages' script, on the site root."""
    return base_path(request) + "/@@" + LOGIN_FILES.versioned(LOGIN_SCRIPT)


def _origin(url: str) -> str:
    parts = urlsplit(url.lower())
    netloc = parts.netloc
    if netloc.endswith(_DEFAULT_PORTS.get(parts.scheme, "\0")):
        netloc = netloc[: -len(_DEFAULT_PORTS[parts.scheme])]
    return f"{parts.scheme}://{netloc}"


def redirect_target(request, path: str) -> str:
    """Return the URL of the site-relative `path`, on the origin the browser is on.

    A path that asks for another host (a `VirtualHostBase` segment typed by a
    stranger) would turn a link to this site into a redirect elsewhere: when
    the browser says it is on another origin, the target stays on the
    browser's own.
    """
    base = request.base_url.rstrip("/")
    claimed = request.headers.get("Origin") or request.headers.get("Referer")
    if claimed and _origin(claimed) != _origin(base):
        return base_path(request) + path
    return base + path


def _login_place(request, path: str):
    """Return the object whose user folders know the user logging in to reach `path`."""
    segments = [unquote(segment) for segment in urlsplit(path).path.split("/") if segment]
    return traverse(request.url_root, segments, request.registry).context


# -- rendering ----------------------------------------------------------------------

def asks_for_html(request) -> bool:
    """Whether the client says it wants HTML (a browser), not just anything."""
    parsed = getattr(request.accept, "parsed", None) or ()
    return not request.wants_json and any(
        media in HTML_TYPES and quality > 0 for media, quality, _params, _ext in parsed)


def wants_login_form(request) -> bool:
    """Whether a refusal of `request` should answer the login form: a browser without credentials."""
    return (asks_for_html(request) and "Authorization" not in request.headers
            and request.connection is not None and request.url_root is not None)


def held_form(request) -> list[tuple[str, str]]:
    """Return the text fields of a form this site's page posted, to give back after a login.

    Empty for anything but such a form: a post another site forged is never
    carried along (its fields would come back in this site's form). Files,
    the old token and passwords (never sent back in a page) are left out.
    """
    if request.method != "POST" or not request.comes_from_this_site \
            or not _shows_held_form(request):
        return []
    try:
        form = request.POST
    except ValidationError:
        return []
    return [(name, value) for name, value in form.items()
            if isinstance(value, str) and name not in NOT_HELD]


def _shows_held_form(request) -> bool:
    # Only a view that shows a refused form again as typed (a management
    # screen) takes a held form back rather than act on it.
    reached = request.traversal
    if reached is None or not reached.found or reached.view_name is None:
        return False
    registration = request.registry.lookup(reached.obj, reached.view_name, "POST")
    return registration is not None and registration.token_refused is not None


def _held_again(request) -> list[tuple[str, str]]:
    return list(zip(request.POST.getall(HELD_NAME), request.POST.getall(HELD_VALUE)))


def render_login(request, *, status: int, message: str = "", came_from: str | None = None,
                 held: list = (), refused: bool = False) -> webob.Response:
    """Return the login form with `status`, a message, and where to go afterwards.

    `held` are the fields of the form whose post the ended session refused.
    `refused` marks the answer to a login that failed, where the page's
    script fills in the name the tab kept.
    """
    nonce = login_nonce(request) or secrets.token_urlsafe(24)
    # A user already known (a session, or Basic credentials) posts the form
    # with the user's own token; anyone else with the token of the nonce
    # cookie. The publisher checks either.
    token = request.csrf_token or login_token(site_secret(request.connection), nonce)
    principal = request.principal
    body = templates["login.pt"](
        title="Log in", message=message, came_from=came_from or "", refused=refused,
        script_url=script_url(request),
        held=held, held_name=HELD_NAME, held_value=HELD_VALUE,
        token=token, field_name=FIELD_NAME, action=base_path(request) + "/" + LOGIN_VIEW,
        logout_url=base_path(request) + "/" + LOGOUT_VIEW,
        logged_in_as=principal.id if principal is not None and principal.is_authenticated
        else None)
    response = webob.Response(body, status=status, content_type="text/html", charset="utf-8")
    response.headers.update(LOGIN_HEADERS)
    set_cookie(request, response, LOGIN_COOKIE, nonce, max_age=LOGIN_COOKIE_LIFETIME)
    return response


def challenge(request, problem: Problem) -> webob.Response | None:
    """Return the `401` that asks a browser to log in and come back to this page.

    The error boundary's challenge hook: None (the boundary's own answer,
    Basic's challenge on a `401`) for any other problem, and for a client
    that is not a browser without credentials.
    """
    if problem.status != 401 or not wants_login_form(request):
        return None
    came_from = requested_path(request) if request.method in ("GET", "HEAD") else None
    message = SESSION_OVER if request.session_ended else LOGIN_NEEDED
    held = held_form(request) if request.session_ended else []
    if held:
        # After the login the form comes back, as typed, from where it was posted.
        came_from, message = requested_path(request), SESSION_OVER_HELD
    response = render_login(request, status=401, message=message, came_from=came_from,
                            held=held)
    # Not `Basic`: that would make the browser pop up its own dialog over the form.
    response.headers["WWW-Authenticate"] = 'Form realm="objweb"'
    return response


# -- the views ----------------------------------------------------------------------

@view_config(Item, "login", action=PUBLIC, methods=("GET",))
def login_form(context, request) -> webob.Response:
    """Show the login form; `came_from` says where to go afterwards."""
    came_from = safe_return_path(request.GET.get("came_from")) or path_of_context(request, context)
    return render_login(request, status=200, came_from=came_from)


def _form_value(request, name: str) -> str:
    value = request.POST.get(name, "")
    return value if isinstance(value, str) else ""


@view_config(Item, "login", action=PUBLIC, methods=("POST",), requires_token=True)
def login_submit(context, request) -> webob.Response:
    """Check the credentials; on success start a session and go back where the user was."""
    came_from = safe_return_path(_form_value(request, "came_from")) or \
        path_of_context(request, context)
    login, password = _form_value(request, "login"), _form_value(request, "password")
    held = _held_again(request)
    throttle = request.throttle
    address = audit.client_address(request)
    try:
        throttle.check(login, address)
    except LoginThrottledError as error:
        audit.event(request, "refused a login: too many failures")
        response = render_login(request, status=429, message=str(error).capitalize() + ".",
                                came_from=came_from, held=held, refused=True)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    place = _login_place(request, came_from)
    opened = open_session(place, login, password, secret=site_secret(request.connection),
                          lifetime=request.settings.session_lifetime)
    if opened is None:
        throttle.record_failure(login, address)
        known = find_user(place, login) is not None
        audit.event(request, f"failed login as {login!r}" if known
                    else "failed login with an unknown user name")
        # The name typed is not shown again: it may be the password, typed in the wrong field.
        return render_login(request, status=401, message=BAD_CREDENTIALS, came_from=came_from,
                            held=held, refused=True)
    throttle.record_success(login)
    return _logged_in(request, *opened, came_from=came_from, held=held)


def _logged_in(request, principal, session, *, came_from, held=()) -> webob.Response:
    request.principal = principal
    request.environ["objweb.user"] = principal.id
    audit.event(request, "logged in")
    if held:
        response = _resume_page(request, session, came_from=came_from, held=held)
    else:
        response = webob.exc.HTTPSeeOther(location=redirect_target(request, came_from))
    start_session(request, response, session)
    clear_cookie(request, response, LOGIN_COOKIE)
    response.headers["Cache-Control"] = "no-store"
    return response


def _resume_page(request, session, *, came_from: str, held) -> webob.Response:
    """Return the page that takes the held form back to its screen, with the new session's token.

    The screen shows the form filled in as typed and saves nothing: the
    user saves it again, once logged in (objweb.zmi.framework, `resume`).
    """
    body = templates["resume.pt"](
        title="Logged in again", held=held, action=redirect_target(request, came_from),
        script_url=script_url(request),
        field_name=FIELD_NAME, token=session_token(site_secret(request.connection), session))
    response = webob.Response(body, content_type="text/html", charset="utf-8")
    response.headers.update(LOGIN_HEADERS)
    return response


@view_config(Item, LOGIN_SCRIPT, action=PUBLIC, methods=("GET",))
def login_script(context, request) -> webob.Response:
    """Serve the login pages' script, which keeps a refused user name in the browser's tab."""
    return LOGIN_FILES.response(LOGIN_SCRIPT, request)


@view_config(Item, "logout", action=PUBLIC, methods=("GET",))
def logout_form(context, request) -> webob.Response:
    """Ask to confirm logging out (a `GET` never changes anything)."""
    body = templates["logout.pt"](
        title="Log out", authenticated_by=request.authenticated_by, basic=BASIC,
        script_url=script_url(request),
        session=SESSION, token=request.csrf_token, field_name=FIELD_NAME,
        action=base_path(request) + "/" + LOGOUT_VIEW,
        login_url=base_path(request) + "/" + LOGIN_VIEW,
        user=request.principal.id)
    response = webob.Response(body, content_type="text/html", charset="utf-8")
    response.headers.update(LOGIN_HEADERS)
    return response


@view_config(Item, "logout", action=PUBLIC, methods=("POST",))
def logout_submit(context, request) -> webob.Response:
    """End the session (it can never be used again) and go to the site's front page."""
    if request.session is not None:
        ended_sessions(request.connection, create=True).end(request.session)
        request.note("logged out")
        audit.event(request, "logged out")
    response = webob.exc.HTTPSeeOther(location=redirect_target(request, "/"))
    clear_cookie(request, response, SESSION_COOKIE)
    response.headers["Cache-Control"] = "no-store"
    return response
