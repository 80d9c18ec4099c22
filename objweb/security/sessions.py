"""Signed session tickets: who logged in, in which user folder, until when.

A browser that logs in through the form gets a ticket in a cookie. The ticket
is a value signed with the site's secret (`objweb.security.signing`): a small
JSON record and its HMAC-SHA256, so nobody without the secret can make or
alter one. A ticket stops working when it expires, when
its session is ended by logging out (the ended sessions are kept, until they
would have expired, in `EndedSessions`), and when the user's password changes:
the ticket carries a keyed fingerprint of the password hash it was issued
under, never the hash itself.
"""

import secrets
import time
from dataclasses import asdict, dataclass

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from objweb.security.signing import keyed_digest, read_signed, sign_value

COOKIE_NAME = "objweb_session"
# A ticket is a few hundred bytes; anything much longer is not ours.
MAX_TICKET_LENGTH = 2048


@dataclass(frozen=True)
class Session:
    """One login: the user, where the user is defined, and its lifetime.

    `domain_path` is the path of the folder whose `acl_users` defines the
    user (`/` for the site's own user folder). `session_id` is random and
    names the session for logging out; `fingerprint` binds the session to
    the password the user had when logging in. Times are seconds since the
    epoch.
    """

    user_id: str
    domain_path: str
    session_id: str
    issued: int
    expires: int
    fingerprint: str

    def is_expired(self, now: float | None = None) -> bool:
        """Return whether the session's lifetime is over."""
        return (time.time() if now is None else now) >= self.expires


def credential_fingerprint(secret: bytes, password_hash: str | None) -> str:
    """Return a keyed fingerprint of a password hash: it changes when the password does.

    It reveals nothing of the hash to whoever lacks the site's secret.
    """
    return keyed_digest(secret, "credential", password_hash or "")


def new_session(user_id: str, domain_path: str, fingerprint: str, *, lifetime: int,
                now: float | None = None) -> Session:
    """Return a fresh session for `user_id` that lasts `lifetime` seconds from now."""
    issued = int(time.time() if now is None else now)
    return Session(user_id=user_id, domain_path=domain_path,
                   session_id=secrets.token_urlsafe(18), issued=issued,
                   expires=issued + int(lifetime), fingerprint=fingerprint)


def sign(session: Session, secret: bytes) -> str:
    """Return the ticket that carries `session`, signed with `secret`."""
    return sign_value(secret, "session", asdict(session))


def read_ticket(ticket: object, secret: bytes, *, now: float | None = None) -> Session | None:
    """Return the session a ticket carries, or None if it is forged, malformed or expired."""
    record = read_signed(secret, "session", ticket, max_length=MAX_TICKET_LENGTH)
    if not isinstance(record, dict):
        return None
    try:
        session = Session(**record)
    except TypeError:
        # Only a ticket signed with our secret gets here: a bug, or an old format.
        return None
    if session.is_expired(now):
        return None
    return session


class EndedSessions(Persistent):
    """Sessions ended before they expired, remembered only until they would have.

    Keys are `(expires, session_id)`, so forgetting the expired ones is a
    range scan over the oldest keys, never a walk over all of them.
    """

    def __init__(self):
        self._ended = OOBTree()

    def end(self, session: Session, now: float | None = None) -> None:
        """Record that `session` is over, and forget sessions that expired anyway."""
        self.forget_expired(now)
        self._ended[(session.expires, session.session_id)] = True

    def is_ended(self, session: Session) -> bool:
        """Return whether `session` was ended by logging out."""
        return (session.expires, session.session_id) in self._ended

    def forget_expired(self, now: float | None = None) -> int:
        """Drop the records of sessions that have expired; return how many."""
        now = int(time.time() if now is None else now)
        expired = list(self._ended.keys(max=(now, "\uffff")))
        for key in expired:
            del self._ended[key]
        return len(expired)

    def __len__(self) -> int:
        return len(self._ended)
