"""Starting the servers under test as real processes, and stopping them by process id.

`objweb serve` runs in an instance home with an `objweb.ini` (logs to files there, as
a deployed site keeps them); the bare application (bench/bare_app.py) runs under the
very same waitress server class, `objweb.instance.server.Server`, with the same thread count.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
OBJWEB = str(BIN / "objweb")
BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
# The bench's installed extension (its package and distribution metadata).
EXTENSION = Path(__file__).resolve().parent / "extension"
THREADS = 4

INI = """[server]
host = 127.0.0.1
threads = {threads}

[database]
uri = {uri}
cache_size = {cache_size}

[logging]
event_log = var/log/event.log
access_log = var/log/access.log
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_ini(home: Path, *, threads: int = THREADS, uri: str | None = None,
              cache_size: int = 10000) -> None:
    """Write the instance's objweb.ini: the database, the threads, logs to files."""
    (home / "var" / "log").mkdir(parents=True, exist_ok=True)
    uri = uri or f"file://{home}/var/Data.fs?blobstorage_dir={home}/var/blobs"
    (home / "objweb.ini").write_text(INI.format(threads=threads, uri=uri,
                                                cache_size=cache_size))


class Process:
    """One server process, started now; `wait_ready` waits for its first 200."""

    def __init__(self, args: list[str], cwd: Path, port: int | None, *, log: Path,
                 env: dict | None = None):
        self.port = port
        self.args = args
        self.log = log
        self.started = time.monotonic()
        with open(log, "ab") as output:
            self.popen = subprocess.Popen(args, cwd=cwd, stdin=subprocess.DEVNULL, env=env,
                                          stdout=output, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def wait_ready(self, path: str = "/", timeout: float = 120.0) -> float:
        """Wait until `path` answers 200; return the seconds since the process started."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{' '.join(self.args)} exited with {self.popen.returncode};"
                                   f" see {self.log}")
            if self.port is None or _answers(self.port, path):
                return time.monotonic() - self.started
            time.sleep(0.02)
        raise RuntimeError(f"nothing answered on port {self.port} within {timeout:.0f} s")

    def rss_mb(self) -> float:
        """The resident memory of the process, from /proc/<pid>/status, in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not stopped within 30 s."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(30)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


def _answers(port: int, path: str) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status == 200
    except OSError:
        return False


def objweb_serve(home: Path, port: int, *, db: str | None = None,
                 threads: int = THREADS) -> Process:
    """`objweb serve` of `home`, with the bench's extension installed (bench/extension)."""
    args = [OBJWEB, "serve", "--port", str(port), "--threads", str(threads)]
    if db:
        args += ["--db", db]
    paths = [str(EXTENSION), *filter(None, [os.environ.get("PYTHONPATH")])]
    return Process(args, home, port, log=home / "var" / "log" / f"serve-{port}.out",
                   env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)})


def objweb_zeo(home: Path, port: int) -> Process:
    process = Process([OBJWEB, "zeo", "--port", str(port)], home, None,
                      log=home / "var" / "log" / f"zeo-{port}.out")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # runzeo answers no HTTP: wait for its port
        if process.popen.poll() is not None:
            raise RuntimeError(f"objweb zeo exited with {process.popen.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"objweb zeo did not listen on {port}")


def bare_app(scratch: Path, port: int, threads: int = THREADS) -> Process:
    return Process([sys.executable, str(BARE_APP), str(port), str(threads)], scratch, port,
                   log=scratch / f"bare-{port}.out")


def stop_all(processes) -> None:
    for process in processes:
        process.stop()
