"""The WebDAV door under load: big listings, memory, a Template round trip, a 1 GB PUT.

    .venv/bin/python bench/webdav.py            # prints the table
    .venv/bin/python bench/webdav.py --write    # and updates bench/RESULTS.md (make bench)

The targets were set before the first measurement, from the issue and from what
a desktop client needs:

- PROPFIND `Depth: 1` of a folder of 10,000 Pages, warm: p50 under 500 ms;
- one PROPFIND `Depth: 1` of a folder of 100,000 Pages on a fresh server: the
  server's resident memory grows less than 50 MB;
- a Template saved (PUT) and read back (GET): p50 of the pair under 50 ms;
- a 1 GB PUT, then its GET: the server's resident memory grows less than 20 MB.

The site (a folder of 10,000 Pages and one of 100,000) is built once with
objweb's Python API and kept in bench/.cache/webdav-*; each run serves a copy with
`objweb serve` (4 threads, cache_size 10,000), as a deployed site runs. Memory is
VmRSS from /proc/<pid>/status; the 100,000-item listing is the first big request
the server answers, after one small authenticated request (the login's password
hash has its own peak, which is not the listing's).
"""

import argparse
import http.client
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import objweb
from objweb import Folder, Page

import servers
import sites
from report import RESULTS, machine

HERE = Path(__file__).resolve().parent
HEADING = "## WebDAV"
VERSION = "v1"
AUTH = "Basic " + __import__("base64").b64encode(
    f"{sites.ADMIN}:{sites.PASSWORD}".encode()).decode()
PROPFIND = (b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/>'
            b"<D:getcontentlength/><D:getlastmodified/><D:getetag/><D:displayname/>"
            b"</D:prop></D:propfind>")
TEMPLATE = '<h1 tal:content="context/title">title</h1>\n<p>round trip {number}</p>\n'
TARGETS = {"listing_ms": 500, "listing_rss_mb": 50, "template_ms": 50, "put_rss_mb": 20}


def build(home: Path) -> None:
    """Build the folders of 10,000 and 100,000 Pages."""
    db = objweb.open_db(sites.uri(home))
    try:
        objweb.bootstrap(db, admin=sites.ADMIN, password=sites.PASSWORD)
        for name, count in (("big10k", 10_000), ("big100k", 100_000)):
            with objweb.site(db) as root:
                root.add(name, Folder(title=name))
            for first in range(0, count, 10_000):
                with objweb.site(db) as root:
                    folder = root[name]
                    for number in range(first, min(count, first + 10_000)):
                        folder.add(f"item-{number:06d}", Page(title=f"Item {number}",
                                                              body="<p>x</p>"))
    finally:
        db.close()


def send(port: int, method: str, path: str, *, body=b"", headers=None, length=None):
    """Send one request; return (status, seconds, body length)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    all_headers = {"Authorization": AUTH, **(headers or {})}
    if length is not None:
        all_headers["Content-Length"] = str(length)
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=all_headers)
    answer = connection.getresponse()
    size = 0
    while chunk := answer.read(1 << 16):
        size += len(chunk)
    elapsed = time.perf_counter() - started
    connection.close()
    return answer.status, elapsed, size


def listing(port: int, folder: str):
    status, seconds, size = send(port, "PROPFIND", f"/@@dav/{folder}/", body=PROPFIND,
                                 headers={"Depth": "1", "Content-Type": "application/xml"})
    assert status == 207, status
    return seconds, size


def zeros(megabytes: int):
    block = bytes(1 << 20)
    for _ in range(megabytes):
        yield block


class PeakWatch:
    """Samples a process's RSS every 50 ms in a thread; `peak` is the highest seen."""

    def __init__(self, process):
        self.process, self.peak, self.running = process, process.rss_mb(), True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self):
        while self.running:
            self.peak = max(self.peak, self.process.rss_mb())
            time.sleep(0.05)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        return self.peak


def measure(put_mb: int, rounds: int, say=print) -> dict:
    kept = sites.cached("webdav", VERSION, build, say=say)
    with tempfile.TemporaryDirectory(prefix="objweb-webdav-bench-") as scratch:
        home = sites.instance_home(kept, Path(scratch) / "home")
        servers.write_ini(home)
        port = servers.free_port()
        server = servers.objweb_serve(home, port)
        try:
            server.wait_ready("/@@health")
            return measure_served(server, port, put_mb, rounds, say)
        finally:
            server.stop()


