"""A site of a million objects: how fast `objweb serve` starts, and how much memory it holds.

The site is served where it is kept (bench/.cache/million-*), with the FileStorage
index `Data.fs.index` that the last clean close wrote, so the start reads the index
instead of scanning a database of several hundred MB. The start is timed from the
process's creation to the first 200 answer. Its resident memory is read from
/proc/<pid>/status after the start, and after each of two runs of reads spread at
random over the million Pages: with the object cache bounded by `cache_size`, the
second run leaves the memory where the first left it.
"""

import dataclasses

import servers
import sites
from loadgen import run_wrk
from requests import Request

CACHE_SIZE = 5000
SPREAD = (sites.MILLION_FOLDERS, sites.MILLION_PER_FOLDER)
READ = Request("GET", "/m/f%03d/item-%06d", headers=(("Accept", "text/html"),))
FIRST = "/m/f050/item-005000"


@dataclasses.dataclass
class MillionResult:
    startup_seconds: float
    rss_started_mb: float
    rss_after_mb: list
    reads: list
    cache_size: int = CACHE_SIZE
    threads: int = servers.THREADS

    @property
    def growth(self) -> float:
        """How much the second run of reads grew the memory the first left, as a fraction."""
        first, second = self.rss_after_mb
        return second / first - 1 if first else 0.0


def measure_million(scratch, *, seconds: float, say=print) -> MillionResult:
    kept = sites.cached("million", sites.MILLION_VERSION, sites.build_million, say=say)
    servers.write_ini(kept, cache_size=CACHE_SIZE)
    process = servers.objweb_serve(kept, servers.free_port())
    try:
        startup = process.wait_ready(FIRST)
        started_rss = process.rss_mb()
        rss, reads = [], []
        for _ in range(2):
            reads.append(run_wrk(process.port, READ, scratch, seconds, spread=SPREAD))
            rss.append(process.rss_mb())
    finally:
        process.stop()
    result = MillionResult(startup, started_rss, rss, reads)
    say(f"  million: started in {startup:.2f} s, RSS {started_rss:.0f} MB, after reads "
        f"{rss[0]:.0f} MB then {rss[1]:.0f} MB ({reads[0].rate:.0f} and {reads[1].rate:.0f} "
        "reads/s)")
    return result
