"""Replays that run alone: how conflicting writers in one process stop colliding.

Writers that change one object at once conflict, and a replay started at
once meets the same writers again: under steady load on one object a few
requests in a hundred used up their retries and answered 503. So a write
request holds the gate shared, and a replay holds it alone: it waits until
the writes under way in this process have finished, and new ones wait for it.
A replay that has the process to itself can only conflict with another
process. Reads never take the gate (MVCC reads do not conflict).

The wait is bounded: a replay that cannot have the gate within `patience`
seconds (a long upload is being stored) runs beside the others, as it would
without the gate.
"""

import threading
from contextlib import contextmanager


class WriteGate:
    """A shared-or-alone lock for write requests, preferring those that wait alone."""

    def __init__(self, patience: float):
        self.patience = patience
        self._condition = threading.Condition()
        self._sharing = 0
        self._alone = False
        self._waiting_alone = 0

    @contextmanager
    def shared(self):
        """Hold the gate beside other writers."""
        with self._condition:
            self._condition.wait_for(self._open_to_share, self.patience)
            self._sharing += 1
        try:
            yield
        finally:
            with self._condition:
                self._sharing -= 1
                self._condition.notify_all()

    @contextmanager
    def alone(self):
        """Hold the gate with no other writer of this process, if that comes in time."""
        with self._condition:
            self._waiting_alone += 1
            alone = self._condition.wait_for(self._open_alone, self.patience)
            self._waiting_alone -= 1
            self._alone = alone
            if not alone:
                self._sharing += 1
        try:
            yield
        finally:
            with self._condition:
                if alone:
                    self._alone = False
                else:
                    self._sharing -= 1
                self._condition.notify_all()

    def _open_to_share(self) -> bool:
        return not self._alone and not self._waiting_alone

    def _open_alone(self) -> bool:
        return not self._alone and not self._sharing
