"""Real servers for the operations suites: `objweb zeo`, `objweb serve` with a
test-only content type, and a PostgreSQL server made for the test run.

Everything is started on free ports in temporary directories and stopped by
process id when the test (or module) is done.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import objweb
from support import ADMIN, ADMIN_AUTH, ADMIN_PASSWORD, OBJWEB, Process, free_port, wait_for

HERE = Path(__file__).resolve().parent


def port_answers(port: int, host: str = "127.0.0.1") -> bool:
    """Return whether something accepts TCP connections on `host:port`."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


class ZeoProcess(Process):
    """`objweb zeo` on a free port (or a given one), ready once it accepts connections."""

    def __init__(self, home, *, port: int | None = None, name: str = "zeo"):
        self.port = port or free_port()
        self.uri = f"zeo://127.0.0.1:{self.port}"
        super().__init__([OBJWEB, "zeo", "--port", str(self.port)], home, name=name)
        wait_for(self._ready, timeout=60, message=f"objweb zeo did not start:\n{self.stderr}")

    def _ready(self) -> bool:
        if self.popen.poll() is not None:
            raise AssertionError(f"objweb zeo exited with {self.popen.returncode}:\n"
                                 f"{self.stdout}\n{self.stderr}")
        return port_answers(self.port)


def start_fixture_serve(home, db: str, name: str) -> Process:
    """Start `objweb serve --db db` with the counter fixture loaded; return it once it answers."""
    port = free_port()
    # The application's rooms, then the fixture's, as an extension's include would add them.
    code = ("import sys; sys.path.insert(0, %r); import counter_fixture, objweb.app; "
            "configure = objweb.app.configure; "
            "objweb.app.configure = lambda registry: counter_fixture.include(configure(registry)); "
            "from objweb.cli import main; sys.exit(main(sys.argv[1:]))" % str(HERE))
    process = Process([sys.executable, "-c", code, "serve", "--port", str(port), "--db", db,
                       "--threads", "4"], home, name=name)
    process.port = port
    process.url = f"http://127.0.0.1:{port}"

    def answers():
        if process.popen.poll() is not None:
            raise AssertionError(f"{name} exited:\n{process.stdout}\n{process.stderr}")
        try:
            urllib.request.urlopen(process.url + "/@@health", timeout=2)
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True
    wait_for(answers, timeout=60, message=f"{name} did not start:\n{process.stderr}")
    return process


def request(method: str, url: str, *, body=None, headers=None, auth=True, timeout=30):
    """Send one HTTP request and return (status, headers, body bytes)."""
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    all_headers = dict(ADMIN_AUTH) if auth else {}
    if isinstance(body, (dict, list)):
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    outgoing = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(outgoing, timeout=timeout) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(url: str) -> dict:
    """Return the JSON of the object at `url`, asserting a 200."""
    status, _, body = request("GET", url, headers={"Accept": "application/json"})
    assert status == 200, body
    return json.loads(body)


# -- PostgreSQL -------------------------------------------------------------------

def postgres_bin() -> Path:
    """Return the directory of Debian's PostgreSQL server programs."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    assert found, "PostgreSQL is not installed (make test installs Debian's postgresql)"
    return found[-1].parent


class PostgresServer:
    """A PostgreSQL server in a temporary directory, on a free port, for one test module.

    As root, the server runs as the `postgres` user (PostgreSQL refuses root).
    """

    def __init__(self):
        self.bin = postgres_bin()
        # Not under pytest's temporary directory: that one is private to root.
        self.base = Path(tempfile.mkdtemp(prefix="objweb-pg-"))
        self.data = self.base / "pgdata"
        self.sockets = self.base / "sockets"
        self.port = free_port()
        self.user = "objweb"
        self.password = "pg-secret"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.process = None

    def uri(self, dbname: str, **options) -> str:
        """Return the `postgresql://` URI of database `dbname` on this server."""
        query = "&".join(f"{key}={value}" for key, value in options.items())
        return (f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{dbname}"
                + (f"?{query}" if query else ""))

    def _run(self, args: list[str], **kw) -> subprocess.CompletedProcess:
        return subprocess.run(self.as_user + args, capture_output=True, text=True, check=True,
                              timeout=120, **kw)

    def start(self) -> "PostgresServer":
        """Make the cluster if needed, start the server and wait until it answers."""
        self.sockets.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.base, "postgres")
            shutil.chown(self.sockets, "postgres")
        if not self.data.exists():
            password_file = self.base / "pwfile"
            password_file.write_text(self.password + "\n")
            if self.as_user:
                shutil.chown(password_file, "postgres")
            self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user,
                       "--pwfile", str(password_file), "-A", "scram-sha-256",
                       "--auth-local", "trust", "-E", "UTF8", "--no-sync"])
        log = open(self.base / "postgres.log", "ab")
        self.process = subprocess.Popen(
            self.as_user + [str(self.bin / "postgres"), "-D", str(self.data),
                            "-p", str(self.port), "-h", "127.0.0.1", "-k", str(self.sockets),
                            "-c", "fsync=off", "-c", "synchronous_commit=off",
                            "-c", "full_page_writes=off", "-c", "max_connections=60"],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        wait_for(self._ready, timeout=60, message="PostgreSQL did not start:\n"
                 + (self.base / "postgres.log").read_text(errors="replace"))
        return self

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError("PostgreSQL exited:\n"
                                 + (self.base / "postgres.log").read_text(errors="replace"))
        result = subprocess.run([str(self.bin / "pg_isready"), "-h", "127.0.0.1",
                                 "-p", str(self.port), "-U", self.user],
                                capture_output=True, timeout=10)
        return result.returncode == 0

    def remove(self) -> None:
        """Stop the server and delete its files."""
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def create_database(self, name: str) -> str:
        """Create database `name` and return its URI."""
        self._run([str(self.bin / "createdb"), "-h", str(self.sockets), "-p", str(self.port),
                   "-U", self.user, name])
        return self.uri(name)

    def stop(self) -> None:
        """Stop the server with PostgreSQL's fast shutdown and wait for it."""
        if self.process is None or self.process.poll() is not None:
            return
        self._run([str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast",
                   "-w", "-t", "60"])
        self.process.wait(30)


def make_site(home, admin: str = ADMIN, password: str = ADMIN_PASSWORD) -> str:
    """Create the default FileStorage site of `home` with a Manager; return its URI."""
    uri = f"file://{home}/var/Data.fs?blobstorage_dir={home}/var/blobs"
    db = objweb.open_db(uri)
    try:
        objweb.bootstrap(db, admin=admin, password=password)
    finally:
        db.close()
    return uri