def measure_served(server, port: int, put_mb: int, rounds: int, say) -> dict:
    figures = {}
    assert send(port, "PROPFIND", "/@@dav/", headers={"Depth": "0"})[0] == 207
    before = server.rss_mb()
    seconds, size = listing(port, "big100k")
    figures.update(listing100k_s=seconds, listing100k_bytes=size,
                   listing_rss_before=before, listing_rss_after=server.rss_mb())
    say(f"100,000 items: {seconds:.1f} s, RSS {before:.0f} -> {server.rss_mb():.0f} MB")
    figures["listing10k_first_ms"] = listing(port, "big10k")[0] * 1000
    warm = [listing(port, "big10k")[0] * 1000 for _ in range(rounds)]
    figures.update(listing10k_p50_ms=statistics.median(warm), listing10k_runs=len(warm))
    say(f"10,000 items: first {figures['listing10k_first_ms']:.0f} ms, "
        f"warm p50 {figures['listing10k_p50_ms']:.0f} ms")
    pairs = []
    for number in range(max(rounds, 20)):
        status, put_s, _ = send(port, "PUT", "/@@dav/round-trip.pt",
                                body=TEMPLATE.format(number=number).encode())
        assert status in (201, 204), status
        status, get_s, _ = send(port, "GET", "/@@dav/round-trip.pt")
        assert status == 200, status
        pairs.append((put_s + get_s) * 1000)
    figures["template_p50_ms"] = statistics.median(pairs)
    say(f"Template PUT + GET: p50 {figures['template_p50_ms']:.1f} ms")
    figures.update(measure_big_put(server, port, put_mb))
    return figures


def measure_big_put(server, port: int, megabytes: int) -> dict:
    before = server.rss_mb()
    watch = PeakWatch(server)
    status, put_s, _ = send(port, "PUT", "/@@dav/big.bin", body=zeros(megabytes),
                            headers={"Content-Type": "application/octet-stream"},
                            length=megabytes << 20)
    assert status == 201, status
    status, get_s, size = send(port, "GET", "/@@dav/big.bin")
    assert status == 200 and size == megabytes << 20, (status, size)
    peak = watch.stop()
    return {"put_mb": megabytes, "put_s": put_s, "get_s": get_s, "put_rss_before": before,
            "put_rss_peak": peak}


def section(figures: dict, where: str) -> str:
    growth = figures["listing_rss_after"] - figures["listing_rss_before"]
    put_growth = figures["put_rss_peak"] - figures["put_rss_before"]
    rows = [
        ("PROPFIND Depth 1, 10,000 Pages, warm p50",
         f"{figures['listing10k_p50_ms']:.0f} ms (first, cold: "
         f"{figures['listing10k_first_ms']:.0f} ms; {figures['listing10k_runs']} runs)",
         f"< {TARGETS['listing_ms']} ms", figures["listing10k_p50_ms"] < TARGETS["listing_ms"]),
        ("PROPFIND Depth 1, 100,000 Pages, RSS growth",
         f"{growth:+.0f} MB ({figures['listing_rss_before']:.0f} to "
         f"{figures['listing_rss_after']:.0f} MB; {figures['listing100k_s']:.1f} s, "
         f"{figures['listing100k_bytes'] / 1e6:.0f} MB of XML)",
         f"< {TARGETS['listing_rss_mb']} MB", growth < TARGETS["listing_rss_mb"]),
        ("Template PUT + GET, p50", f"{figures['template_p50_ms']:.1f} ms",
         f"< {TARGETS['template_ms']} ms", figures["template_p50_ms"] < TARGETS["template_ms"]),
        (f"PUT of {figures['put_mb']} MB then its GET, RSS peak growth",
         f"{put_growth:+.0f} MB (PUT {figures['put_s']:.1f} s, GET {figures['get_s']:.1f} s)",
         f"< {TARGETS['put_rss_mb']} MB", put_growth < TARGETS["put_rss_mb"]),
    ]
    lines = [HEADING, "", f"{where}. `bench/webdav.py` against `objweb serve` (4 threads, "
             f"cache_size 10,000), Basic credentials; the PROPFIND asks for five properties. "
             f"Targets set before the first measurement (see the script).", "",
             "| measured | figure | target | met? |", "| --- | --- | --- | --- |"]
    lines += [f"| {what} | {figure} | {target} | {'met' if met else 'NOT met'} |"
              for what, figure, target, met in rows]
    return "\n".join(lines) + "\n"


def write(text: str) -> None:
    current = RESULTS.read_text()
    pattern = re.compile(re.escape(HEADING) + r"\n.*?(?=\n## |\Z)", re.DOTALL)
    if HEADING + "\n" in current:
        updated = pattern.sub(lambda _match: text.rstrip("\n"), current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(updated.rstrip("\n") + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument("--put-mb", type=int, default=1000,
                        help="size of the big PUT in MiB (1000: waitress refuses 1 GiB and more)")
    parser.add_argument("--rounds", type=int, default=20, help="warm listings to time")
    chosen = parser.parse_args()
    figures = measure(chosen.put_mb, chosen.rounds)
    load = Path("/proc/loadavg").read_text().split()[0]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = section(figures, f"{when}, {machine()}, load average {load}")
    print("\n" + text)
    if chosen.write:
        write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
