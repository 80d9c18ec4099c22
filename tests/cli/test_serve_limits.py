"""The limits of a real `objweb serve`: headers, URLs, silent clients, and uploads in flat memory.

Memory is measured, not timed: the server's resident size (`/proc/PID/status`)
must not grow with the size of an upload, which streams to temporary files
and a blob.
"""

import http.client
import json
import socket
import textwrap
import threading
from pathlib import Path

import pytest

from support import ADMIN, ADMIN_AUTH, ADMIN_PASSWORD, OBJWEB, Process, ServeProcess, \
    free_port, run_objweb, wait_for

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("serve_limits")]

MB = 1 << 20
# How much the server may grow while it takes an upload of UPLOAD_SIZE bytes.
UPLOAD_SIZE = 128 * MB
MEMORY_BOUND = 24 * MB


def write_config(home: Path, text: str) -> None:
    (home / "objweb.ini").write_text(textwrap.dedent(text))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One `objweb serve` with small limits for this module, whose admin is ADMIN."""
    home = tmp_path_factory.mktemp("limits")
    write_config(home, """
        [server]
        threads = 2
        channel_timeout = 2     ; seconds: a silent client is dropped soon
        max_request_header_size = 4KB
        [settings]
        max_url_length = 200
        """)
    assert run_objweb(["adduser", ADMIN, ADMIN_PASSWORD], home).returncode == 0
    process = ServeProcess(home)
    try:
        warm_up(process)
        yield process
    finally:
        process.stop()


def request(port: int, method: str, path: str, *, body=None, headers=None, timeout=60):
    """Return (status, headers, body) of one request on a fresh connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_headers_over_the_limit_are_431(served):
    status, headers, body = request(served.port, "GET", "/", headers={"X-Big": "x" * 5000})
    assert status == 431
    assert headers["Content-Type"].startswith("text/plain")
    assert b"Request Header Fields Too Large" in body and b"exceeds max_header of 4096" in body
    assert request(served.port, "GET", "/@@health")[0] == 200


def test_a_request_line_over_the_header_limit_is_431_too(served):
    status, _, body = request(served.port, "GET", "/" + "a" * 5000)
    assert status == 431 and b"exceeds max_header of 4096" in body


def test_a_url_over_the_url_limit_is_414(served):
    status, headers, body = request(served.port, "GET", "/" + "a" * 300,
                                    headers={"Accept": "application/json"})
    assert status == 414
    assert json.loads(body) == {"error": "the URL is 301 characters long; the limit is 200"}
    status, headers, body = request(served.port, "GET", "/" + "a" * 300,
                                    headers={"Accept": "text/html"})
    assert status == 414 and headers["Content-Type"].startswith("text/html")
    assert b"the URL is 301 characters long" in body


def test_a_silent_client_is_dropped_while_others_are_served(served):
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as stalled:
        stalled.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")   # and never the blank line
        assert request(served.port, "GET", "/@@health")[0] == 200
        # The server closes the connection (an empty read) after channel_timeout.
        assert stalled.recv(1024) == b""
    assert request(served.port, "GET", "/@@health")[0] == 200


# -- uploads in flat memory -------------------------------------------------------------

def resident_kib(pid: int, field: str = "VmRSS") -> int:
    """Return a memory figure of process `pid` in KiB: its resident size, or its peak (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for process {pid}")


class MemoryWatch:
    """Samples a process's resident size in a thread until stopped."""

    def __init__(self, pid: int):
        self.pid = pid
        self.baseline = resident_kib(pid)
        self.peak = self.baseline
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while not self._done.wait(0.02):
            self.peak = max(self.peak, resident_kib(self.pid))

    def stop(self) -> int:
        """Stop sampling; return how far above the baseline the process went, in bytes."""
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, resident_kib(self.pid))
        return (self.peak - self.baseline) * 1024


