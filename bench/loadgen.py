"""Driving a server with wrk, and reading back what it measured.

Each run writes a small Lua script beside the scratch files: it sets the method,
body and headers of the request, counts the answers by status in every wrk thread
(wrk's own summary only tells "Non-2xx or 3xx"), and at the end prints one line of
figures that `run_wrk` parses: requests, seconds, socket errors, the 50th and 99th
percentiles of latency, and the count of each status.
"""

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

from requests import Request

CONNECTIONS, THREADS, WRITERS = 8, 2, 4

SCRIPT = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("seed", #threads)
end
function init(args)
  statuses = {}
  math.randomseed(os.time() * 100 + seed)
end
wrk.method = %(method)s
wrk.body = %(body)s
%(headers)s
%(request)s
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local counted = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counted[status] = (counted[status] or 0) + count
    end
  end
  local errors = summary.errors
  io.write(string.format("FIGURES requests=%%d micros=%%d p50=%%d p99=%%d errors=%%d",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout))
  for status, count in pairs(counted) do io.write(string.format(" s%%d=%%d", status, count)) end
  io.write("\\n")
end
"""

# For a request whose path is a Lua format string ("/m/f%03d/item-%06d"): each
# request fills it with random numbers, one below each of `spread`, so the load walks
# many objects instead of one.
SPREAD = """
function request()
  return wrk.format(nil, string.format(%(path)s, %(numbers)s))
end
"""


@dataclasses.dataclass
class Figures:
    """What one wrk run measured."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    statuses: dict

    @property
    def rate(self) -> float:
        """Requests per second answered 2xx or 3xx (the others count for nothing)."""
        good = sum(count for status, count in self.statuses.items() if status < 400)
        return good / self.seconds if self.seconds else 0.0

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    @property
    def client_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if 400 <= status < 500)


def lua_string(value: str | bytes) -> str:
    """A Lua long-bracket literal holding `value` exactly (no escapes are read in it)."""
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    # A long bracket drops a newline that opens it: give it one to drop.
    return f"[{'=' * level}[\n{text}]{'=' * level}]"


def lua_script(request: Request, spread: tuple = ()) -> str:
    headers = "\n".join(f"wrk.headers[ {lua_string(name)} ] = {lua_string(value)}"
                        for name, value in request.headers)
    numbers = ", ".join(f"math.random(0, {limit - 1})" for limit in spread)
    chosen = SPREAD % {"path": lua_string(request.path), "numbers": numbers} if spread else ""
    return SCRIPT % {"method": lua_string(request.method), "body": lua_string(request.body)
                     if request.body else "nil", "headers": headers, "request": chosen}


def parse(output: str) -> Figures:
    line = next((line for line in output.splitlines() if line.startswith("FIGURES ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures:\n{output}")
    fields = dict(item.split("=") for item in line.split()[1:])
    statuses = {int(key[1:]): int(value) for key, value in fields.items() if key.startswith("s")}
    return Figures(requests=int(fields["requests"]), seconds=int(fields["micros"]) / 1e6,
                   p50_ms=int(fields["p50"]) / 1000, p99_ms=int(fields["p99"]) / 1000,
                   errors=int(fields["errors"]), statuses=statuses)


def command(port: int, request: Request, scratch: Path, seconds: float,
            connections: int, spread: tuple = ()) -> list[str]:
    """The wrk command line for `request` against `port`, its Lua script written."""
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `apt-get install -y wrk` (make bench installs it)")
    script = scratch / f"wrk-{port}-{abs(hash((request, spread)))}.lua"
    script.write_text(lua_script(request, spread), encoding="latin-1")  # bodies byte for byte
    path = request.path if not spread else "/"
    return ["wrk", f"-t{min(THREADS, connections)}", f"-c{connections}",
            f"-d{max(1, round(seconds))}s", "--timeout", "30s", "-s", str(script),
            f"http://127.0.0.1:{port}{path}"]


def run_wrk(port: int, request: Request, scratch: Path, seconds: float,
            connections: int | None = None, spread: tuple = ()) -> Figures:
    """Drive `port` with `request` for `seconds`; return the figures wrk measured."""
    return run_many([port], request, scratch, seconds, connections, spread)[0]


def run_many(ports: list[int], request: Request, scratch: Path, seconds: float,
             connections: int | None = None, spread: tuple = ()) -> list[Figures]:
    """Drive every port at once, one wrk each (wrk knows one host); return each one's figures."""
    if connections is None:
        connections = WRITERS if request.writes else CONNECTIONS
    processes = [subprocess.Popen(command(port, request, scratch, seconds, connections, spread),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for port in ports]
    return [parse(process.communicate(timeout=seconds + 120)[0]) for process in processes]


def total(figures: list[Figures]) -> Figures:
    """The figures of several wrk runs made at once, as one: rates add, latencies the worst."""
    statuses: dict = {}
    for one in figures:
        for status, count in one.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    return Figures(requests=sum(one.requests for one in figures),
                   seconds=max(one.seconds for one in figures),
                   p50_ms=max(one.p50_ms for one in figures),
                   p99_ms=max(one.p99_ms for one in figures),
                   errors=sum(one.errors for one in figures), statuses=statuses)
