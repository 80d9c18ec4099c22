"""What publishing costs: objweb against a bare WSGI application, under the same waitress.

    .venv/bin/python bench/publishing.py [--seconds 3] [--clients 4]

In one run, on this machine, it builds a site in a FileStorage (a page, a
folder of 100,000 pages, a tree 50 folders deep, a file of 8 MB), serves it
with `objweb serve`, and serves the very same answers (status, headers that
matter, bytes) from a bare WSGI application under objweb's own waitress
server (`objweb.instance.server.Server`). For each request below it prints requests
per second for both and their ratio, objweb / bare: how much of the
server's ceiling objweb keeps.

- a page:                     GET /bench/page
- a big folder, first batch:  GET /big?b_start=0&b_size=50      (JSON)
- a big folder, last batch:   GET /big?b_start=99950&b_size=50  (JSON)
- a deep tree:                GET /d/d/.../d/page               (50 folders)
- a file, whole:              GET /bench/file                   (8 MB)
- a file, by range:           GET /bench/file, Range: 64 kB in the middle

Requests are anonymous, over keep-alive connections, from client processes
on the same machine: on a machine with few cores the clients take their
share of them, so the figures say how objweb compares with the bare server
*here*. This is a script, not a test: it asserts nothing; a run takes about
two minutes, most of it building the big folder.
"""

import argparse
import http.client
import json
import multiprocessing
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from servers import free_port

OBJWEB = str(Path(sys.executable).parent / "objweb")
FILE_SIZE = 8 * 1024 * 1024
DEPTH = 50
BIG = 100_000
DEEP_PATH = "/" + "/".join(["d"] * DEPTH) + "/page"
RANGE = f"bytes={FILE_SIZE // 2}-{FILE_SIZE // 2 + 65535}"
JSON = {"Accept": "application/json"}

SCENARIOS = [
    ("a page", "/bench/page", {}),
    ("big folder, first batch", "/big?b_start=0&b_size=50", JSON),
    ("big folder, last batch", f"/big?b_start={BIG - 50}&b_size=50", JSON),
    (f"a tree {DEPTH} deep", DEEP_PATH, {}),
    ("8 MB file, whole", "/bench/file", {}),
    ("8 MB file, 64 kB range", "/bench/file", {"Range": RANGE}),
]

SEED = f"""
import os
from objweb import File, Folder, Page
bench = app.add("bench", Folder(title="Bench"))
bench.add("page", Page(title="A page", body="<p>" + "Some text. " * 200 + "</p>"))
bench.add("file", File(title="Data", data=os.urandom({FILE_SIZE}),
                       content_type="application/octet-stream"))
folder = app
for _ in range({DEPTH}):
    folder = folder.add("d", Folder(title="Deep"))
folder.add("page", Page(title="Deep down", body="<p>Down here.</p>"))
big = app.add("big", Folder(title="Big"))
for index in range({BIG}):
    big.add(f"item-{{index:06d}}", Page(title=f"Item {{index}}"))
transaction.commit()
"""

# Serves recorded answers: {[path, range]: [status, content type, extra headers, body file]}.
BARE_APP = """
import json, sys
from objweb.instance.server import Server

answers = {tuple(key.split(" ", 1)): value for key, value in json.load(open(sys.argv[2])).items()}
bodies = {key: open(value[3], "rb").read() for key, value in answers.items()}

def app(environ, start_response):
    key = (environ["PATH_INFO"] + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING")
                                   else ""), environ.get("HTTP_RANGE", ""))
    status, content_type, extra, path = answers[key]
    body = bodies[key]
    start_response(status, [("Content-Type", content_type),
                            ("Content-Length", str(len(body)))] + [tuple(h) for h in extra])
    if len(body) > 1 << 20:
        return environ["wsgi.file_wrapper"](open(path, "rb"), 1 << 16)
    return [body]

server = Server(app, host="127.0.0.1", port=int(sys.argv[1]), threads=4)
server.install_signal_handlers()
server.run()
"""


