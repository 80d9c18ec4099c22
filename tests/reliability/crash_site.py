"""A site that is crashed on purpose: storms of writes, SIGKILLs, restarts, checks.

An instance home with a FileStorage (served directly, or by `objweb zeo`),
one `objweb serve` process over it, and the ledger of every write the storms
sent. Each crash kills a process with SIGKILL while the writers are busy,
starts it again, and compares what the restarted site holds with the ledger.
The test suite runs a few rounds; `bench/crash_rounds.py` runs many.
"""

import os
import signal
import subprocess
import sys
from dataclasses import dataclass

from ops.ops_servers import ZeoProcess, make_site, start_fixture_serve
from storm import Ledger, Storm, add_public_folder, titles_in
from support import Process, wait_for

STORM_FOLDER = "storm"
# Writes acknowledged in a round before the kill: enough that several are
# in flight when it comes, few enough that a round takes a second or two.
ACKS_BEFORE_KILL = 25
# ZODB's own checkers of a FileStorage: the file's records, then the references.
CHECKERS = ("ZODB.scripts.fstest", "ZODB.scripts.fsrefs")


@dataclass(frozen=True)
class RoundResult:
    """What a restarted site holds, compared with the ledger."""

    lost: list
    unexplained: list
    pages: int
    landed_unanswered: int


def kill(process: Process) -> None:
    """Kill `process` with SIGKILL, as a crash would, and reap it."""
    os.kill(process.pid, signal.SIGKILL)
    process.popen.wait(30)


class CrashSite:
    """An instance home whose servers are killed mid-storm and started again."""

    def __init__(self, home, *, zeo: bool = False, writers: int = 8):
        self.home = home
        self.data_file = home / "var" / "Data.fs"
        self.ledger = Ledger()
        self.writers = writers
        self.started = 0
        self.rounds = 0
        self.serve = self.zeo = None
        file_uri = make_site(home)
        add_public_folder(file_uri, STORM_FOLDER)
        try:
            self.zeo = ZeoProcess(home) if zeo else None
            self.db_uri = self.zeo.uri if zeo else file_uri
            self.start_serve()
        except BaseException:
            self.stop()
            raise

    @property
    def storm_url(self) -> str:
        """The URL of the folder the storms write to."""
        return f"{self.serve.url}/{STORM_FOLDER}"

    def start_serve(self) -> None:
        """Start `objweb serve` over the site's database and wait until it answers."""
        self.started += 1
        self.serve = start_fixture_serve(self.home, self.db_uri, f"serve-{self.started}")

    def storm(self) -> Storm:
        """Return the writers of a new round (not started yet), sharing the ledger."""
        self.rounds += 1
        return Storm(self.storm_url, writers=self.writers, prefix=f"r{self.rounds}w",
                     ledger=self.ledger)

    def wait_for_acks(self, count: int) -> None:
        """Wait until `count` more writes than now have been acknowledged."""
        target = self.ledger.acks + count
        wait_for(lambda: self.ledger.acks >= target, timeout=120,
                 message=f"the storm got no {count} acknowledgements: {self.ledger.statuses}")

    def crash_serve(self, *, acks: int = ACKS_BEFORE_KILL) -> RoundResult:
        """Kill `objweb serve` mid-storm, start it again and check the ledger."""
        with self.storm():
            self.wait_for_acks(acks)
            kill(self.serve)
        self.start_serve()
        return self.check()

    def crash_zeo(self, *, acks: int = ACKS_BEFORE_KILL) -> RoundResult:
        """Kill `objweb zeo` mid-storm, wait for a refusal, start it again and check.

        The serve process stays up: while its ZEO server is away it refuses
        writes with a 503, and it reconnects by itself once the server is back.
        """
        port = self.zeo.port
        with self.storm():
            self.wait_for_acks(acks)
            unavailable = self.ledger.statuses[503]
            kill(self.zeo)
            wait_for(lambda: self.ledger.statuses[503] > unavailable, timeout=60,
                     message=f"no write was refused while ZEO was down: {self.ledger.statuses}")
            self.zeo = ZeoProcess(self.home, port=port, name=f"zeo-{self.rounds}")
            self.wait_for_acks(acks)
        return self.check()

    def check(self) -> RoundResult:
        """Compare what the site serves now with the ledger."""
        titles = titles_in(self.storm_url)
        return RoundResult(self.ledger.lost(titles), self.ledger.unexplained(titles),
                           len(titles), self.ledger.landed_unanswered(titles))

    def server_log(self) -> str:
        """Return what every `objweb serve` process of this site wrote to stderr."""
        return "".join((self.home / f"serve-{number}.stderr").read_text(errors="replace")
                       for number in range(1, self.started + 1))

    def stop(self) -> None:
        """Stop the servers (SIGTERM) that are still running."""
        for process in (self.serve, self.zeo):
            if process is not None:
                process.stop()

    def check_storage(self) -> list[str]:
        """Return the complaints of ZODB's checkers about the data file (none, if sound).

        Run with the servers stopped: the checkers read the file directly.
        """
        complaints = []
        for checker in CHECKERS:
            ran = subprocess.run([sys.executable, "-m", checker, str(self.data_file)],
                                 capture_output=True, text=True, timeout=300)
            if ran.returncode != 0 or ran.stdout.strip() or ran.stderr.strip():
                complaints.append(f"{checker} (exit {ran.returncode}): {ran.stdout}{ran.stderr}")
        return complaints
