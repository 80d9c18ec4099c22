"""What one request costs objweb in process: the WSGI application called directly.

    .venv/bin/python bench/hot_path.py [-n 2000] [--only page10,file] [--profile page10]
                                       [--big] [--callgrind]

It builds a site in a temporary FileStorage (a page at depth 1 and at depth
10, a file of 100 KB, a root `layout` Template with a macro and a Template
using it over a 100-row loop, a Script, and with `--big` a folder of 100,000
pages), then calls the application N times per workload with a prepared
environ, no network, no server, and prints microseconds of wall and CPU time
per request, next to a bare hello-world WSGI application called the same way.
The access log is on, to a file, as `objweb serve` keeps it with an
`objweb.ini` (`--no-access-log` leaves it out).
`--profile NAME` runs that workload under cProfile and prints the top of
the profile instead; `--callgrind` runs each workload a fixed number of times
so that `valgrind --tool=callgrind` counts stay comparable between versions.
This is a script, not a test: it asserts nothing.
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import threading
import time
from base64 import b64encode

import transaction

import objweb
from objweb import File, Folder, Page, Script, Template

DEPTH = 10
BIG = 100_000
LAYOUT = ('<html metal:define-macro="page"><head><title tal:content="context/title">t</title>'
          '</head><body metal:define-slot="main">default</body></html>')
LOOP = ('<html metal:use-macro="context/layout/macros/page"><body metal:fill-slot="main">'
        '<table><tr tal:repeat="row python: range(100)"><td tal:content="row">n</td>'
        '<td tal:content="python: row * 2">n</td></tr></table></body></html>')


def build(home: str, big: bool):
    db = objweb.open_db(f"file://{home}/Data.fs?blobstorage_dir={home}/blobs")
    objweb.bootstrap(db, admin="admin", password="s3cret-pass")
    with objweb.site(db) as root:
        root["layout"] = Template(title="Layout", source=LAYOUT)
        root["page"] = Page(title="Page", body="<p>" + "Some text. " * 200 + "</p>")
        folder = root
        for _ in range(DEPTH - 1):
            folder["d"] = Folder(title="Deep")
            folder = folder["d"]
        folder["page"] = Page(title="Deep page", body="<p>" + "Some text. " * 200 + "</p>")
        root["file"] = File(title="Data", data=os.urandom(100 * 1024),
                            content_type="application/octet-stream")
        root["loop"] = Template(title="Loop", source=LOOP)
        root["greet"] = Script(title="Greet", params="name='world'",
                               body="return 'Hello %s from %s' % (name, context.title)")
        root["small"] = Folder(title="Small")
        for index in range(100):
            root["small"][f"item-{index:06d}"] = Page(title=f"Item {index}")
    if big:
        with objweb.site(db) as root:
            root["big"] = Folder(title="Big")
        for start in range(0, BIG, 10_000):
            with objweb.site(db) as root:
                for index in range(start, start + 10_000):
                    root["big"].add(f"item-{index:06d}", Page(title=f"Item {index}"))
    return db


def environ_for(path: str, query: str = "", headers: dict | None = None) -> dict:
    environ = {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path,
        "QUERY_STRING": query, "SERVER_NAME": "localhost", "SERVER_PORT": "8080",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "localhost:8080", "HTTP_USER_AGENT": "wrk",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False,
        "wsgi.run_once": False, "wsgi.version": (1, 0),
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "13")])
    return [b"Hello, world!"]


def session_cookie(app) -> str:
    """Log in as the manager through `@@login` and return the session cookie header."""
    import webtest
    client = webtest.TestApp(app)
    form = client.get("/@@login").forms[0]
    form["login"], form["password"] = "admin", "s3cret-pass"
    form.submit()
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def call(app, template: dict) -> int:
    environ = dict(template)
    environ["wsgi.input"] = io.BytesIO(b"")
    status = []
    body = app(environ, lambda s, h, e=None: status.append(s))
    size = 0
    for chunk in body:
        size += len(chunk)
    close = getattr(body, "close", None)
    if close is not None:
        close()
    if not status[0].startswith("200"):
        raise SystemExit(f"{template['PATH_INFO']}: {status[0]}")
    return size


def workloads(app, big: bool) -> dict:
    deep = "/" + "/".join(["d"] * (DEPTH - 1)) + "/page"
    found = {
        "bare": (hello, environ_for("/")),
        "page1": (app, environ_for("/page")),
        "page10": (app, environ_for(deep)),
        "file": (app, environ_for("/file")),
        "template": (app, environ_for("/loop")),
        "script": (app, environ_for("/greet", "name=you")),
    }
    cookie = session_cookie(app)
    found["zmi100"] = (app, environ_for("/small/manage_contents", headers={"Cookie": cookie}))
    if big:
        found["zmi100k"] = (app, environ_for("/big/manage_contents", headers={"Cookie": cookie}))
    return found


def writers(app, threads: int, count: int, same: bool) -> None:
    """PATCH pages from `threads` threads at once: print commits per second and the statuses.

    With `same`, every writer changes the same page, so their transactions
    conflict and are replayed; otherwise each writer has a page of its own.
    """
    auth = "Basic " + b64encode(b"admin:s3cret-pass").decode()
    statuses: dict[str, int] = {}
    lock = threading.Lock()

    def write(index: int) -> None:
        path = "/page" if same else f"/small/item-{index:06d}"
        for number in range(count):
            body = f'{{"title": "Title {index}.{number}"}}'.encode()
            environ = environ_for(path, headers={"Authorization": auth})
            environ.update({"REQUEST_METHOD": "PATCH", "CONTENT_TYPE": "application/json",
                            "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)})
            seen = []
            for _ in app(environ, lambda status, headers, exc_info=None: seen.append(status)):
                pass
            with lock:
                statuses[seen[0]] = statuses.get(seen[0], 0) + 1

    started = time.perf_counter()
    workers = [threading.Thread(target=write, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    done = sum(count for status, count in statuses.items() if status.startswith("2"))
    print(f"{threads} writers, {'one page' if same else 'a page each'}: "
          f"{done / elapsed:.0f} commits/s; statuses {statuses}")


def log_to_files(home: str) -> None:
    """Configure the event and access logs as `objweb serve` does from an objweb.ini."""
    from pathlib import Path

    from objweb.instance.ini import read_config
    from objweb.instance.logs import configure_logging
    ini = Path(home) / "objweb.ini"
    ini.write_text("[logging]\nevent_log = event.log\naccess_log = access.log\n")
    configure_logging(read_config(ini))


def measure(app, environ, count: int, rounds: int = 20) -> tuple[float, float]:
    """Return the best wall and CPU µs per request over `rounds` runs of `count` calls.

    The best of several runs, because other work on a shared machine only
    ever adds time.
    """
    for _ in range(min(50, count)):
        call(app, environ)
    best_wall = best_cpu = float("inf")
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            call(app, environ)
        best_wall = min(best_wall, (time.perf_counter() - wall) / count * 1e6)
        best_cpu = min(best_cpu, (time.process_time() - cpu) / count * 1e6)
    return best_wall, best_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="requests per workload")
    parser.add_argument("--only", default="", help="comma-separated workload names")
    parser.add_argument("--profile", default="", help="run this workload under cProfile")
    parser.add_argument("--big", action="store_true", help="add a 100,000-item folder")
    parser.add_argument("--writers", type=int, default=0,
                        help="also PATCH pages from this many threads at once")
    parser.add_argument("--no-access-log", action="store_true",
                        help="leave the access log out (it is written to a file by default)")
    parser.add_argument("--callgrind", action="store_true",
                        help="no warm-up timing: a fixed number of calls per workload")
    options = parser.parse_args()
    home = tempfile.mkdtemp(prefix="objweb-hot-")
    try:
        db = build(home, options.big)
        if not options.no_access_log:
            log_to_files(home)
        app = objweb.make_app(db, access_log=not options.no_access_log)
        found = workloads(app, options.big)
        names = [name for name in (options.only.split(",") if options.only else found)]
        if options.profile:
            target, environ = found[options.profile]
            for _ in range(50):
                call(target, environ)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(options.n):
                call(target, environ)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            return
        if options.callgrind:
            for name in names:
                target, environ = found[name]
                for _ in range(options.n):
                    call(target, environ)
            return
        print(f"{'workload':10} {'wall µs':>10} {'cpu µs':>10} {'bytes':>8}")
        for name in names:
            target, environ = found[name]
            size = call(target, environ)
            count = options.n if not name.startswith("zmi") else max(4, options.n // 100)
            wall, cpu = measure(target, environ, count // 20 or 1)
            print(f"{name:10} {wall:10.1f} {cpu:10.1f} {size:8d}")
        if options.writers:
            for same in (False, True):
                writers(app, options.writers, max(10, options.n // 20), same)
        db.close()
    finally:
        transaction.abort()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
