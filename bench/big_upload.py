"""A 1 GB upload into `objweb serve`, with the server's memory sampled all the while.

    .venv/bin/python bench/big_upload.py [--size-mb 1024] [--form-size-mb 1024]

In one run, on this machine, it:

1. makes a temporary instance home (FileStorage with blobs) and a Manager;
2. starts `objweb serve` there, and warms it up with a 2 MB upload, so that
   what any first upload loads is part of the baseline;
3. PUTs `--size-mb` megabytes as a File (`PUT /big.bin`), generated a
   megabyte at a time as it is sent: the client never holds the body;
4. POSTs `--form-size-mb` megabytes the way the ZMI's add form does
   (`multipart/form-data` to `manage_add?type=File`), generated the same way;

and for each upload prints the server's resident size before (VmRSS), its
highest sample during the upload (every 20 ms), its peak as the kernel
counts it (VmHWM, which no sample can miss), the growth, the time and the
rate, and checks the size of the stored File. `--form-size-mb 0` skips the
form. The exit status is 1 if an upload fails or its File has the wrong size.

This is a script, not a test: nothing here runs under pytest.
"""

import argparse
import http.client
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
OBJWEB = str(VENV_BIN / "objweb")
ADMIN, PASSWORD = "admin", "bench-password"
MB = 1 << 20
BOUNDARY = "objweb-bench-boundary"


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def auth() -> dict:
    import base64
    token = base64.b64encode(f"{ADMIN}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def memory_kib(pid: int, field: str) -> int:
    """Return VmRSS (resident now) or VmHWM (resident at most, so far) of `pid`, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for process {pid}")


def generated(size: int, prefix: bytes = b"", suffix: bytes = b""):
    """Yield `size` bytes between `prefix` and `suffix`, one megabyte at a time."""
    yield prefix
    chunk = bytes(range(256)) * (MB // 256)
    for _ in range(size // MB):
        yield chunk
    yield suffix


def send(port: int, method: str, path: str, *, body, headers: dict) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def measured(pid: int, upload) -> dict:
    """Run `upload()` while sampling the server's memory; return the figures."""
    baseline = memory_kib(pid, "VmRSS")
    peak_before = memory_kib(pid, "VmHWM")
    highest = [baseline]
    done = threading.Event()

    def sample():
        while not done.wait(0.02):
            highest[0] = max(highest[0], memory_kib(pid, "VmRSS"))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    status, body = upload()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return {"status": status, "body": body, "seconds": seconds, "baseline": baseline,
            "sampled_peak": highest[0], "hwm_before": peak_before,
            "hwm_after": memory_kib(pid, "VmHWM")}


def stored_size(port: int, path: str) -> int:
    status, body = send(port, "GET", path, body=None,
                        headers=dict(auth(), Accept="application/json"))
    return json.loads(body)["size"] if status == 200 else -1


def put_upload(port: int, size: int):
    headers = dict(auth(), **{"Content-Type": "application/octet-stream",
                              "Content-Length": str(size)})
    return lambda: send(port, "PUT", "/big.bin", body=generated(size), headers=headers)


def form_upload(port: int, size: int):
    status, page = send(port, "GET", "/manage_contents", body=None, headers=auth())
    token = page.decode().split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    fields = {"command": "add", "name": "form.bin", "title": "Form", "csrf_token": token}
    prefix = "".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n" for name, value in fields.items())
    prefix += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="data"; '
               f'filename="form.bin"\r\nContent-Type: application/octet-stream\r\n\r\n')
    prefix = prefix.encode()
    suffix = f"\r\n--{BOUNDARY}--\r\n".encode()
    headers = dict(auth(), **{"Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                              "Content-Length": str(len(prefix) + size + len(suffix))})
    return lambda: send(port, "POST", "/manage_add?type=File",
                        body=generated(size, prefix, suffix), headers=headers)


def report(name: str, size: int, figures: dict, stored: int, expected_status: int) -> bool:
    mb = size / MB
    growth = figures["sampled_peak"] - figures["baseline"]
    print(f"\n{name}: {mb:.0f} MB")
    print(f"  answer                 {figures['status']}")
    print(f"  RSS before             {figures['baseline'] / 1024:8.1f} MB")
    print(f"  RSS peak (sampled)     {figures['sampled_peak'] / 1024:8.1f} MB")
    print(f"  growth during upload   {growth / 1024:8.1f} MB")
    print(f"  VmHWM before / after   {figures['hwm_before'] / 1024:8.1f} / "
          f"{figures['hwm_after'] / 1024:.1f} MB")
    print(f"  time                   {figures['seconds']:8.1f} s")
    print(f"  rate                   {mb / figures['seconds']:8.1f} MB/s")
    print(f"  stored File size       {stored} bytes ({'right' if stored == size else 'WRONG'})")
    return figures["status"] == expected_status and stored == size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--form-size-mb", type=int, default=1024)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="objweb-upload-"))
    port = free_port()
    server = None
    try:
        subprocess.run([OBJWEB, "adduser", ADMIN, PASSWORD], cwd=home, check=True,
                       capture_output=True)
        # The default body limit is 1 GiB; leave room for the form's own bytes.
        limit = max(args.size_mb, args.form_size_mb) * MB + MB
        (home / "objweb.ini").write_text(f"[settings]\nmax_request_body = {limit}\n"
                                         "[logging]\naccess_log = off\n")
        server = subprocess.Popen([OBJWEB, "serve", "--port", str(port), "--threads", "2"],
                                  cwd=home, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  text=True)
        for line in server.stdout:
            if line.startswith("Serving"):
                break
        warm = send(port, "PUT", "/warm", body=b"w" * (2 * MB),
                    headers=dict(auth(), **{"Content-Type": "application/pdf"}))
        assert warm[0] == 201, warm
        print(f"objweb serve, pid {server.pid}, Python {sys.version.split()[0]}")
        ok = True
        size = args.size_mb * MB
        figures = measured(server.pid, put_upload(port, size))
        ok &= report("PUT /big.bin", size, figures, stored_size(port, "/big.bin"), 201)
        if args.form_size_mb:
            size = args.form_size_mb * MB
            figures = measured(server.pid, form_upload(port, size))
            ok &= report("POST manage_add (multipart/form-data)", size, figures,
                         stored_size(port, "/form.bin"), 303)
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(60)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
