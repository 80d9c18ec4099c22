"""Real servers for the WebDAV suites: `objweb serve` (and `objweb zeo`) in a temporary home,
and one HTTP request at a time sent to them."""

import socket
import urllib.error
import urllib.request

from support import OBJWEB, Process, ServeProcess, basic_auth, free_port, run_objweb, wait_for

USER, PASSWORD = "davuser", "dav-password"
AUTH = basic_auth(USER, PASSWORD)
LOCK_BODY = (b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>'
             b"<D:locktype><D:write/></D:locktype><D:owner>tests</D:owner></D:lockinfo>")


def make_home(home, *, db: str | None = None) -> None:
    """Create the site of `home` (or of `db`) with the Manager `USER`."""
    args = ["adduser", USER, PASSWORD, "--role", "Manager"] + (["--db", db] if db else [])
    result = run_objweb(args, home)
    assert result.returncode == 0, result.stderr


def serve(home, *, db: str | None = None, name: str = "serve") -> ServeProcess:
    """Start `objweb serve` over the site of `home` (or `db`); return it once it answers."""
    return ServeProcess(home, db=db, name=name)


class ZeoServer(Process):
    """`objweb zeo` on a free port, ready once it accepts connections."""

    def __init__(self, home, *, port: int | None = None):
        self.port = port or free_port()
        self.uri = f"zeo://127.0.0.1:{self.port}"
        super().__init__([OBJWEB, "zeo", "--port", str(self.port)], home, name="zeo")
        wait_for(self._ready, timeout=60, message=f"objweb zeo did not start:\n{self.stderr}")

    def _ready(self) -> bool:
        assert self.popen.poll() is None, f"objweb zeo exited:\n{self.stderr}"
        with socket.socket() as probe:
            probe.settimeout(1)
            return probe.connect_ex(("127.0.0.1", self.port)) == 0


def send(method: str, url: str, *, body: bytes = b"", headers=None) -> tuple[int, dict, bytes]:
    """Send one request as `USER`; return (status, headers, body)."""
    request = urllib.request.Request(url, data=body or None, method=method,
                                     headers={**AUTH, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def take_lock(url: str) -> str:
    """Lock the resource at `url` exclusively; return the lock token."""
    status, headers, body = send("LOCK", url, body=LOCK_BODY, headers={"Depth": "0"})
    assert status in (200, 201), body
    return headers["Lock-Token"].strip("<>")
