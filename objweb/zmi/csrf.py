"""The token every state-changing form of the management screens carries.

The publisher gives each authenticated request its tokens: a session's
(`objweb.security.csrf.session_token`), or, under HTTP Basic credentials,
the user's own, bound to where the user is defined, to the password, and
to a time window (`basic_tokens`). The screens put `request.csrf_token` in
every form, and every POST to a screen is checked here before anything
changes, whatever the body and the credentials.
"""

from objweb.security.csrf import FIELD_NAME, HEADER_NAME, CSRFError, is_valid_token

FIELD = FIELD_NAME
HEADER = HEADER_NAME


def token_for(request) -> str:
    """Return the token forms must send back with this request's user."""
    return getattr(request, "csrf_token", "") or ""


def check(request) -> None:
    """Return if the request carries one of its user's tokens (field or header).

    Raises `CSRFError`: a 403 that changes nothing.
    """
    sent = request.headers.get(HEADER) or request.POST.get(FIELD) or ""
    if not is_valid_token(getattr(request, "csrf_tokens", ()), sent):
        raise CSRFError()
