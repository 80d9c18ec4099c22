"""objweb and a bare WSGI app under waitress, gunicorn (gthread) and cheroot, measured with wrk.

    .venv/bin/python bench/hot_path_servers.py [--seconds 5] [--rounds 2]
                                               [--servers waitress,gunicorn,cheroot]

It builds the site of `bench/hot_path.py` in a temporary FileStorage, then for
each server runs a bare hello-world app and objweb (4 threads each, one
process: one ZODB connection per thread) and asks wrk (2 threads, 8
connections) for the page at depth 1 and 10, the 100 KB file and the bare
app's hello, in alternating rounds, since the machine is shared: compare the
ratios objweb / bare within a round. It needs `wrk` (apt-get install wrk),
and gunicorn and cheroot installed in the virtual environment for those
servers; objweb depends on neither. Under each line of requests per second
it prints the server process's CPU µs per request (from /proc), which a
busy machine disturbs far less than throughput. A script, not a test: it
asserts nothing.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from hot_path import DEPTH, build  # noqa: E402

BIN = Path(sys.executable).parent
DEEP = "/" + "/".join(["d"] * (DEPTH - 1)) + "/page"
PATHS = [("page1", "/page"), ("page10", DEEP), ("file", "/file")]

APPS = """
import objweb

def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "13")])
    return [b"Hello, world!"]

def site():
    import os
    db = objweb.open_db(os.environ["OBJWEB_BENCH_DB"], pool_size=4)
    return objweb.make_app(db)
"""

WAITRESS = """
import sys
from objweb.instance.server import Server
import bench_apps
app = bench_apps.hello if sys.argv[2] == "bare" else bench_apps.site()
server = Server(app, host="127.0.0.1", port=int(sys.argv[1]), threads=4)
server.install_signal_handlers()
server.run()
"""

CHEROOT = """
import signal, sys
from cheroot import wsgi
import bench_apps
app = bench_apps.hello if sys.argv[2] == "bare" else bench_apps.site()
server = wsgi.Server(("127.0.0.1", int(sys.argv[1])), app, numthreads=4)
signal.signal(signal.SIGTERM, lambda *_: server.stop())
server.start()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(server: str, kind: str, port: int, home: Path) -> subprocess.Popen:
    if server == "gunicorn":
        target = "bench_apps:hello" if kind == "bare" else "bench_apps:site()"
        args = [str(BIN / "gunicorn"), "--workers", "1", "--threads", "4", "-k", "gthread",
                "--bind", f"127.0.0.1:{port}", "--log-level", "warning", target]
    else:
        args = [sys.executable, f"run_{server}.py", str(port), kind]
    return subprocess.Popen(args, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, PYTHONPATH=os.pathsep.join(
                                filter(None, [str(home), os.environ.get("PYTHONPATH")]))))


def wait_until_answers(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"a server exited early with {process.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/page", timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user and system) process `pid` and its live children used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    used = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    # gunicorn serves from a worker process, a child of the one started.
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        used += cpu_seconds(int(child))
    return used


def wrk(process: subprocess.Popen, port: int, path: str, seconds: int) -> tuple[float, float]:
    """Return requests per second and the server's CPU µs per request, under wrk."""
    before = cpu_seconds(process.pid)
    output = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", f"http://127.0.0.1:{port}{path}"],
                            capture_output=True, text=True, check=True).stdout
    used = cpu_seconds(process.pid) - before
    count = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rate, used / max(count, 1) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--servers", default="waitress,gunicorn,cheroot")
    options = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="objweb-servers-"))
    try:
        build(str(home), big=False).close()
        (home / "bench_apps.py").write_text(APPS)
        (home / "run_waitress.py").write_text(WAITRESS)
        (home / "run_cheroot.py").write_text(CHEROOT)
        os.environ["OBJWEB_BENCH_DB"] = f"file://{home}/Data.fs?blobstorage_dir={home}/blobs"
        print(f"{'server':9} {'round':>5} {'bare':>8} " + " ".join(
            f"{name:>8} {'ratio':>5}" for name, _ in PATHS))
        for round_number in range(1, options.rounds + 1):
            for server in options.servers.split(","):
                figures = {}
                for kind in ("bare", "objweb"):
                    port = free_port()
                    process = start(server, kind, port, home)
                    try:
                        wait_until_answers(port, process)
                        if kind == "bare":
                            figures["bare"] = wrk(process, port, "/", options.seconds)
                        else:
                            for name, path in PATHS:
                                figures[name] = wrk(process, port, path, options.seconds)
                    finally:
                        stop(process)
                bare, bare_cpu = figures["bare"]
                print(f"{server:9} {round_number:5d} {bare:8.0f} " + " ".join(
                    f"{figures[name][0]:8.0f} {figures[name][0] / bare:5.2f}"
                    for name, _ in PATHS), flush=True)
                print(f"{'  cpu µs':9} {'':5} {bare_cpu:8.0f} " + " ".join(
                    f"{figures[name][1]:8.0f} {'':5}" for name, _ in PATHS), flush=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
