"""Reads through two `objweb serve` processes over ZEO, against one process.

Three set-ups serve copies of the same site at once, and are driven in turns:
one `objweb serve` on the FileStorage (in process), one `objweb serve` over ZEO,
and two `objweb serve` over the same ZEO server, each driven by its own wrk at once
(wrk knows one host) with half the connections, so the total load is the same. On a
machine with few cores the load generator and ZEO take their share of them: the ratio
says how far more processes go *here*.
"""

import dataclasses
import statistics

import servers
import sites
from loadgen import CONNECTIONS, Figures, run_many, run_wrk, total
from requests import Request

PAGE = Request("GET", "/bench/page", headers=(("Accept", "text/html"),))


@dataclasses.dataclass
class ZeoResult:
    """Per round: one process on FileStorage, one over ZEO, two over ZEO (summed)."""

    rounds: list = dataclasses.field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        """Two processes over ZEO / one process on FileStorage, per round."""
        return [two.rate / one.rate if one.rate else 0.0 for one, _, two in self.rounds]

    @property
    def median_round(self) -> tuple[Figures, Figures, Figures]:
        return self.rounds[self.ratios.index(statistics.median_low(self.ratios))]


def measure_zeo(kept, scratch, *, seconds: float, rounds: int, say=print) -> ZeoResult:
    """Serve the site three ways and drive each in turns; return the figures."""
    fs_home = sites.instance_home(kept, scratch / "zeo-filestorage")
    zeo_home = sites.instance_home(kept, scratch / "zeo-server")
    servers.write_ini(fs_home)
    servers.write_ini(zeo_home)
    started = []
    result = ZeoResult()
    try:
        zeo_port = servers.free_port()
        started.append(servers.objweb_zeo(zeo_home, zeo_port))
        uri = f"zeo://127.0.0.1:{zeo_port}"
        single = servers.objweb_serve(fs_home, servers.free_port())
        clients = [servers.objweb_serve(zeo_home, servers.free_port(), db=uri) for _ in range(2)]
        started += [single] + clients
        for process in [single] + clients:
            process.wait_ready(PAGE.path)
            run_wrk(process.port, PAGE, scratch, 1)  # warm the object caches
        for number in range(rounds):
            one = run_wrk(single.port, PAGE, scratch, seconds)
            one_zeo = run_wrk(clients[0].port, PAGE, scratch, seconds)
            two = total(run_many([client.port for client in clients], PAGE, scratch, seconds,
                                 connections=CONNECTIONS // 2))
            result.rounds.append((one, one_zeo, two))
            say(f"  zeo_reads round {number + 1}: one process {one.rate:7.0f}/s  one over ZEO "
                f"{one_zeo.rate:7.0f}/s  two over ZEO {two.rate:7.0f}/s  "
                f"ratio {result.ratios[-1]:.2f}")
    finally:
        servers.stop_all(reversed(started))
    return result
