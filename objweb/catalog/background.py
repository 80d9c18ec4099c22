"""A reindex run in a thread of the serving process, for the Catalog screen's progress bar.

A reindex of a big site takes longer than any request may: the Catalog
screen starts one here and shows how far it got (`progress`) each time it
is loaded. One reindex at a time per database in a process; it works in
transactions of its own (see `objweb.catalog.reindex`), so the site keeps
answering, and its failure is kept for the screen to show.
"""

import logging
import threading
import weakref
from dataclasses import dataclass

from objweb.catalog.reindex import reindex

log = logging.getLogger("objweb.catalog")


@dataclass(frozen=True)
class Progress:
    """How far a reindex got: objects done of the total, whether it runs, and its failure."""

    path: str
    done: int = 0
    total: int = 0
    running: bool = False
    failure: str = ""

    @property
    def percent(self) -> int:
        """The share done, from 0 to 100."""
        return 100 if not self.total else min(100, self.done * 100 // self.total)


class ReindexJob:
    """One reindex of `path` in `db`, run in a thread of its own."""

    _jobs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    _lock = threading.Lock()

    def __init__(self, db, path: str):
        self.db = db
        self.progress = Progress(path, running=True)
        self._thread = threading.Thread(target=self._run, name="objweb-catalog-reindex",
                                        daemon=True)

    @classmethod
    def start(cls, db, path: str = "/") -> "ReindexJob":
        """Start reindexing `path` and return the job.

        Raises `ValueError` while another reindex of `db` runs in this process.
        """
        with cls._lock:
            current = cls._jobs.get(db)
            if current is not None and current.progress.running:
                raise ValueError("a reindex is running already; wait for it to finish")
            job = cls._jobs[db] = cls(db, path)
        job._thread.start()
        return job

    @classmethod
    def latest(cls, db) -> "ReindexJob | None":
        """Return the last reindex started for `db` in this process, if any."""
        return cls._jobs.get(db)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the reindex to end; return whether it has."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _report(self, done: int, total: int) -> None:
        self.progress = Progress(self.progress.path, done, total, running=True)

    def _run(self) -> None:
        progress = self.progress
        try:
            done = reindex(self.db, progress.path, progress=self._report)
            self.progress = Progress(progress.path, done, max(done, self.progress.total))
        except Exception as error:  # noqa: BLE001 (the screen shows it; the log keeps it)
            log.exception("the reindex of %s failed", progress.path)
            self.progress = Progress(progress.path, self.progress.done, self.progress.total,
                                     failure=f"{type(error).__name__}: {error}")
