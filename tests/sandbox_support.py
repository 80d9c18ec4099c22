"""Helpers the sandbox suites share: users' policies and adding code to a site."""

import itertools

from objweb.security.authentication import principal_by_login
from objweb.security.policy import SecurityPolicy
from objweb.security.principals import ANONYMOUS_PRINCIPAL

# The body of the Page /private/secret, which only Managers may view.
SECRET = "the-private-marker-7f3a"
_names = itertools.count(1)


def policy_for(root, login: str | None) -> SecurityPolicy:
    """Return the security policy of user `login` (None: an anonymous visitor)."""
    if login is None:
        return SecurityPolicy(ANONYMOUS_PRINCIPAL)
    return SecurityPolicy(principal_by_login(root, login))


def add_code(root, obj, *, owner: str | None = None, where=None):
    """Add `obj` under a fresh name in `where` (default `/code`), owned by `owner`."""
    where = root["code"] if where is None else where
    name = f"c{next(_names)}"
    where[name] = obj
    obj.owner = owner
    return obj
