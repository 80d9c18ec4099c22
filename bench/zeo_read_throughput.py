"""Read throughput: one `objweb serve` process against two sharing a ZEO server.

    .venv/bin/python bench/zeo_read_throughput.py [--seconds 5] [--clients 8]

In one run, on this machine, it measures anonymous GETs of one page:

1. a bare WSGI application ("hello") under the same waitress server objweb
   uses: the ceiling of the server and of the load generator;
2. one `objweb serve` over `var/Data.fs` (FileStorage, in process);
3. one `objweb serve` over ZEO (`objweb zeo` in its own process);
4. two `objweb serve` processes over the same ZEO server, the load spread
   evenly over both (as nginx would);
5. the same with `server_sync=0` (no round trip to ZEO at each request, so
   another process's edit may be seen a moment late);

and prints requests per second and the ratio of (4) to (2) and to (3). The
load comes from client processes with keep-alive connections, on the same
machine, so they take their share of its cores: on a machine with few cores
the ratio says how far more processes go *here*, not in general.

This is a script, not a test: it asserts nothing and takes about a minute.
"""

import argparse
import http.client
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from servers import free_port

VENV_BIN = Path(sys.executable).parent
OBJWEB = str(VENV_BIN / "objweb")
PAGE = "/bench/page"
BARE_APP = """
import sys
from objweb.instance.server import Server
def app(environ, start_response):
    body = b"<html><body><h1>Hello</h1></body></html>"
    start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))])
    return [body]
server = Server(app, host="127.0.0.1", port=int(sys.argv[1]), threads=4)
server.install_signal_handlers()
print("Serving", flush=True)
server.run()
"""
SEED = """
from objweb import Folder, Page
app.add("bench", Folder(title="Bench"))
app["bench"].add("page", Page(title="A page", body="<p>" + "Some text. " * 200 + "</p>"))
transaction.commit()
"""


def wait_until_answers(port: int, path: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"a server exited early with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"nothing answered on port {port}")


def start(args: list[str], home: Path) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=home, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def client(ports: list[int], path: str, seconds: float, threads: int, results) -> None:
    """One load process: `threads` keep-alive clients, each on one of `ports` in turn."""
    import threading
    counts = [0] * threads
    stop_at = time.monotonic() + seconds

    def run(index: int) -> None:
        port = ports[(index + os.getpid()) % len(ports)]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                counts[index] += 1
    workers = [threading.Thread(target=run, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put(sum(counts))


def measure(ports: list[int], path: str, seconds: float, clients: int) -> float:
    """Return the requests per second answered 200 across `ports`."""
    results = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=client,
                                         args=(ports, path, seconds, clients // 2, results))
                 for _ in range(2)]
    for process in processes:
        process.start()
    total = sum(results.get() for _ in processes)
    for process in processes:
        process.join()
    return total / seconds


def run(seconds: float, clients: int) -> dict:
    home = Path(tempfile.mkdtemp(prefix="objweb-bench-"))
    figures = {}
    try:
        subprocess.run([OBJWEB, "adduser", "admin", "bench-pw"], cwd=home, check=True,
                       capture_output=True)
        script = home / "seed.py"
        script.write_text(SEED)
        subprocess.run([OBJWEB, "run", str(script)], cwd=home, check=True,
                       capture_output=True)

        port = free_port()
        bare = start([sys.executable, "-c", BARE_APP, str(port)], home)
        try:
            wait_until_answers(port, "/", bare)
            figures["bare WSGI app, 1 process"] = measure([port], "/", seconds, clients)
        finally:
            stop([bare])

        port = free_port()
        single = start([OBJWEB, "serve", "--port", str(port)], home)
        try:
            wait_until_answers(port, PAGE, single)
            figures["objweb, 1 process, FileStorage"] = measure([port], PAGE, seconds, clients)
        finally:
            stop([single])

        zeo_port = free_port()
        zeo = start([OBJWEB, "zeo", "--port", str(zeo_port)], home)
        servers = []
        try:
            time.sleep(1)  # a script, not a test: runzeo prints nothing to wait on
            for _ in range(2):
                port = free_port()
                servers.append((port, start([OBJWEB, "serve", "--port", str(port), "--db",
                                             f"zeo://127.0.0.1:{zeo_port}"], home)))
            for port, process in servers:
                wait_until_answers(port, PAGE, process)
            ports = [port for port, _ in servers]
            figures["objweb, 1 process over ZEO"] = measure(ports[:1], PAGE, seconds, clients)
            figures["objweb, 2 processes over ZEO"] = measure(ports, PAGE, seconds, clients)
            stop([process for _, process in servers])
            servers = []
            for _ in range(2):
                port = free_port()
                servers.append((port, start([OBJWEB, "serve", "--port", str(port), "--db",
                                             f"zeo://127.0.0.1:{zeo_port}?server_sync=0"],
                                            home)))
            for port, process in servers:
                wait_until_answers(port, PAGE, process)
            figures["objweb, 2 over ZEO, server_sync=0"] = measure(
                [port for port, _ in servers], PAGE, seconds, clients)
        finally:
            stop([process for _, process in servers] + [zeo])
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    options = parser.parse_args()
    figures = run(options.seconds, options.clients)
    print(f"GET {PAGE}, {options.clients} keep-alive clients, {options.seconds:g} s each, "
          f"{os.cpu_count()} cores")
    for name, rate in figures.items():
        print(f"  {name:34} {rate:8.0f} requests/s")
    two = figures["objweb, 2 processes over ZEO"]
    print(f"  two ZEO processes / one FileStorage process: "
          f"{two / figures['objweb, 1 process, FileStorage']:.2f}")
    print(f"  two ZEO processes / one ZEO process:         "
          f"{two / figures['objweb, 1 process over ZEO']:.2f}")


if __name__ == "__main__":
    main()
