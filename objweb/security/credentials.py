"""Remembering, briefly, credentials that were just proven right.

A program using HTTP Basic sends its password with every request, and
checking an argon2id hash takes a good fraction of a second by design. So a
password proven right is remembered for `ttl` seconds, as a keyed digest of
the login, the password and the stored hash: never the password itself, and
a new password (a new hash) makes the entry useless at once. Wrong
passwords are never remembered, so a refusal always costs a full hash and a
guesser gains nothing.
"""

import secrets
import threading
import time
from collections import OrderedDict

from objweb.security.signing import keyed_digest


class VerifiedCredentials:
    """A bounded, thread-safe memory of recently proven credentials."""

    def __init__(self, *, ttl: float = 60.0, max_entries: int = 1024, clock=time.monotonic):
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        # A key of this process only: the digests mean nothing anywhere else.
        self._key = secrets.token_bytes(32)
        self._proven: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def _digest(self, where: str, login: str, password: str, password_hash: str) -> str:
        return keyed_digest(self._key, "proven credentials",
                            "\x00".join((where, login, password, password_hash)))

    def is_proven(self, where: str, login: str, password: str, password_hash: str) -> bool:
        """Return whether these credentials were proven right within the last `ttl` seconds."""
        digest = self._digest(where, login, password, password_hash)
        with self._lock:
            proven_at = self._proven.get(digest)
            if proven_at is None:
                return False
            if self.clock() - proven_at >= self.ttl:
                del self._proven[digest]
                return False
            return True

    def remember(self, where: str, login: str, password: str, password_hash: str) -> None:
        """Record that these credentials were just proven right."""
        digest = self._digest(where, login, password, password_hash)
        with self._lock:
            self._proven[digest] = self.clock()
            self._proven.move_to_end(digest)
            while len(self._proven) > self.max_entries:
                self._proven.popitem(last=False)

    def forget(self) -> None:
        """Forget every proven credential."""
        with self._lock:
            self._proven.clear()

    def __len__(self) -> int:
        return len(self._proven)