def generated(size: int, prefix: bytes = b"", suffix: bytes = b""):
    """Yield `size` bytes of data between `prefix` and `suffix`, a megabyte at a time."""
    yield prefix
    chunk = bytes(range(256)) * (MB // 256)
    for _ in range(size // MB):
        yield chunk
    yield suffix


def warm_up(served) -> None:
    """Upload once, so that what any first upload loads (modules, caches) is in the baseline."""
    status, _, _ = request(served.port, "PUT", "/warm", body=b"w" * (2 * MB),
                           headers=dict(ADMIN_AUTH, **{"Content-Type": "application/pdf"}))
    assert status == 201


def prove_credentials(served) -> None:
    """Send the admin's credentials once, so that the upload does not hash them again.

    Proven credentials are trusted for a minute; hashing them (argon2) takes
    64 MB for a moment, which is no part of what an upload costs.
    """
    assert request(served.port, "GET", "/@@health", headers=ADMIN_AUTH)[0] == 200


def stored_size(served, path: str) -> int:
    status, _, body = request(served.port, "GET", path,
                              headers=dict(ADMIN_AUTH, Accept="application/json"))
    assert status == 200, body
    return json.loads(body)["size"]


def test_a_put_upload_keeps_the_server_memory_flat(served):
    prove_credentials(served)
    watch = MemoryWatch(served.pid)
    status, _, body = request(served.port, "PUT", "/big.bin", body=generated(UPLOAD_SIZE),
                              headers=dict(ADMIN_AUTH, **{
                                  "Content-Type": "application/octet-stream",
                                  "Content-Length": str(UPLOAD_SIZE)}))
    growth = watch.stop()
    assert status == 201, body
    assert growth < MEMORY_BOUND, f"the server grew by {growth // MB} MB"
    assert stored_size(served, "/big.bin") == UPLOAD_SIZE


def test_a_multipart_upload_keeps_the_server_memory_flat(served):
    status, _, page = request(served.port, "GET", "/manage_contents", headers=ADMIN_AUTH)
    token = page.decode().split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    boundary = "objweb-upload-boundary"
    fields = {"command": "add", "name": "form.bin", "title": "Form", "csrf_token": token}
    prefix = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n" for name, value in fields.items())
    prefix += (f'--{boundary}\r\nContent-Disposition: form-data; name="data"; '
               f'filename="form.bin"\r\nContent-Type: application/octet-stream\r\n\r\n')
    suffix = f"\r\n--{boundary}--\r\n".encode()
    # Smaller: the standard library's multipart parser reads line by line, slowly.
    size = UPLOAD_SIZE // 4
    length = len(prefix.encode()) + size + len(suffix)
    prove_credentials(served)
    watch = MemoryWatch(served.pid)
    status, _, body = request(served.port, "POST", "/manage_add?type=File",
                              body=generated(size, prefix.encode(), suffix),
                              headers=dict(ADMIN_AUTH, **{
                                  "Content-Type": f"multipart/form-data; boundary={boundary}",
                                  "Content-Length": str(length)}))
    growth = watch.stop()
    assert status == 303, body
    assert growth < MEMORY_BOUND, f"the server grew by {growth // MB} MB"
    assert stored_size(served, "/form.bin") == size


# -- another WSGI server ----------------------------------------------------------------

def test_gunicorn_gets_the_application_s_body_limit_chunked_or_not(home):
    gunicorn = str(Path(OBJWEB).with_name("gunicorn"))
    port = free_port()
    write_config(home, """
        [settings]
        max_request_body = 1KB
        [app:main]
        use = egg:objweb
        """)
    assert run_objweb(["adduser", ADMIN, ADMIN_PASSWORD], home).returncode == 0
    server = Process([gunicorn, "--paste", "objweb.ini", "--bind", f"127.0.0.1:{port}",
                      "--workers", "1", "--threads", "2"], home, name="gunicorn")
    try:
        def health():
            assert server.popen.poll() is None, server.stderr
            try:
                return request(port, "GET", "/@@health", timeout=2)[0]
            except OSError:
                return None
        assert wait_for(health, timeout=60, message=server.stderr) == 200
        headers = dict(ADMIN_AUTH, **{"Content-Type": "application/pdf"})
        status, _, body = request(port, "PUT", "/big", body=b"x" * 4096, headers=headers)
        assert status == 413
        assert json.loads(body) == {"error": "the request body is over 1024 bytes"}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("PUT", "/big", body=iter([b"x" * 1000] * 5), headers=headers,
                           encode_chunked=True)
        response = connection.getresponse()
        assert response.status == 413
        assert json.loads(response.read()) == {"error": "the request body is over 1024 bytes"}
        connection.close()
        status, _, _ = request(port, "PUT", "/small", body=b"x" * 1000, headers=headers)
        assert status == 201
    finally:
        server.stop()
