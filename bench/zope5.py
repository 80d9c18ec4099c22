"""Zope 5, the server objweb is measured against, serving the same bench site.

    .venv/bin/python bench/zope5.py     # prepare, start, fetch each workload once, stop

Zope 5 comes from PyPI into a virtual environment of its own, `bench/.zope5-venv`
(git-ignored, made once): it is never a dependency of objweb, and nothing of objweb
runs inside it. `Zope5Site` makes a Zope instance (`mkwsgiinstance`), builds the
site bench/requests.py describes in it with `bench/zope5_site.py` under `zconsole
run`, and serves it with Zope's own `runwsgi` on waitress with the same thread count
as objweb, debug mode off and the access log on (objweb writes one too).

Where Zope has no equivalent, the workload is left out (JSON batches) or is Zope's
nearest request, named in `labels`: a property edit through the ZMI's
`manage_changeProperties` stands for a JSON PATCH; a BTreeFolder2 (whose Contents
screen lists the first 1,000 ids) holds the 100,000 items, as an OFS Folder keeps its
items in one tuple. Zope 5 asks the property edit for neither a CSRF token nor a
Referer: a POST with Basic auth as a Manager is enough (a foreign Referer passes too).
The searches go to a ZCatalog through a Script (Python) answering JSON, as Zope has
no search door of its own; the PROPFIND is Zope's own WebDAV, with the same body.
"""

from __future__ import annotations

import base64
import importlib.util
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import big_pages

HERE = Path(__file__).resolve().parent
VENV = HERE / ".zope5-venv"
# Zope's `wsgi` extra brings Paste, whose translogger is the access log in the pipeline
# that `mkwsgiinstance` writes. Products.PythonScripts is no longer part of Zope 5.
# ZODB 6.3 adds a `class-factory` key that Zope 5's own configuration schema defines
# too, and Zope 5.14 then refuses to start ("child name class-factory already used").
PACKAGES = ("Zope[wsgi]>=5,<6", "ZODB<6.3", "waitress", "Products.BTreeFolder2",
            "Products.ZCatalog", "Products.ExtendedPathIndex",
            "Products.PythonScripts")
ADMIN, PASSWORD = "admin", "secret"
BIG = 100_000
# Change it whenever bench/zope5_site.py builds something else: a home built by
# another version is built again.
SITE_VERSION = "v2"
DEEP = "/".join(f"d{level}" for level in range(2, 11))


def _request_class():
    # bench/requests.py shares a name with the PyPI `requests` package: take it from
    # sys.modules when the harness imported it from bench/, else load it from its file.
    known = sys.modules.get("requests")
    if known is None:
        found = importlib.util.find_spec("requests")
        if found is not None and found.origin and Path(found.origin).resolve().parent == HERE:
            import requests as known  # bench/ comes first on sys.path: it is ours
    if known is not None and Path(getattr(known, "__file__", "")).resolve().parent == HERE:
        return known.Request
    spec = importlib.util.spec_from_file_location("bench_requests", HERE / "requests.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_requests", module)
    spec.loader.exec_module(module)
    return module.Request


Request = _request_class()
AUTH = ("Authorization", "Basic " + base64.b64encode(f"{ADMIN}:{PASSWORD}".encode()).decode())
FORM = ("Content-Type", "application/x-www-form-urlencoded")
HTML = ("Accept", "text/html")  # objweb's requests say it too; Zope ignores it
SEARCH = urlencode({"text": big_pages.SEARCH_WORD, "b_size": 20})
SORTED = urlencode({"meta_type": "Page Template", "sort_on": "modified",
                    "sort_order": "descending", "b_size": 20})
PROPFIND_BODY = (b'<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>'
                 b"<D:resourcetype/><D:getcontentlength/><D:getlastmodified/><D:getetag/>"
                 b"<D:displayname/></D:prop></D:propfind>")
# What each answer holds when it is the page meant (a login form is no Contents screen).
HOLDS = {
    "page_depth1": b"Some text of the bench page",
    "page_depth10": b"Some text of the bench page",
    "file_100k": b"",
    "template_macro_loop": b"<td>99</td>",
    "script_call": b"Hello bench from Bench",
    "zmi_contents_100k": b"item-000049",
    "zmi_contents_100": b"item-000049",
    "json_patch": b"Saved changes",
    "catalog_search": b'"items_total": 10}',
    "catalog_sorted": f'"id": "item-{big_pages.newest(BIG)[0]:06d}"'.encode(),
    "webdav_propfind_100": b"/small/item-000099",
}


