"""Slowing down password guessing: failed logins counted per user and per address.

After `attempts_per_user` failures for one user name, or `attempts_per_address`
failures from one client address, within `window` seconds, every further
attempt for that name or from that address is refused, right password or
not, until the oldest failure leaves the window. The counts live in memory
(a few timestamps per key, and a bounded number of keys), so a flood of
made-up names or addresses cannot exhaust the server.
"""

import math
import threading
import time
from collections import OrderedDict, deque

from objweb.errors import ObjwebError

# Only this much of a login name is kept as a key; longer names are not valid anyway.
MAX_KEY_LENGTH = 200


class LoginThrottledError(ObjwebError):
    """Too many failed logins: wait `retry_after` seconds before trying again."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"too many failed logins; try again in {retry_after} seconds")


class LoginThrottle:
    """Counts failed logins per user name and per client address; thread-safe.

    `clock` returns seconds; it is `time.monotonic` unless a test gives another.
    """

    def __init__(self, *, attempts_per_user: int, attempts_per_address: int, window: float,
                 max_keys: int = 10000, clock=time.monotonic):
        self.limits = {"user": max(1, attempts_per_user), "address": max(1, attempts_per_address)}
        self.window = window
        self.max_keys = max_keys
        self.clock = clock
        self._failures: OrderedDict[tuple, deque] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _keys(login: str | None, address: str | None) -> list[tuple]:
        keys = []
        if login:
            keys.append(("user", login[:MAX_KEY_LENGTH]))
        if address:
            keys.append(("address", address[:MAX_KEY_LENGTH]))
        return keys

    def retry_after(self, login: str | None, address: str | None) -> int:
        """Return how many seconds to wait before this attempt may be made (0: now)."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in self._keys(login, address):
                stamps = self._recent(key, now)
                if stamps is not None and len(stamps) >= self.limits[key[0]]:
                    wait = max(wait, stamps[0] + self.window - now)
        return math.ceil(wait) if wait > 0 else 0

    def check(self, login: str | None, address: str | None) -> None:
        """Return if an attempt may be made; raise `LoginThrottledError` if not."""
        wait = self.retry_after(login, address)
        if wait:
            raise LoginThrottledError(wait)

    def record_failure(self, login: str | None, address: str | None) -> None:
        """Count one failed login for the name and the address."""
        now = self.clock()
        with self._lock:
            for key in self._keys(login, address):
                stamps = self._recent(key, now)
                if stamps is None:
                    stamps = self._failures[key] = deque(maxlen=self.limits[key[0]])
                stamps.append(now)
                self._failures.move_to_end(key)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def record_success(self, login: str | None) -> None:
        """Forget the failures of a name that just logged in.

        The address keeps its count: one good account must not reset the
        guessing of others from the same place.
        """
        with self._lock:
            for key in self._keys(login, None):
                self._failures.pop(key, None)

    def _recent(self, key: tuple, now: float) -> deque | None:
        stamps = self._failures.get(key)
        if stamps is None:
            return None
        while stamps and stamps[0] + self.window <= now:
            stamps.popleft()
        if not stamps:
            del self._failures[key]
            return None
        return stamps


class Unthrottled:
    """A throttle that counts nothing and refuses nothing: for requests outside an application."""

    def check(self, login: str | None, address: str | None) -> None:
        """Allow every attempt."""

    def record_failure(self, login: str | None, address: str | None) -> None:
        """Count nothing."""

    def record_success(self, login: str | None) -> None:
        """Count nothing."""


UNTHROTTLED = Unthrottled()
