"""What went wrong and what was slow in this process: incidents, slow requests, conflicts.

Zope keeps an `error_log`; objweb keeps three bounded records in the
memory of each serving process, for its Managers to read in the Control
panel and as JSON (`GET /@@diagnostics`):

- the recent incidents: each 500's id (the one its page shows), with the
  traceback, the user, the request's method and path, and the time;
- the slowest of the recent requests, with their status, user and the
  number of attempts conflicts made them take;
- ZODB conflicts counted by object (its class, and the object's path
  worked out when they are read), with how many were retried and how many
  ended in a 503, and the last request each hit: where the hot objects are.

Nothing here is stored in the database or shared between processes; each
record is bounded by a setting, so a storm of errors or conflicts costs a
fixed amount of memory. Reading several processes is the README's subject.
"""

import os
import socket
import threading
import time
import traceback
from collections import OrderedDict, deque
from dataclasses import dataclass, replace

from ZODB.POSException import ConflictError
from ZODB.utils import oid_repr

from objweb.traversal.location import is_inside, path_of

# A traceback longer than this keeps its end, where the error was raised.
MAX_TRACEBACK = 20_000
# An error's one-line summary longer than this keeps its start.
MAX_SUMMARY = 500
# How many of the recent requests the slowest list shows.
SLOWEST_SHOWN = 20


@dataclass(frozen=True)
class Incident:
    """One 500: its id, when, whose request, what failed and the traceback."""

    id: str
    time: float
    method: str
    path: str
    user: str | None
    error: str
    traceback: str
    # Where a Script or Template failed, with its source lines.
    detail: str | None = None


@dataclass(frozen=True)
class RequestTiming:
    """One answered request: when, what, for whom, its status and how long it took."""

    time: float
    method: str
    path: str
    status: int
    user: str | None
    seconds: float
    attempts: int


@dataclass(frozen=True)
class ConflictCount:
    """The conflicts one object met: retried ones, those that ended in a 503, the last hit."""

    oid: bytes | None
    class_name: str
    conflicts: int = 0
    retries: int = 0
    unavailable: int = 0
    last_time: float = 0.0
    last_request: str = ""


@dataclass(frozen=True)
class Totals:
    """Counts since the process started, beyond what the bounded records still hold."""

    requests: int = 0
    incidents: int = 0
    conflicts: int = 0
    retries: int = 0
    unavailable: int = 0


@dataclass(frozen=True)
class Report:
    """A consistent copy of the records, newest incidents and hottest objects first."""

    host: str
    pid: int
    started: float
    incidents: tuple[Incident, ...]
    slowest: tuple[RequestTiming, ...]
    conflicts: tuple[ConflictCount, ...]
    totals: Totals


def describe_error(error: BaseException) -> tuple[str, str]:
    """Return the summary and the traceback (its end if long) of `error`.

    The summary names the error's cause too: a Script's failure is a
    `CodeError` caused by what the Script's code raised.
    """
    summary = f"{type(error).__name__}: {error}"
    if error.__cause__ is not None:
        summary += f" ({type(error.__cause__).__name__}: {error.__cause__})"
    if len(summary) > MAX_SUMMARY:
        summary = summary[:MAX_SUMMARY] + "…"
    text = "".join(traceback.format_exception(error))
    if len(text) > MAX_TRACEBACK:
        text = "… (the start is cut)\n" + text[-MAX_TRACEBACK:]
    return summary, text


class Diagnostics:
    """The bounded records of one process, safe to share between its threads.

    `incidents` incidents, `requests` recent requests (the slowest of them
    are shown) and `objects` objects' conflict counts are kept; the object
    that met a conflict least recently makes room for a new one.
    """

    def __init__(self, *, incidents: int = 50, requests: int = 1000, objects: int = 100):
        self._lock = threading.Lock()
        self._incidents: deque[Incident] = deque(maxlen=max(1, incidents))
        self._requests: deque[RequestTiming] = deque(maxlen=max(1, requests))
        self._conflicts: OrderedDict = OrderedDict()
        self._objects = max(1, objects)
        self._totals = Totals()
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.started = time.time()

    @classmethod
    def from_settings(cls, settings) -> "Diagnostics":
        """Return empty records bounded as `settings` say."""
        return cls(incidents=settings.diagnostics_incidents,
                   requests=settings.diagnostics_requests,
                   objects=settings.diagnostics_objects)

    def record_incident(self, incident: Incident) -> None:
        """Keep `incident`, forgetting the oldest beyond the bound."""
        with self._lock:
            self._incidents.append(incident)
            self._totals = replace(self._totals, incidents=self._totals.incidents + 1)

    def record_request(self, timing: RequestTiming) -> None:
        """Keep `timing` among the recent requests."""
        with self._lock:
            self._requests.append(timing)
            self._totals = replace(self._totals, requests=self._totals.requests + 1)

    def record_conflict(self, error: ConflictError, request_line: str, *,
                        retried: bool) -> None:
        """Count `error` against its object: retried, or the end of the request (a 503)."""
        oid = error.oid if isinstance(error.oid, bytes) else None
        class_name = error.class_name or type(error).__name__
        key = (oid, class_name)
        with self._lock:
            count = self._conflicts.pop(key, None) or ConflictCount(oid, class_name)
            self._conflicts[key] = replace(
                count, conflicts=count.conflicts + 1, retries=count.retries + retried,
                unavailable=count.unavailable + (not retried), last_time=time.time(),
                last_request=request_line)
            while len(self._conflicts) > self._objects:
                self._conflicts.popitem(last=False)
            totals = self._totals
            self._totals = replace(totals, conflicts=totals.conflicts + 1,
                                   retries=totals.retries + retried,
                                   unavailable=totals.unavailable + (not retried))

    def report(self) -> Report:
        """Return a copy of the records: incidents newest first, requests slowest first."""
        with self._lock:
            incidents = tuple(reversed(self._incidents))
            slowest = tuple(sorted(self._requests, key=lambda timing: timing.seconds,
                                   reverse=True)[:SLOWEST_SHOWN])
            conflicts = tuple(sorted(self._conflicts.values(),
                                     key=lambda count: (count.conflicts, count.last_time),
                                     reverse=True))
            totals = self._totals
        return Report(self.host, self.pid, self.started, incidents, slowest, conflicts, totals)

    def incident(self, incident_id: str) -> Incident | None:
        """Return the kept incident `incident_id`, or None."""
        with self._lock:
            return next((kept for kept in self._incidents if kept.id == incident_id), None)


def located_path(connection, root, oid: bytes | None) -> str | None:
    """Return the path of the object `oid` in the site under `root`, or None.

    An object that is not in the site's tree (a folder's B-tree bucket, a
    counter, something deleted since) has no path.
    """
    if oid is None:
        return None
    try:
        obj = connection.get(oid)
        if is_inside(obj, root):
            return path_of(obj)
    except Exception:  # a deleted object, a broken one: it is simply not located
        return None
    return None


def oid_text(oid: bytes | None) -> str:
    """Return `oid` written as ZODB writes it (0x…), or an empty text."""
    return oid_repr(oid) if oid is not None else ""
