"""Helpers the test suites share: credentials, free ports, and real processes.

Processes started here are stopped by process id (SIGTERM, then SIGKILL)
when the test ends, whatever happened in it.
"""

import base64
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ADMIN = "admin"
# Long and uncommon enough for the password policy, which `objweb adduser` applies.
ADMIN_PASSWORD = "s3cret-admin-pw"
OBJWEB = str(Path(sys.executable).with_name("objweb"))


def basic_auth(login: str, password: str) -> dict:
    """Return the header that sends `login` and `password` by HTTP Basic."""
    token = base64.b64encode(f"{login}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


ADMIN_AUTH = basic_auth(ADMIN, ADMIN_PASSWORD)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float = 30.0, interval: float = 0.05, message: str = ""):
    """Return the first true value of `condition()`, polling until `timeout`.

    Raises `AssertionError` with `message` when time runs out.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message or f"timed out waiting for {condition}")
        time.sleep(interval)


class Process:
    """A child process whose output goes to files the test can read."""

    def __init__(self, args: list[str], cwd, *, env: dict | None = None, name: str = "proc"):
        self.cwd = Path(cwd)
        self.stdout_path = self.cwd / f"{name}.stdout"
        self.stderr_path = self.cwd / f"{name}.stderr"
        full_env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.popen = subprocess.Popen(args, cwd=cwd, env=full_env, stdout=out, stderr=err,
                                          stdin=subprocess.DEVNULL)

    @property
    def pid(self) -> int:
        """The process id."""
        return self.popen.pid

    @property
    def stdout(self) -> str:
        """What the process printed so far."""
        return self.stdout_path.read_text(errors="replace")

    @property
    def stderr(self) -> str:
        """What the process wrote to stderr so far."""
        return self.stderr_path.read_text(errors="replace")

    def stop(self, timeout: float = 20.0) -> int:
        """Stop the process with SIGTERM (SIGKILL after `timeout`) and return its status."""
        if self.popen.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.popen.wait()
        return self.popen.returncode


class ServeProcess(Process):
    """`objweb serve` on a free port, ready once it answers HTTP."""

    def __init__(self, home, *, db: str | None = None, extra: list[str] = (),
                 env: dict | None = None, name: str = "serve"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [OBJWEB, "serve", "--port", str(self.port)]
        if db:
            args += ["--db", db]
        super().__init__(args + list(extra), home, env=env, name=name)
        wait_for(self._answers, timeout=60, message=f"objweb serve did not start:\n{self.stderr}")

    def _answers(self) -> bool:
        if self.popen.poll() is not None:
            raise AssertionError(f"objweb serve exited with {self.popen.returncode}:\n"
                                 f"{self.stdout}\n{self.stderr}")
        try:
            urllib.request.urlopen(self.url + "/@@health", timeout=2)
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True


def run_objweb(args: list[str], cwd, *, input: str | None = None, timeout: float = 120,
               env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `objweb` command and return its completed process."""
    return subprocess.run([OBJWEB] + list(args), cwd=cwd, input=input, capture_output=True,
                          text=True, timeout=timeout,
                          env=dict(os.environ, PYTHONUNBUFFERED="1", **(env or {})))


def bootstrapped_storage():
    """Return an in-memory storage holding a bootstrapped site whose Manager is `admin`.

    Made once per session: hashing the admin's password takes a tenth of a second.
    """
    import objweb
    import ZODB
    from ZODB.DemoStorage import DemoStorage
    storage = DemoStorage(name="site-template")
    objweb.bootstrap(ZODB.DB(storage), admin=ADMIN, password=ADMIN_PASSWORD)
    return storage


def layered_db(base):
    """Return a fresh database whose changes go to memory over the read-only `base`.

    A real ZODB (a DemoStorage, with blobs) that starts as a copy of `base` at no cost.
    """
    import ZODB
    from ZODB.DemoStorage import DemoStorage
    return ZODB.DB(DemoStorage(name="memory", base=base, close_base_on_close=False))


# -- browser sessions in WebTest ------------------------------------------------------

# What a browser sends when it navigates to a page.
BROWSER_ACCEPT = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def csrf_token_in(html: str) -> str:
    """Return the value of the first `csrf_token` hidden field in a page."""
    import re
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert found, "the page has no csrf_token field"
    return found.group(1)


def basic_csrf_token(app, auth: dict) -> str:
    """Return the CSRF token a Basic-auth user's forms carry (read from a management page)."""
    return csrf_token_in(app.get("/manage_contents", headers=auth, status=200).text)


def browser_login(app, login: str, password: str, came_from: str | None = None) -> str:
    """Log a WebTest app in through `/@@login` as a browser does; return the session's CSRF token.

    The app keeps the session cookie, so its next requests are the user's.
    """
    query = {"came_from": came_from} if came_from else {}
    form = app.get("/@@login", query, headers=BROWSER_ACCEPT, status=200).forms[0]
    form["login"] = login
    form["password"] = password
    form.submit(headers=BROWSER_ACCEPT, status=303)
    return csrf_token_in(app.get("/@@logout", headers=BROWSER_ACCEPT, status=200).text)


def installed_type_names(container) -> list[str]:
    """The type names the installed extensions add that may go in `container`."""
    from objweb.extensions import installed
    return [cls.type_name for extension in installed() for cls in extension.config.types
            if cls.can_be_added_to(container)]


def installed_permissions() -> list[str]:
    """The permissions the installed extensions add, in the order they are loaded."""
    from objweb.extensions import installed
    return [name for extension in installed() for name in extension.config.permissions]


def tampered(token: str) -> str:
    """Return `token` with its first character changed: never the token itself."""
    return ("y" if token[0] == "x" else "x") + token[1:]
