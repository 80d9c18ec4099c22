"""The token every state-changing form of the management screens carries.

The publisher gives a request the token of its login session
(`request.csrf_token`). A request authenticated otherwise (HTTP Basic) has
no session; it gets a token derived from the site's secret and the user id,
so its forms carry one too and a page from another site still cannot
forge it. Every POST to a screen is checked here before anything changes.
"""

import hashlib
import hmac

import webob.exc

from objweb.content.site import site_secret

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def token_for(request) -> str:
    """Return the token forms must send back with this request's user."""
    token = getattr(request, "csrf_token", "")
    if token:
        return token
    principal = request.principal
    user_id = principal.id if principal is not None and principal.id else ""
    key = site_secret(request.connection)
    return hmac.new(key, f"csrf:{user_id}".encode(), hashlib.sha256).hexdigest()


def check(request) -> None:
    """Return if the request carries the right token (field or header).

    Raises `webob.exc.HTTPForbidden` otherwise: a 403 that changes nothing.
    """
    sent = request.headers.get(HEADER) or request.POST.get(FIELD) or ""
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(),
                                                            token_for(request).encode()):
        raise webob.exc.HTTPForbidden(
            detail="This form is missing its security token, or the token is out of date. "
                   "Go back, reload the page and try again.")
