"""A site of a million objects: how fast `objweb serve` starts, and how much memory it holds.

The site is served where it is kept (bench/.cache/million-*), with the FileStorage
index `Data.fs.index` that the last clean close wrote, so the start reads the index
instead of scanning a database of several hundred MB. The start is timed from the
process's creation to the first 200 answer. Its resident memory is read from
/proc/<pid>/status after the start, and after each of two runs of reads spread at
random over the million Pages, three times: with the object cache bounded by
`cache_size`, once the caches are full a run leaves the memory where the one before
left it.
"""

import dataclasses
import subprocess
import sys
import time

import servers
import sites
from loadgen import run_wrk
from requests import Request

CACHE_SIZE = 5000
SPREAD = (sites.MILLION_FOLDERS, sites.MILLION_PER_FOLDER)
READ = Request("GET", "/m/f%03d/item-%06d", headers=(("Accept", "text/html"),))
FIRST = "/m/f050/item-005000"
RUNS = 3


@dataclasses.dataclass
class MillionResult:
    startup_seconds: float
    rss_started_mb: float
    rss_after_mb: list
    reads: list
    import_seconds: float = 0.0
    cache_size: int = CACHE_SIZE
    threads: int = servers.THREADS

    @property
    def growth(self) -> float:
        """How much the last run of reads grew the memory the one before left, as a fraction."""
        before, last = self.rss_after_mb[-2:]
        return last / before - 1 if before else 0.0


def import_seconds() -> float:
    """How long a new Python process takes to import the `objweb` command: the part of
    any start that no database size changes."""
    timings = []
    for _ in range(3):  # the best of three: the machine is shared
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", "import objweb.cli"], check=True)
        timings.append(time.monotonic() - started)
    return min(timings)


def measure_million(scratch, *, seconds: float, say=print) -> MillionResult:
    kept = sites.cached("million", sites.MILLION_VERSION, sites.build_million, say=say)
    servers.write_ini(kept, cache_size=CACHE_SIZE)
    process = servers.objweb_serve(kept, servers.free_port())
    try:
        startup = process.wait_ready(FIRST)
        started_rss = process.rss_mb()
        rss, reads = [], []
        for _ in range(RUNS):
            reads.append(run_wrk(process.port, READ, scratch, seconds, spread=SPREAD))
            rss.append(process.rss_mb())
    finally:
        process.stop()
    result = MillionResult(startup, started_rss, rss, reads, import_seconds())
    say(f"  million: started in {startup:.2f} s (importing objweb alone: "
        f"{result.import_seconds:.2f} s), RSS {started_rss:.0f} MB, after each run of reads "
        + ", ".join(f"{mb:.0f} MB ({run.rate:.0f}/s)" for mb, run in zip(rss, reads)))
    return result
