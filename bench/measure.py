"""Measuring in turns: bare, objweb, bare, objweb, ... and Zope 5 in the middle round.

The machine is shared and noisy, so no figure is compared with one taken minutes
apart: each objweb run is paired with a run of the bare application just before it,
and the ratio is taken within the pair. The table shows the pair whose ratio is the
median. Zope 5 runs once per workload, in the middle round, right after objweb's run
in that round, and objweb/Zope 5 is taken from those two runs.
"""

import dataclasses
import statistics

from loadgen import Figures, run_wrk


@dataclasses.dataclass
class Row:
    """What one workload measured: the (bare, objweb) pairs, and Zope 5's run if any."""

    name: str
    pairs: list = dataclasses.field(default_factory=list)
    zope: Figures | None = None
    objweb_beside_zope: Figures | None = None
    zope_label: str = ""
    note: str = ""

    @property
    def ratios(self) -> list[float]:
        return [objweb.rate / bare.rate if bare.rate else 0.0 for bare, objweb in self.pairs]

    @property
    def median_pair(self) -> tuple[Figures, Figures]:
        """The pair whose objweb/bare ratio is the median (the lower middle of an even count)."""
        middle = statistics.median_low(self.ratios)
        return self.pairs[self.ratios.index(middle)]

    @property
    def bare(self) -> Figures:
        return self.median_pair[0]

    @property
    def objweb(self) -> Figures:
        return self.median_pair[1]

    @property
    def ratio(self) -> float:
        return statistics.median_low(self.ratios)

    @property
    def versus_zope(self) -> float | None:
        if self.zope is None or self.objweb_beside_zope is None or not self.zope.rate:
            return None
        return self.objweb_beside_zope.rate / self.zope.rate

    @property
    def server_errors(self) -> int:
        return sum(objweb.server_errors for _, objweb in self.pairs)


def measure_workload(name: str, request, ports: dict, scratch, *, seconds: float,
                     rounds: int, zope_request=None, say=print) -> Row:
    """Run bare and objweb in turns `rounds` times, and Zope 5 once in the middle round.

    `ports` maps "bare", "objweb" and (if Zope runs) "zope" to the servers' ports. The
    bare application gets the very same request (it answers anything with its page).
    """
    row = Row(name)
    for round_number in range(rounds):
        bare = run_wrk(ports["bare"], request, scratch, seconds)
        objweb = run_wrk(ports["objweb"], request, scratch, seconds)
        row.pairs.append((bare, objweb))
        line = (f"  {name:22} round {round_number + 1}: bare {bare.rate:7.0f}/s  "
                f"objweb {objweb.rate:7.0f}/s  ratio {row.ratios[-1]:.2f}{_trouble(objweb)}")
        if zope_request is not None and round_number == rounds // 2:
            row.zope = run_wrk(ports["zope"], zope_request, scratch, seconds)
            row.objweb_beside_zope = objweb
            line += f"  zope5 {row.zope.rate:7.0f}/s{_trouble(row.zope)}"
        say(line)
    return row


def _trouble(figures: Figures) -> str:
    """A note of answers that were not 2xx or 3xx, and of socket errors."""
    bad = {status: count for status, count in sorted(figures.statuses.items()) if status >= 400}
    parts = [f"{count}×{status}" for status, count in bad.items()]
    if figures.errors:
        parts.append(f"{figures.errors} socket errors")
    return f" ({', '.join(parts)})" if parts else ""
