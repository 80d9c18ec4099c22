"""Who sent a request: HTTP Basic credentials, checked against the user folders.

Credentials are checked against the user folders above the object the
request reached (the nearest that knows the login decides), so a user of a
nested `acl_users` can log in where that folder rules.
"""

import base64
import binascii
from dataclasses import dataclass

from objweb.errors import Unauthorized
from objweb.security.authentication import authenticate
from objweb.security.principals import ANONYMOUS_PRINCIPAL, Principal


@dataclass(frozen=True)
class BasicCredentials:
    """A login and password sent with HTTP Basic authentication."""

    login: str
    password: str


def basic_credentials(request) -> BasicCredentials | None:
    """Return the Basic credentials of `request`, or None if it carries none.

    Raises `Unauthorized` for a malformed `Authorization: Basic` header.
    """
    header = request.headers.get("Authorization", "")
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

    Anonymous without credentials; raises `Unauthorized` for bad ones.
    """
    credentials = basic_credentials(request)
    if credentials is None:
        return ANONYMOUS_PRINCIPAL
    principal = authenticate(obj, credentials.login, credentials.password)
    if principal is None:
        raise Unauthorized("bad credentials")
    return principal
