"""Writers that storm a running `objweb serve` through the JSON API and keep a ledger.

Each writer thread creates Pages in one public folder and then changes their
titles, one request at a time. Every write carries a version in its title
("w3-17 v2"), and the ledger records, per page, the highest version sent and
the highest version acknowledged with a 2xx. After a crash and a restart the
site must hold every acknowledged write: a page whose creation was
acknowledged is there, and its version is at least the acknowledged one (a
later write the server committed but could not answer may have landed too,
so anything up to the highest version sent is allowed).
"""

import http.client
import json
import threading
from collections import Counter
from dataclasses import dataclass, field

import objweb
from objweb import Folder
from ops.ops_servers import request

# Writes per page: the creation (version 0), then title changes.
VERSIONS_PER_PAGE = 3
# Answered in a batch of the folder listing: the most the JSON API allows.
LISTING_BATCH = 1000


def add_public_folder(uri: str, name: str) -> None:
    """Add folder `name` at the root of the site at `uri`, where anyone may add and change.

    Public, so that the storm measures the storage rather than password hashing.
    """
    db = objweb.open_db(uri)
    try:
        with objweb.site(db) as root:
            root[name] = Folder(title=name)
            for permission in ("Add objects", "Change objects"):
                root[name].manage_permission(permission, roles=["Anonymous"], acquire=True)
    finally:
        db.close()


def title_of(name: str, version: int) -> str:
    """Return the title that write `version` of page `name` sets."""
    return f"{name} v{version}"


def version_in(title: str) -> int:
    """Return the version a title written by `title_of` carries."""
    return int(title.rsplit(" v", 1)[1])


@dataclass
class Ledger:
    """What the writers sent and what the server acknowledged, page by page."""

    sent: dict = field(default_factory=dict)
    acknowledged: dict = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    # (status, message) of every answer other than a 2xx.
    refusals: Counter = field(default_factory=Counter)
    attempted: int = 0
    errored: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record_sent(self, name: str, version: int) -> None:
        """Note that write `version` of page `name` is being sent."""
        with self.lock:
            self.attempted += 1
            self.sent[name] = version

    def record_answer(self, name: str, version: int, status: int, body: bytes) -> None:
        """Note the server's answer to write `version` of page `name`."""
        with self.lock:
            self.statuses[status] += 1
            if 200 <= status < 300:
                self.acknowledged[name] = version
            else:
                self.refusals[status, error_message(body)] += 1

    def record_no_answer(self) -> None:
        """Note a write that got no answer (the connection was refused or cut)."""
        with self.lock:
            self.errored += 1

    @property
    def acks(self) -> int:
        """How many writes got a 2xx."""
        return sum(count for status, count in self.statuses.items() if 200 <= status < 300)

    @property
    def refused(self) -> int:
        """How many writes got an answer other than a 2xx."""
        return sum(self.statuses.values()) - self.acks

    def lost(self, titles: dict) -> list[str]:
        """Return the acknowledged writes missing from `titles` (page name to title)."""
        with self.lock:
            acknowledged = dict(self.acknowledged)
        return [f"{name} v{version}" for name, version in sorted(acknowledged.items())
                if name not in titles or version_in(titles[name]) < version]

    def landed_unanswered(self, titles: dict) -> int:
        """Return how many writes in `titles` are there though no 2xx acknowledged them.

        They were committed when the server died before it could answer.
        """
        with self.lock:
            acknowledged = dict(self.acknowledged)
        return sum(1 for name, title in titles.items()
                   if version_in(title) > acknowledged.get(name, -1))

    def unexplained(self, titles: dict) -> list[str]:
        """Return the titles in `titles` that no writer ever sent."""
        with self.lock:
            sent = dict(self.sent)
        return [title for name, title in sorted(titles.items())
                if name not in sent or version_in(title) > sent[name]]


class Storm:
    """Writer threads adding and changing Pages in `url` until stopped or cut off."""

    def __init__(self, url: str, *, writers: int = 8, prefix: str = "w",
                 ledger: Ledger | None = None):
        self.url = url.rstrip("/")
        self.prefix = prefix
        self.ledger = ledger or Ledger()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._write, args=(number,), daemon=True)
                        for number in range(writers)]

    def __enter__(self) -> "Storm":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the writers after their current request and wait for them."""
        self.stopping.set()
        for thread in self.threads:
            thread.join(60)

    def _write(self, writer: int) -> None:
        page = 0
        while not self.stopping.is_set():
            name = f"{self.prefix}{writer}-{page}"
            for version in range(VERSIONS_PER_PAGE):
                status = self._send(name, version)
                if status is None:
                    return  # no answer: the server is gone, and so is this writer
                if not 200 <= status < 300 or self.stopping.is_set():
                    break
            page += 1

    def _send(self, name: str, version: int) -> int | None:
        title = title_of(name, version)
        if version == 0:
            method, url, body = "POST", self.url, {"@type": "Page", "id": name, "title": title}
        else:
            method, url, body = "PATCH", f"{self.url}/{name}", {"title": title}
        self.ledger.record_sent(name, version)
        try:
            status, _, answer = request(method, url, body=body, auth=False, timeout=60)
        except (OSError, http.client.HTTPException):  # refused, reset, or cut off mid-answer
            self.ledger.record_no_answer()
            return None
        self.ledger.record_answer(name, version, status, answer)
        return status


def error_message(body: bytes) -> str:
    """Return the `error` of a JSON error answer, or the start of any other body."""
    try:
        return json.loads(body)["error"]
    except (ValueError, KeyError, TypeError):
        return body[:200].decode(errors="replace")


def titles_in(url: str) -> dict:
    """Return {name: title} of every item of the folder at `url`, batch after batch."""
    titles, start = {}, 0
    while True:
        status, _, body = request("GET", f"{url}?b_start={start}&b_size={LISTING_BATCH}",
                                  headers={"Accept": "application/json"}, auth=False)
        assert status == 200, body
        listing = json.loads(body)
        titles.update((item["id"], item["title"]) for item in listing["items"])
        start += LISTING_BATCH
        if start >= listing["items_total"]:
            return titles
