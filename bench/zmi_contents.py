"""The Contents tab of a 100,000-item folder against a small folder and a bare WSGI app.

    .venv/bin/python bench/zmi_contents.py [--items 100000] [--requests 60]

In one run, on this machine, it:

1. builds a site in a temporary instance home (FileStorage) with a folder
   `big` of 100,000 Pages and a folder `small` of 50 (one batch);
2. serves it with `objweb serve` (waitress) and, beside it, a bare WSGI
   application that answers "hello" under the same waitress server class;
3. logs in through `/@@login` as a browser does (one session, no password
   hashing per request);
4. times, on one keep-alive connection per page, GETs of the bare app,
   of `small/manage_contents`, of `big/manage_contents` (first batch, a
   batch 50,000 items in through the Next link, a name filter, and a sort
   by title, which a folder this size answers in name order);

and prints the median, 90th percentile and best time of each, the ratios of
the big folder to the small one and to the bare app, and whether the big
folder's Contents page answers in under 100 ms (median). Every page is
warmed up first, as a running site's object cache is, and the pages are
asked for in turns, so that other load on the machine weighs on each
alike. The exit status is 1 if the big folder's page is not under 100 ms.

This is a script, not a test: nothing here runs under pytest.
"""

import argparse
import http.client
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from servers import free_port
from sites import ADMIN, PASSWORD
from workloads import log_in

VENV_BIN = Path(sys.executable).parent
OBJWEB = str(VENV_BIN / "objweb")
LIMIT_MS = 100.0
SMALL = 50
BARE_APP = """
import sys
from objweb.instance.server import Server
def app(environ, start_response):
    body = b"hello"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [body]
server = Server(app, host="127.0.0.1", port=int(sys.argv[1]), threads=4)
server.install_signal_handlers()
print("Serving", flush=True)
server.run()
"""


def build_site(home: Path, items: int) -> float:
    """Create the site with the big and the small folder; return the seconds it took."""
    import objweb
    from objweb import Folder, Page
    started = time.perf_counter()
    db = objweb.open_db(f"file://{home}/var/Data.fs?blobstorage_dir={home}/var/blobs")
    try:
        objweb.bootstrap(db, admin=ADMIN, password=PASSWORD)
        with objweb.site(db, user=ADMIN) as root:
            root.add("big", Folder(title="Big"))
            small = root.add("small", Folder(title="Small"))
            for number in range(SMALL):
                small.add(f"item-{number:06d}", Page(title=f"Item {number}", body="<p>x</p>"))
        for first in range(0, items, 10000):
            with objweb.site(db, user=ADMIN) as root:
                big = root["big"]
                for number in range(first, min(items, first + 10000)):
                    big.add(f"item-{number:06d}", Page(title=f"Item {number}", body="<p>x</p>"))
    finally:
        db.close()
    return time.perf_counter() - started


def wait_until_serving(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"a server exited with status {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("a server did not start within a minute")


class Client:
    """One keep-alive connection that GETs one page and checks each answer."""

    def __init__(self, port: int, path: str, cookie: str, expect: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port)
        self.path = path
        self.headers = {"Accept": "text/html", "Cookie": cookie} if cookie else {}
        self.expect = expect.encode()

    def get(self) -> float:
        """GET the page once; return the milliseconds it took.

        The answer must be a 200 holding the expected text: a login form is no
        Contents page.
        """
        started = time.perf_counter()
        self.connection.request("GET", self.path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200 or self.expect not in body:
            raise SystemExit(f"GET {self.path} answered {response.status}: {body[:200]!r}")
        return elapsed


def summary(timings: list[float]) -> tuple[float, float, float]:
    ordered = sorted(timings)
    return (statistics.median(ordered), ordered[int(len(ordered) * 0.9) - 1], ordered[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100000)
    parser.add_argument("--requests", type=int, default=60)
    options = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="objweb-bench-"))
    processes = []
    try:
        print(f"Building a folder of {options.items:,} pages in {home} …", flush=True)
        print(f"  built in {build_site(home, options.items):.1f} s")
        objweb_port, bare_port = free_port(), free_port()
        processes.append(subprocess.Popen(
            [OBJWEB, "serve", "--port", str(objweb_port), "--threads", "4"], cwd=home,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        processes.append(subprocess.Popen(
            [sys.executable, "-c", BARE_APP, str(bare_port)], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL))
        wait_until_serving(objweb_port, processes[0])
        wait_until_serving(bare_port, processes[1])
        cookie = log_in(objweb_port)
        middle = options.items // 2
        total = f"of {options.items:,}"
        cases = [
            ("bare WSGI app, same server", bare_port, "/", "", "hello"),
            (f"small folder ({SMALL} items, one batch)", objweb_port, "/small/manage_contents", cookie,
             f"Items 1–{SMALL} of {SMALL}"),
            (f"big folder ({options.items:,} items)", objweb_port, "/big/manage_contents",
             cookie, f"Items 1–50 {total}"),
            ("big folder, Next link at item 50,000", objweb_port,
             f"/big/manage_contents?b_start={middle}&b_after=item-{middle - 1:06d}", cookie,
             f"item-{middle:06d}"),
            ("big folder, name filter", objweb_port, "/big/manage_contents?filter=99", cookie,
             "matching"),
            ("big folder, sort by title asked", objweb_port, "/big/manage_contents?sort=title",
             cookie, "shown in name order"),
        ]
        clients = [Client(port, path, session, expect)
                   for _, port, path, session, expect in cases]
        for client in clients:
            for _ in range(10):
                client.get()
        # Round robin, so that whatever else this machine does weighs on every page alike.
        timings = [[] for _ in cases]
        for _ in range(options.requests):
            for index, client in enumerate(clients):
                timings[index].append(client.get())
        results = {}
        print(f"\n{'page':44} {'median':>9} {'p90':>9} {'best':>9}   (ms, {options.requests} "
              "requests each, in turns, after 10 to warm up)")
        for (label, *_), measured in zip(cases, timings):
            median, p90, best = summary(measured)
            results[label] = median
            print(f"{label:44} {median:9.2f} {p90:9.2f} {best:9.2f}")
        big = results[cases[2][0]]
        print(f"\nbig / small folder: {big / results[cases[1][0]]:.2f}×   "
              f"big folder / bare app: {big / results[cases[0][0]]:.1f}×")
        verdict = "under" if big < LIMIT_MS else "NOT under"
        print(f"The Contents page of the big folder answers in {big:.1f} ms (median): "
              f"{verdict} {LIMIT_MS:.0f} ms.")
        return 0 if big < LIMIT_MS else 1
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
