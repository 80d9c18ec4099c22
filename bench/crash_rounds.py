"""Crash rounds: writes acknowledged and lost over many SIGKILLs.

    .venv/bin/python bench/crash_rounds.py [--file-rounds 20] [--zeo-serve-rounds 10]
                                           [--zeo-server-rounds 10] [--writers 8]

Eight writer threads add Pages to one folder and change their titles through
the JSON API, each write carrying a version, while a server is killed with
SIGKILL mid-storm and started again, round after round:

1. `objweb serve` over a FileStorage;
2. `objweb serve` over `objweb zeo` (the serve process is killed);
3. the `objweb zeo` server itself (the serve process stays up, refuses
   writes with 503 while its server is away, and reconnects).

After each restart the whole folder is read back and compared with the
ledger of every write sent and acknowledged: an acknowledged write that is
missing, or older than acknowledged, is lost. At the end ZODB's checkers
(`fstest`, `fsrefs`) read each data file. It prints, per kind of kill:
rounds, writes attempted, acknowledged, lost (must be 0), refused (answered
other than 2xx), errored (no answer: the connection died with the process),
landed unanswered (writes committed though their answer never came: the
kill fell between the commit and the response), conflicts retried, and the
time taken.

This is a script, not a test: it asserts nothing. The test suite runs the
same rounds a few times (tests/reliability/).
"""

import argparse
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "reliability")]

from crash_site import CrashSite  # noqa: E402 (found through the path set just above)

RETRIED = re.compile(r"retrying \w+ \S+ after \w*Conflict")


@dataclass
class KindFigures:
    """The figures of one kind of kill over its rounds."""

    kind: str
    rounds: int = 0
    attempted: int = 0
    acknowledged: int = 0
    lost: int = 0
    refused: int = 0
    errored: int = 0
    landed_unanswered: int = 0
    retried: int = 0
    seconds: float = 0.0
    storage: str = "not checked"


def run_kind(kind: str, home: Path, rounds: int, writers: int) -> KindFigures:
    """Run `rounds` crash rounds of `kind` in a new instance home; return the figures."""
    figures = KindFigures(kind)
    started = time.monotonic()
    site = CrashSite(home, zeo=kind != "serve over FileStorage", writers=writers)
    lost = set()
    try:
        for number in range(1, rounds + 1):
            # Kill after a different number of acknowledgements each round, so the
            # kill falls at different points of the requests in flight.
            acks = 10 + (number * 17) % 60
            result = (site.crash_zeo(acks=acks) if kind == "ZEO server"
                      else site.crash_serve(acks=acks))
            lost.update(result.lost)
            figures.landed_unanswered = result.landed_unanswered
            figures.rounds = number
            print(f"  {kind}, round {number}: {site.ledger.acks} acknowledged so far, "
                  f"{len(lost)} lost, {result.pages} pages", flush=True)
    finally:
        site.stop()
    complaints = site.check_storage()
    ledger = site.ledger
    figures.attempted, figures.acknowledged = ledger.attempted, ledger.acks
    figures.lost, figures.refused, figures.errored = len(lost), ledger.refused, ledger.errored
    figures.retried = len(RETRIED.findall(site.server_log()))
    figures.storage = "; ".join(complaints) or "clean"
    figures.seconds = time.monotonic() - started
    refusals = ", ".join(f"{count} x {status} {message!r}"
                         for (status, message), count in ledger.refusals.items())
    print(f"  {kind}: refusals: {refusals or 'none'}", flush=True)
    return figures


def print_table(all_figures: list[KindFigures]) -> None:
    print("\n| kill | rounds | writes attempted | acknowledged | lost | refused | errored "
          "| landed unanswered | conflicts retried | time (s) | fstest + fsrefs |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in all_figures:
        print(f"| {row.kind} | {row.rounds} | {row.attempted} | {row.acknowledged} "
              f"| {row.lost} | {row.refused} | {row.errored} | {row.landed_unanswered} "
              f"| {row.retried} "
              f"| {row.seconds:.0f} | {row.storage} |")
    total = KindFigures("all", storage="")
    for row in all_figures:
        for name in ("rounds", "attempted", "acknowledged", "lost", "refused", "errored",
                     "landed_unanswered", "retried", "seconds"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    print(f"| **all** | {total.rounds} | {total.attempted} | {total.acknowledged} "
          f"| **{total.lost}** | {total.refused} | {total.errored} "
          f"| {total.landed_unanswered} | {total.retried} "
          f"| {total.seconds:.0f} | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file-rounds", type=int, default=20)
    parser.add_argument("--zeo-serve-rounds", type=int, default=10)
    parser.add_argument("--zeo-server-rounds", type=int, default=10)
    parser.add_argument("--writers", type=int, default=8)
    options = parser.parse_args()
    plan = [("serve over FileStorage", options.file_rounds),
            ("serve over ZEO", options.zeo_serve_rounds),
            ("ZEO server", options.zeo_server_rounds)]
    base = Path(tempfile.mkdtemp(prefix="objweb-crash-"))
    try:
        results = [run_kind(kind, base / f"home-{number}", rounds, options.writers)
                   for number, (kind, rounds) in enumerate(plan) if rounds > 0]
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print_table(results)


if __name__ == "__main__":
    main()