def fetch(port: int, path: str, headers: dict):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def wait_until_answers(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"a server exited early with {process.returncode}")
        try:
            fetch(port, "/", {})
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered on port {port}")


def start(args: list[str], home: Path) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=home, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()


def client(port: int, path: str, headers: dict, seconds: float, threads: int, results):
    """One load process: `threads` keep-alive clients asking for `path` until time is up."""
    counts = [0] * threads
    stop_at = time.monotonic() + seconds

    def load(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop_at:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status in (200, 206):
                counts[index] += 1
    workers = [threading.Thread(target=load, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put(sum(counts))


def measure(port: int, path: str, headers: dict, seconds: float, clients: int) -> float:
    """Return the requests per second `port` answered with 200 or 206."""
    results = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=client, args=(
        port, path, headers, seconds, max(1, clients // 2), results)) for _ in range(2)]
    for process in processes:
        process.start()
    total = sum(results.get() for _ in processes)
    for process in processes:
        process.join()
    return total / seconds


def record_answers(port: int, home: Path) -> Path:
    """Fetch each scenario from objweb once; write what the bare app must answer."""
    answers = {}
    for index, (_, path, headers) in enumerate(SCENARIOS):
        response, body = fetch(port, path, headers)
        if response.status not in (200, 206):
            raise SystemExit(f"objweb answered {response.status} to {path}")
        body_file = home / f"answer-{index}"
        body_file.write_bytes(body)
        extra = [[name, response.getheader(name)] for name in ("Content-Range",)
                 if response.getheader(name)]
        answers[f"{path} {headers.get('Range', '')}"] = [
            f"{response.status} {response.reason}", response.getheader("Content-Type"),
            extra, str(body_file)]
    recorded = home / "answers.json"
    recorded.write_text(json.dumps(answers))
    return recorded


def run(seconds: float, clients: int) -> list[tuple[str, float, float]]:
    home = Path(tempfile.mkdtemp(prefix="objweb-bench-"))
    try:
        (home / "seed.py").write_text(SEED)
        subprocess.run([OBJWEB, "run", "seed.py"], cwd=home, check=True, capture_output=True)
        port = free_port()
        objweb = start([OBJWEB, "serve", "--port", str(port), "--threads", "4"], home)
        try:
            wait_until_answers(port, objweb)
            recorded = record_answers(port, home)
            for _, path, headers in SCENARIOS:  # warm the caches, as a running site has them
                fetch(port, path, headers)
            objweb_figures = [measure(port, path, headers, seconds, clients)
                              for _, path, headers in SCENARIOS]
        finally:
            stop(objweb)
        port = free_port()
        bare = start([sys.executable, "-c", BARE_APP, str(port), str(recorded)], home)
        try:
            wait_until_answers(port, bare)
            bare_figures = [measure(port, path, headers, seconds, clients)
                            for _, path, headers in SCENARIOS]
        finally:
            stop(bare)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return [(name, bare_rate, objweb_rate) for (name, _, _), bare_rate, objweb_rate
            in zip(SCENARIOS, bare_figures, objweb_figures)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per request and server")
    parser.add_argument("--clients", type=int, default=4, help="keep-alive connections")
    options = parser.parse_args()
    rows = run(options.seconds, options.clients)
    print(f"{options.clients} keep-alive clients, {options.seconds:g} s per request and server\n")
    print(f"{'request':<26} {'bare req/s':>11} {'objweb req/s':>13} {'objweb/bare':>12}")
    for name, bare_rate, objweb_rate in rows:
        ratio = objweb_rate / bare_rate if bare_rate else float("nan")
        print(f"{name:<26} {bare_rate:>11.0f} {objweb_rate:>13.0f} {ratio:>12.2f}")


if __name__ == "__main__":
    main()
