"""Files through the real server: `objweb serve` (waitress, wsgi.file_wrapper) on a free port."""

import http.client
import os
import re

import pytest

from support import ServeProcess, basic_auth

pytestmark = pytest.mark.server

SIZE = 6 * 1024 * 1024 + 17


def peak_memory(pid: int) -> int:
    """Return the most resident memory, in bytes, process `pid` has had (Linux's VmHWM)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM line")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`objweb serve` over a fresh instance, with its admin's credentials."""
    process = ServeProcess(tmp_path_factory.mktemp("served"))
    password = re.search(r"with the password '([^']+)'", process.stdout).group(1)
    process.auth = basic_auth("admin", password)
    yield process
    process.stop()


def request(served, method, path, *, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


@pytest.fixture(scope="module")
def payload(served):
    data = os.urandom(SIZE)
    response, _ = request(served, "PUT", "/data.bin", body=data, headers=dict(
        served.auth, **{"Content-Type": "application/octet-stream"}))
    assert response.status == 201
    return data


def test_a_whole_file_through_the_server(served, payload):
    response, data = request(served, "GET", "/data.bin")
    assert response.status == 200 and data == payload
    assert response.getheader("Content-Length") == str(SIZE)
    assert response.getheader("Accept-Ranges") == "bytes"


def test_ranges_through_the_server(served, payload):
    response, data = request(served, "GET", "/data.bin", headers={"Range": "bytes=1000-2999"})
    assert response.status == 206 and data == payload[1000:3000]
    assert response.getheader("Content-Range") == f"bytes 1000-2999/{SIZE}"
    response, data = request(served, "GET", "/data.bin", headers={"Range": "bytes=-10"})
    assert response.status == 206 and data == payload[-10:]
    response, _ = request(served, "GET", "/data.bin", headers={"Range": f"bytes={SIZE}-"})
    assert response.status == 416


def test_conditions_and_head_through_the_server(served, payload):
    first, _ = request(served, "GET", "/data.bin")
    etag, modified = first.getheader("ETag"), first.getheader("Last-Modified")
    assert request(served, "GET", "/data.bin", headers={"If-None-Match": etag})[0].status == 304
    assert request(served, "GET", "/data.bin",
                   headers={"If-Modified-Since": modified})[0].status == 304
    ranged, data = request(served, "GET", "/data.bin",
                           headers={"Range": "bytes=0-3", "If-Range": etag})
    assert ranged.status == 206 and data == payload[:4]
    head, data = request(served, "HEAD", "/data.bin")
    assert head.status == 200 and data == b"" and head.getheader("Content-Length") == str(SIZE)


def test_an_upload_is_streamed_not_held_in_memory(served, payload):
    before = peak_memory(served.pid)
    big = os.urandom(64 * 1024 * 1024)
    response, _ = request(served, "PUT", "/big.bin", body=big, headers=dict(
        served.auth, **{"Content-Type": "application/octet-stream"}))
    assert response.status == 201
    grown = peak_memory(served.pid) - before
    print(f"PUT of {len(big)} bytes through waitress: peak resident memory grew {grown} bytes")
    assert grown < len(big) // 4, f"serving a 64 MB upload grew the peak by {grown} bytes"
    response, data = request(served, "GET", "/big.bin", headers={"Range": "bytes=-100"})
    assert data == big[-100:]