class Zope5Site:
    """A Zope 5 instance in `home` holding the bench site, served on demand."""

    def __init__(self, home: Path, *, threads: int = 4):
        self.home = Path(home)
        self.threads = threads
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.workloads = {
            "page_depth1": Request("GET", "/bench/page", headers=(HTML,)),
            "page_depth10": Request("GET", f"/bench/{DEEP}/page", headers=(HTML,)),
            "file_100k": Request("GET", "/bench/file"),
            "template_macro_loop": Request("GET", "/bench/rows", headers=(HTML,)),
            "script_call": Request("GET", "/bench/greet?name=bench"),
            "zmi_contents_100k": Request("GET", "/big/manage_main", headers=(HTML, AUTH)),
            "zmi_contents_100": Request("GET", "/small/manage_main", headers=(HTML, AUTH)),
            "json_patch": Request("POST", "/bench/edit/manage_changeProperties",
                                  body=b"title=Edited+again", headers=(AUTH, FORM),
                                  writes=True),
            "catalog_search": Request("GET", f"/big/search_json?{SEARCH}", headers=(HTML,)),
            "catalog_sorted": Request("GET", f"/big/search_json?{SORTED}", headers=(HTML,)),
            "webdav_propfind_100": Request("PROPFIND", "/small/", body=PROPFIND_BODY, headers=(
                AUTH, ("Depth", "1"), ("Content-Type", "application/xml"))),
        }
        self.labels = {
            "zmi_contents_100k": "Zope 5: BTreeFolder2 of 100,000, manage_main (1,000 ids)",
            "zmi_contents_100": "Zope 5: Folder of 100, manage_main",
            "json_patch": "Zope 5: property edit, POST manage_changeProperties",
            "catalog_search": "Zope 5: ZCatalog (ZCTextIndex, Okapi BM25) through a Script "
                              "(Python) answering JSON",
            "catalog_sorted": "Zope 5: ZCatalog sorted on a DateIndex (sort_limit 20) "
                              "through a Script (Python) answering JSON",
            "webdav_propfind_100": "Zope 5: its WebDAV PROPFIND, Depth 1, of a Folder of 100",
        }
        self.holds = HOLDS

    # -- building ---------------------------------------------------------------

    def prepare(self) -> None:
        """Make the venv and the instance with its content, unless they are made."""
        self._venv()
        stamp, built = f"{SITE_VERSION} {BIG}", self.home / "var" / "bench-site-built"
        if built.exists() and built.read_text().strip() == stamp:
            return
        for made in ("etc", "var", "inituser"):
            target = self.home / made
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        self.home.mkdir(parents=True, exist_ok=True)
        subprocess.run([VENV / "bin" / "mkwsgiinstance", "-d", self.home,
                        "-u", f"{ADMIN}:{PASSWORD}"], check=True, stdin=subprocess.DEVNULL)
        conf = self.home / "etc" / "zope.conf"
        conf.write_text(conf.read_text() + "\ndebug-mode off\n")
        # Zope's pipeline has the access logger, but its logger stops at WARN: let it write.
        ini = self.home / "etc" / "zope.ini"
        ini.write_text(re.sub(r"(\[logger_wsgi\]\nlevel = )WARN", r"\1INFO", ini.read_text()))
        subprocess.run([VENV / "bin" / "zconsole", "run", conf, HERE / "zope5_site.py",
                        str(BIG), stamp], check=True, cwd=self.home, stdin=subprocess.DEVNULL)

    def _venv(self) -> None:
        stamp = VENV / "bench-packages"
        wanted = "\n".join(PACKAGES) + "\n"
        if stamp.exists() and stamp.read_text() == wanted:
            return
        if not (VENV / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([VENV / "bin" / "python", "-m", "pip", "install", "-q", *PACKAGES],
                       check=True)
        stamp.write_text(wanted)

    # -- serving ----------------------------------------------------------------

    def start(self, port: int) -> None:
        """Serve the instance on 127.0.0.1:`port`; return once it answers, warm."""
        if self.process is not None:
            raise RuntimeError("Zope 5 is already running")
        ini = self.home / "etc" / "zope.ini"
        server = (f"[server:main]\nuse = egg:waitress#main\nhost = 127.0.0.1\n"
                  f"port = {port}\nthreads = {self.threads}\n")
        ini.write_text(re.sub(r"\[server:main\]\n(?:[^\[\n][^\n]*\n)*", server,
                              ini.read_text(), count=1))
        self.port = port
        log = open(self.home / "var" / "log" / "runwsgi.log", "ab")
        with log:
            self.process = subprocess.Popen(
                [VENV / "bin" / "runwsgi", ini], cwd=self.home, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                raise RuntimeError(f"Zope 5 stopped at start; see {log.name}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/page", timeout=5).close()
                break
            except urllib.error.HTTPError:
                break  # it answers, if not with a page: the workloads will show what
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError(f"Zope 5 did not answer on port {port} within 120 s")
        try:
            self._warm()
        except BaseException:
            self.stop()
            raise

    def _warm(self) -> None:
        # Each ZODB connection (one a thread) holds its own copies of the objects, and a
        # Page Template compiles in each copy the first time it is read: the Contents
        # screen of the 100-item folder reads every item's size, so cold it takes
        # seconds. A running Zope has them warm: send every read, from as many
        # clients at once as the server has threads, so that every connection is used.
        reads = [request for request in self.workloads.values() if not request.writes]
        with ThreadPoolExecutor(max_workers=2 * self.threads) as pool:
            for request in reads:
                list(pool.map(lambda _: _send(self.port, request), range(2 * self.threads)))

    def stop(self) -> None:
        """Stop the server started by `start`, by its process id."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _send(port: int, request) -> tuple[int, bytes]:
    """Send `request` once; return the status and the body."""
    call = urllib.request.Request(f"http://127.0.0.1:{port}{request.path}",
                                  data=request.body or None, headers=dict(request.headers),
                                  method=request.method)
    try:
        with urllib.request.urlopen(call, timeout=120) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    home = HERE / ".zope5-home"
    site = Zope5Site(home)
    started = time.monotonic()
    site.prepare()
    print(f"prepared {home} in {time.monotonic() - started:.0f} s")
    port = _free_port()
    started = time.monotonic()
    site.start(port)
    print(f"started and warmed on port {port} in {time.monotonic() - started:.1f} s")
    try:
        for name, request in site.workloads.items():
            began = time.monotonic()
            status, body = _send(port, request)
            took = (time.monotonic() - began) * 1000
            holds = "holds" if HOLDS[name] in body else "LACKS"
            print(f"{name:19} {request.method:4} {request.path:44} {status} {len(body):7} "
                  f"bytes {took:7.1f} ms, {holds} {HOLDS[name].decode()!r}")
    finally:
        site.stop()


if __name__ == "__main__":
    sys.exit(main())
