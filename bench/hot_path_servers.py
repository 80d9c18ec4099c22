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
servers; objweb depends on neither. A script, not a test: it asserts nothing.
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
from objweb.server import Server
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
                            env=dict(os.environ, PYTHONPATH=str(home)))


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


def wrk(port: int, path: str, seconds: int) -> float:
    output = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", f"http://127.0.0.1:{port}{path}"],
                            capture_output=True, text=True, check=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


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
                            figures["bare"] = wrk(port, "/", options.seconds)
                        else:
                            for name, path in PATHS:
                                figures[name] = wrk(port, path, options.seconds)
                    finally:
                        stop(process)
                bare = figures["bare"]
                print(f"{server:9} {round_number:5d} {bare:8.0f} " + " ".join(
                    f"{figures[name]:8.0f} {figures[name] / bare:5.2f}" for name, _ in PATHS),
                    flush=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
