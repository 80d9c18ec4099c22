"""Who is making a request: the principal record and the current one.

A principal is a plain, immutable record built once per request from a user
defined in some user folder. It carries the user's own roles and groups and
the folder whose subtree the user is known in, as in Zope, where a user of a
nested `acl_users` is nobody outside that folder.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Principal:
    """A user as the security policy sees it.

    `roles` are the roles given by the user folder (the user's and its
    groups'). `domain` is the folder that holds the defining user folder; the
    user's roles count only inside it. `None` means everywhere (trusted code).
    `user_folder` is the path of that user folder: with the id, it names the
    user for good (what ownership records). It is None for a principal no
    user folder defined: an anonymous visitor, or a user named by trusted
    code (`objweb.site(db, user=...)`).
    """

    id: str | None
    title: str = ""
    roles: frozenset = frozenset()
    groups: frozenset = frozenset()
    domain: object = field(default=None, compare=False, repr=False)
    user_folder: str | None = None

    @property
    def is_authenticated(self) -> bool:
        """Whether this principal logged in (as opposed to an anonymous visitor)."""
        return self.id is not None

    @property
    def principal_ids(self) -> frozenset:
        """The ids local roles may be given to: the user's and its groups'."""
        if self.id is None:
            return frozenset()
        return frozenset({self.id}) | self.groups


ANONYMOUS_PRINCIPAL = Principal(id=None, title="Anonymous User")

#: Whom code acts for when no request and no user set one: the Python API, the
#: shell, the commands. It holds the roles of an anonymous visitor when asked,
#: but unlike a visitor it is trusted: what it makes has no owner.
TRUSTED_CODE = Principal(id=None, title="Trusted code")

_current: ContextVar[Principal] = ContextVar("objweb_principal", default=TRUSTED_CODE)


def current_principal() -> Principal:
    """Return the principal the running code acts for."""
    return _current.get()


def current_user_id() -> str | None:
    """Return the id of the current user, or None for an anonymous visitor or trusted code."""
    return _current.get().id


@contextmanager
def acting_as(principal: Principal) -> Iterator[Principal]:
    """Make `principal` the current one for the duration of the block."""
    token = _current.set(principal)
    try:
        yield principal
    finally:
        _current.reset(token)
