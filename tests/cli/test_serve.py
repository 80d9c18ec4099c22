"""`objweb serve`: first start, credentials, requests, a clean stop, and its refusals."""

import http.client
import json
import os
import re
import signal
import socket
import urllib.error
import urllib.request

import pytest

from support import ADMIN, ADMIN_PASSWORD, ServeProcess, basic_auth, free_port, run_objweb, \
    wait_for

from cli_support import one_sentence, stored_site

pytestmark = pytest.mark.server

FIRST_USER = re.compile(r"Log in as 'admin' with the password '([^']+)'")


def fetch(url: str, *, headers=None, method="GET", data=None):
    """Return (status, headers, body) of a request; errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def json_of(url: str, auth: dict):
    return fetch(url, headers=dict(auth, Accept="application/json"))


@pytest.fixture
def served(home):
    """`objweb serve` over a fresh instance home; stopped by process id afterwards."""
    process = ServeProcess(home, extra=["--threads", "2", "--host", "127.0.0.1"])
    yield process
    process.stop()


def test_the_first_start_makes_an_admin_and_prints_the_password(served, home):
    password = FIRST_USER.search(served.stdout).group(1)
    assert len(password) >= 16
    assert f"Serving http://127.0.0.1:{served.port}/" in served.stdout
    status, _, body = json_of(served.url + "/acl_users", basic_auth("admin", password))
    assert status == 200 and json.loads(body)["@type"] == "UserFolder"
    assert json_of(served.url + "/acl_users", basic_auth("admin", "wrong"))[0] == 401
    assert password not in served.stderr
    assert (home / "var" / "Data.fs").exists() and (home / "var" / "blobs").is_dir()


def test_serving_and_logging_requests(served):
    status, headers, body = fetch(served.url + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert fetch(served.url + "/nope")[0] == 404
    wait_for(lambda: '"GET /nope HTTP/1.1" 404' in served.stderr)
    line = next(line for line in served.stderr.splitlines() if '"GET / HTTP/1.1" 200' in line)
    assert re.search(r'127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] '
                     r'"GET / HTTP/1\.1" 200 \d+$', line)


def test_a_restart_keeps_the_site_and_never_changes_a_user(home):
    first = ServeProcess(home)
    try:
        password = FIRST_USER.search(first.stdout).group(1)
        auth = basic_auth("admin", password)
        status, _, _ = fetch(first.url + "/hello", method="PUT", data=b"<p>kept</p>",
                             headers=dict(auth, **{"Content-Type": "text/html"}))
        assert status == 201
    finally:
        assert first.stop() == 0
    second = ServeProcess(home)
    try:
        assert "Created the first user" not in second.stdout
        assert b"<p>kept</p>" in fetch(second.url + "/hello")[2]
        assert json_of(second.url + "/acl_users", auth)[0] == 200
    finally:
        assert second.stop() == 0
    with stored_site(home) as root:
        assert root["acl_users"].user_names() == ["admin"]
        assert root["hello"].body == "<p>kept</p>"


def test_a_site_with_a_user_gets_no_admin(home):
    assert run_objweb(["adduser", "owner", "owner-Passw0rd", "--role", "Manager"], home).returncode == 0
    served = ServeProcess(home)
    try:
        assert "Created the first user" not in served.stdout
        assert json_of(served.url + "/acl_users", basic_auth("owner", "owner-Passw0rd"))[0] == 200
    finally:
        served.stop()
    with stored_site(home) as root:
        assert root["acl_users"].user_names() == ["owner"]


def test_sigterm_lets_a_download_in_flight_finish(served, home):
    password = FIRST_USER.search(served.stdout).group(1)
    payload = os.urandom(24 * 1024 * 1024)
    status, _, _ = fetch(served.url + "/big.bin", method="PUT", data=payload, headers=dict(
        basic_auth("admin", password), **{"Content-Type": "application/octet-stream"}))
    assert status == 201
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    connection.request("GET", "/big.bin")
    response = connection.getresponse()
    first = response.read(64 * 1024)
    os.kill(served.pid, signal.SIGTERM)
    wait_for(lambda: "finishing requests in flight" in served.stderr)
    rest = response.read()
    connection.close()
    assert response.status == 200 and first + rest == payload
    assert served.popen.wait(30) == 0
    assert "Stopped." in served.stdout
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", served.port), timeout=2)


def test_sigterm_lets_an_upload_in_flight_finish_and_closes_the_database(served, home):
    password = FIRST_USER.search(served.stdout).group(1)
    payload = os.urandom(4 * 1024 * 1024)
    auth = basic_auth("admin", password)["Authorization"]
    upload = socket.create_connection(("127.0.0.1", served.port), timeout=30)
    upload.sendall((f"PUT /upload.bin HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\n"
                    f"Content-Type: application/octet-stream\r\n"
                    f"Content-Length: {len(payload)}\r\n\r\n").encode())
    upload.sendall(payload[:1024 * 1024])
    os.kill(served.pid, signal.SIGTERM)
    wait_for(lambda: "finishing requests in flight" in served.stderr)
    upload.sendall(payload[1024 * 1024:])
    answer = upload.makefile("rb").readline()
    upload.close()
    assert answer.startswith(b"HTTP/1.1 201")
    assert served.popen.wait(30) == 0
    data_fs, index = home / "var" / "Data.fs", home / "var" / "Data.fs.index"
    # FileStorage writes its index when it is closed cleanly.
    assert index.exists() and index.stat().st_mtime >= data_fs.stat().st_mtime
    with stored_site(home) as root:
        assert root["upload.bin"].data == payload


def test_a_port_in_use_is_one_sentence(home):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_objweb(["serve", "--port", str(port)], home)
    assert result.returncode == 1
    assert one_sentence(result.stderr, "serve") == (
        f"port {port} on 127.0.0.1 is in use; choose another with --port")
    assert "Created the first user" not in result.stdout
    with stored_site(home) as root:
        assert root["acl_users"].user_names() == []


def test_a_host_that_does_not_resolve_is_one_sentence(home):
    result = run_objweb(["serve", "--host", "no-such-host.invalid", "--port",
                         str(free_port())], home)
    assert result.returncode == 1
    assert "cannot listen on no-such-host.invalid" in one_sentence(result.stderr, "serve")


@pytest.mark.parametrize("option, value", [
    ("--port", "99999"), ("--port", "http"), ("--threads", "0"), ("--threads", "-1"),
])
def test_bad_options_are_refused_before_anything_starts(home, option, value):
    result = run_objweb(["serve", option, value], home)
    assert result.returncode == 2
    assert f"argument {option}: " in result.stderr and "Traceback" not in result.stderr
    assert not (home / "var" / "Data.fs").exists()


def test_a_database_in_use_names_objweb_zeo(served, home):
    result = run_objweb(["adduser", "second", "second-Passw0rd"], home)
    assert result.returncode == 1
    message = one_sentence(result.stderr, "adduser")
    assert f"is in use by process {served.pid} (objweb serve)" in message
    assert "objweb zeo" in message


@pytest.mark.parametrize("uri, fragment", [
    ("nonsense", "not a database URI"),
    ("gopher://x/y", "unknown database scheme 'gopher'"),
])
def test_a_bad_uri_is_one_sentence(home, uri, fragment):
    result = run_objweb(["serve", "--db", uri, "--port", str(free_port())], home)
    assert result.returncode == 1
    assert fragment in one_sentence(result.stderr, "serve")


def test_a_file_that_is_no_database_is_one_sentence(home):
    (home / "junk.fs").write_bytes(b"this is not a FileStorage")
    result = run_objweb(["adduser", "x", "x-Passw0rd-long", "--db", "file://junk.fs"], home)
    assert result.returncode == 1
    assert "is damaged or not a database file" in one_sentence(result.stderr, "adduser")


def test_serve_with_admin_credentials_from_adduser(home):
    assert run_objweb(["adduser", ADMIN, ADMIN_PASSWORD], home).returncode == 0
    served = ServeProcess(home)
    try:
        assert json_of(served.url + "/", basic_auth(ADMIN, ADMIN_PASSWORD))[0] == 200
    finally:
        served.stop()
