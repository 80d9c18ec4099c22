"""The error boundary: the one place where exceptions become HTTP answers.

Expected refusals (a missing object, a denial, bad input) answer their 4xx
with a clear message, as JSON for programs and as a small page for browsers.
Anything else is a bug: it answers a generic 500 page with an incident id,
and the same id is logged with the traceback. No setting ever puts a
traceback in a response.
"""

import html
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

import webob
import webob.exc
from ZODB.POSException import UndoError

from objweb.errors import (
    AccessDenied, Forbidden, LimitExceededError, NameInUseError, NotFoundError,
    StorageError, Unauthorized, ValidationError)
from objweb.sandbox.failures import CodeError
from objweb.security.csrf import CSRFError
from objweb.security.headers import PLAIN_PAGE_HEADERS
from objweb.security.throttle import LoginThrottledError
from objweb.web.limits import RequestTooLargeError, URLTooLongError
from objweb.web.request import UnsupportedMediaTypeError

log = logging.getLogger("objweb.publisher")
security_log = logging.getLogger("objweb.security")

REALM = 'Basic realm="objweb"'
# The challenge hook: given a refused request and its problem, the answer
# that tells the client in its own way, or None for the boundary's page or
# JSON. The application's asks a browser without credentials to log in with
# a form; a view may bring its own, which replaces the application's for the
# requests that reach it (the WebDAV door's always challenges with Basic and
# tells every refusal in a sentence of plain text).
Challenge = Callable[[object, "Problem"], "webob.Response | None"]


@dataclass(frozen=True)
class Problem:
    """An HTTP error answer: status, a message fit for the client, extra headers."""

    status: int
    message: str
    headers: dict = field(default_factory=dict)
    incident: str | None = None
    # Where a Script or Template failed, with its source lines: set only for
    # a user who may read that source.
    detail: str | None = None


def problem_for(error: BaseException) -> Problem:
    """Return the answer to `error`; log what the answer must not carry."""
    if isinstance(error, webob.exc.HTTPException):
        headers = {name: value for name, value in error.headers.items()
                   if name in ("Allow", "Retry-After", "Location")}
        return Problem(error.code, error.detail or error.title, headers)
    if isinstance(error, AccessDenied):
        return _denial(error)
    if isinstance(error, LoginThrottledError):
        return Problem(429, "Too many failed logins; try again later.",
                       {"Retry-After": str(error.retry_after)})
    if isinstance(error, NotFoundError):
        return Problem(404, "There is nothing at this address.")
    if isinstance(error, UnsupportedMediaTypeError):
        return Problem(415, str(error))
    if isinstance(error, RequestTooLargeError):
        return Problem(413, str(error))
    if isinstance(error, URLTooLongError):
        return Problem(414, str(error))
    if isinstance(error, (ValidationError, NameInUseError)):
        return Problem(400, str(error))
    if isinstance(error, UndoError):
        # Changes committed since the undo was tried stand in its way now.
        return Problem(409, "Later changes stand in the way of this undo; "
                            "reload the Undo tab and try again.")
    if isinstance(error, LimitExceededError):
        log.warning("%s", error)
        return Problem(503, str(error), {"Retry-After": "10"},
                       detail=getattr(error, "detail", None))
    if isinstance(error, StorageError):
        return _incident(error, "The database cannot do this: " + str(error))
    if isinstance(error, CodeError):
        return _incident(error, f"{error} It has been logged.", detail=error.detail)
    return _incident(error, "Something went wrong on the server; it has been logged.")


def _denial(error: AccessDenied) -> Problem:
    if error.decision is not None:
        security_log.info("%s", error.decision.explain())
    if isinstance(error, Unauthorized):
        return Problem(401, "Log in to see this.", {"WWW-Authenticate": REALM})
    if isinstance(error, CSRFError):
        return Problem(403, str(error))
    if isinstance(error, Forbidden):
        return Problem(403, "You are not allowed to do this here.")
    return Problem(403, "You are not allowed to do this here.")


def _incident(error: BaseException, message: str, detail: str | None = None) -> Problem:
    incident = secrets.token_hex(6)
    log.error("incident %s: %s", incident, error, exc_info=error)
    return Problem(500, f"{message} (incident {incident})", incident=incident, detail=detail)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{status} {title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}}
h1{{font-size:1.5rem}}</style></head>
<body><main><h1>{title}</h1><p>{message}</p>{detail}<p><a href="{home}">Home</a></p></main></body></html>
"""


def render_problem(request, problem: Problem, *, as_json: bool,
                   challenge: Challenge | None = None) -> webob.Response:
    """Return the response that tells the client about `problem`.

    The problem is first offered to `challenge`, which may answer it instead
    (the login form, for a browser without credentials).
    """
    if challenge is not None:
        response = challenge(request, problem)
        if response is not None:
            return response
    if as_json:
        payload = {"error": problem.message}
        if problem.incident:
            payload["incident"] = problem.incident
        if problem.detail:
            payload["detail"] = problem.detail
        response = webob.Response(json.dumps(payload), content_type="application/json",
                                  charset="utf-8")
    else:
        title = webob.exc.status_map[problem.status].title \
            if problem.status in webob.exc.status_map else "Error"
        # Refused before publishing, a request has no public base URL yet.
        home = html.escape((request.base_url or request.application_url).rstrip("/") + "/")
        detail = f"<pre>{html.escape(problem.detail)}</pre>" if problem.detail else ""
        body = _PAGE.format(status=problem.status, title=html.escape(title),
                            message=html.escape(problem.message), detail=detail, home=home)
        response = webob.Response(body, content_type="text/html", charset="utf-8")
        response.headers.update(PLAIN_PAGE_HEADERS)
    response.status = problem.status
    for name, value in problem.headers.items():
        response.headers[name] = value
    response.cache_control = "no-store"
    return response


def prefers_json(request) -> bool:
    """Whether an error should be told in JSON.

    It is when the client asked for JSON or sent it, or the JSON API answers
    (it alone takes PUT, PATCH and DELETE, even when refused before publishing).
    """
    return (request.wants_json or request.has_json_body or request.answers_json
            or request.method in ("PUT", "PATCH", "DELETE"))
