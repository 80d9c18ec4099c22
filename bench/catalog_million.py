"""The catalog at a million Pages: build and reindex, the three queries, writers with and without.

    .venv/bin/python bench/catalog_million.py build    # the site, then reindex it (timed)
    .venv/bin/python bench/catalog_million.py query    # p50 of each query, trusted and anonymous
    .venv/bin/python bench/catalog_million.py served   # the same queries over HTTP (wrk);
                                                       # CATALOG_CACHE_SIZE: objects cached
                                                       # per connection (default 20,000)
    .venv/bin/python bench/catalog_million.py writes   # 4 writers on one folder, catalog on/off
    .venv/bin/python bench/catalog_million.py zope5-build   # the same Pages in Zope 5's ZCatalog
    .venv/bin/python bench/catalog_million.py zope5-query   # the same queries there

The site (bench/catalog_content.py) is kept in bench/.cache/catalog-million. Its
Pages are made with the catalog's subscriber off, then `objweb.catalog.reindex`
reads them all, as `objweb reindex` does: its time and peak resident memory are
the reindex figures. Queries run in process through `find_results`, the code
behind `objweb.search` and every other door, reading the first 20 results' rows.
Each step prints one JSON line, also appended to bench/.cache/catalog-results.jsonl.
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from webtest import TestApp

import objweb
from objweb import Folder, Page, events
from objweb.catalog import Drainer, drain_all, find_results, reindex
from objweb.catalog.search import lists_of
from objweb.catalog.subscribers import on_event
from objweb.security.permissions import VIEW
from objweb.security.policy import SecurityPolicy, TrustedPolicy
from objweb.security.principals import ANONYMOUS_PRINCIPAL

sys.path.insert(0, str(Path(__file__).resolve().parent))
import catalog_content as content  # noqa: E402 (bench/ is not a package)

CACHE = Path(__file__).resolve().parent / ".cache"
HOME = Path(os.environ.get("CATALOG_HOME", CACHE / "catalog-million"))
RESULTS = CACHE / "catalog-results.jsonl"
PASSWORD = "bench-admin-pw"
REPEAT = 30


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat()


QUERIES = {
    "a_text_10_hits": {"text": content.TEXT_WORD},
    "b_folder_newest_20": {"path": content.FOLDER, "depth": 1, "type": "Page",
                           "sort_on": "modified", "sort_order": "descending"},
    "c_type_path_range_newest_20": {
        "type": "Page", "path": "/m", "modified_after": iso(content.WINDOW[0]),
        "modified_before": iso(content.WINDOW[1]), "sort_on": "modified",
        "sort_order": "descending"},
}


def report(record: dict) -> None:
    line = json.dumps(record)
    print(line, flush=True)
    CACHE.mkdir(exist_ok=True)
    with RESULTS.open("a") as out:
        out.write(line + "\n")


def memory_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text()
                  .splitlines() if ":" in line)
    return tuple(int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))


def open_site(home: Path):
    home.mkdir(parents=True, exist_ok=True)
    return objweb.open_db(f"file://{home}/Data.fs?blobstorage_dir={home}/blobs")


# -- build ------------------------------------------------------------------------------


def add_folder(db, number: int) -> None:
    with objweb.site(db, user="admin") as root:
        # Opening a site subscribes the catalog again: the Pages are indexed by `reindex` later.
        events.unsubscribe(events.ObjectEvent, on_event)
        folder = root["m"].add(content.folder_name(number), Folder(title=f"F {number}"))
        if content.is_private(number):
            folder.manage_permission(VIEW, roles=["Manager", "Editor"], acquire=False)
        for name, title, body, created, modified in content.pages(number):
            page = folder.add(name, Page(title=title, body=body))
            page.created, page.modified = created, modified
    db.cacheMinimize()


def build(home: Path = HOME) -> None:
    db = open_site(home)
    objweb.bootstrap(db, admin="admin", password=PASSWORD)
    started = time.monotonic()
    events.unsubscribe(events.ObjectEvent, on_event)
    try:
        with objweb.site(db, user="admin") as root:
            events.unsubscribe(events.ObjectEvent, on_event)
            if "m" not in root:
                root.add("m", Folder(title="Million"))
            made = set(root["m"].keys())  # a build stopped half-way goes on where it was
        for number in range(content.FOLDERS):
            if content.folder_name(number) not in made:
                add_folder(db, number)
    finally:
        events.subscribe(events.ObjectEvent, on_event)
    report({"step": "content", "pages": content.PAGES,
            "seconds": round(time.monotonic() - started, 1)})
    measure_reindex(db)
    db.close()


def measure_reindex(db) -> None:
    started, cpu = time.monotonic(), time.process_time()
    shown = [0.0]

    def progress(done: int, total: int) -> None:
        if done == total or done / total >= shown[0] + 0.05:
            shown[0] = done / total
            rss, peak = memory_mb()
            print(f"reindex {done:>9,}/{total:,} {time.monotonic() - started:7.0f} s "
                  f"RSS {rss:.0f} MB (peak {peak:.0f})", flush=True)

    done = reindex(db, "/", progress=progress)
    rss, peak = memory_mb()
    report({"step": "reindex", "objects": done, "seconds": round(time.monotonic() - started, 1),
            "cpu_seconds": round(time.process_time() - cpu, 1), "rss_mb": round(rss),
            "peak_rss_mb": round(peak)})


# -- queries ----------------------------------------------------------------------------


def timed(root, query: dict, policy) -> tuple[float, int]:
    began = time.perf_counter()
    results = find_results(root, lists_of(query), policy=policy)
    rows = [(result.path, result.title, result.modified) for result in results[:20]]
    total = len(results)
    assert len(rows) == min(total, 20)
    return (time.perf_counter() - began) * 1000, total


def query(home: Path = HOME, repeat: int = REPEAT) -> None:
    db = open_site(home)
    with objweb.site(db) as root:
        for who, policy in (("trusted", TrustedPolicy()),
                            ("anonymous", SecurityPolicy(ANONYMOUS_PRINCIPAL))):
            for name, spec in QUERIES.items():
                first, total = timed(root, spec, policy)
                runs = [timed(root, spec, policy)[0] for _ in range(repeat)]
                report({"step": "query", "query": name, "who": who, "hits": total,
                        "first_ms": round(first, 2), "p50_ms": round(statistics.median(runs), 2),
                        "p90_ms": round(sorted(runs)[int(0.9 * len(runs))], 2)})
    db.close()


# -- served ---------------------------------------------------------------------------


def served_paths() -> dict[str, str]:
    """Each query of `QUERIES` as the `@@search` URL an anonymous visitor asks for."""
    from urllib.parse import urlencode
    paths = {}
    for name, spec in QUERIES.items():
        keys = {key: value for key, value in spec.items() if key != "path"}
        where = spec.get("path", "")
        paths[name] = f"{where}/@@search?{urlencode({**keys, 'b_size': 20})}"
    return paths


def served(seconds: float = 10.0) -> None:
    """Serve the million with `objweb serve` and drive each query with wrk beside the bare app.

    Anonymous, 8 connections, as the suite's other rows; the answer is checked once
    (a JSON batch of 20 or fewer with `items_total`) before it is timed. Each
    connection's object cache holds CATALOG_CACHE_SIZE objects (default 20,000).
    """
    cache_size = int(os.environ.get("CATALOG_CACHE_SIZE", "20000"))
    import urllib.request

    import servers
    from loadgen import run_wrk
    from requests import Request

    servers.write_ini(HOME, cache_size=cache_size,
                      uri=f"file://{HOME}/Data.fs?blobstorage_dir={HOME}/blobs")
    scratch = CACHE / "catalog-served"
    scratch.mkdir(exist_ok=True)
    objweb_server = servers.objweb_serve(HOME, servers.free_port())
    bare = servers.bare_app(scratch, servers.free_port())
    try:
        objweb_server.wait_ready("/")
        bare.wait_ready("/")
        for name, path in served_paths().items():
            request = urllib.request.Request(f"http://127.0.0.1:{objweb_server.port}{path}",
                                             headers={"Accept": "application/json"})
            with urllib.request.urlopen(request) as answer:
                batch = json.load(answer)
            assert len(batch["items"]) <= 20 and "items_total" in batch, batch
            get = Request("GET", path, headers=(("Accept", "application/json"),))
            ceiling = run_wrk(bare.port, Request("GET", "/"), scratch, seconds)
            figures = run_wrk(objweb_server.port, get, scratch, seconds)
            report({"step": "served", "query": name, "hits": batch["items_total"],
                    "req_per_s": round(figures.rate), "p50_ms": figures.p50_ms,
                    "p99_ms": figures.p99_ms, "bare_req_per_s": round(ceiling.rate),
                    "ratio": round(figures.rate / ceiling.rate, 3) if ceiling.rate else 0.0,
                    "non_2xx": figures.client_errors + figures.server_errors,
                    "rss_mb": round(objweb_server.rss_mb()), "cache_size": cache_size})
    finally:
        servers.stop_all([objweb_server, bare])


# -- writers ----------------------------------------------------------------------------


def write_round(db, *, catalog: bool, seconds: float, writers: int = 4) -> dict:
    app = TestApp(objweb.make_app(db))
    statuses: list[int] = []
    stop = time.monotonic() + seconds
    auth = {"Authorization": "Basic " + __import__("base64").b64encode(
        f"admin:{PASSWORD}".encode()).decode()}

    def write(writer: int) -> None:
        number = 0
        while time.monotonic() < stop:
            number += 1
            name = f"w{catalog:d}-{writer}-{number}-{time.monotonic_ns()}"
            response = app.post_json("/w", {"@type": "Page", "id": name, "title": name,
                                            "body": "<p>written by a bench writer</p>"},
                                     headers=auth, expect_errors=True)
            statuses.append(response.status_int)

    drainer = Drainer(db).start() if catalog else None
    if not catalog:
        events.unsubscribe(events.ObjectEvent, on_event)
    cpu = time.process_time()
    try:
        threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        if drainer is not None:
            drainer.stop()
        else:
            events.subscribe(events.ObjectEvent, on_event)
    created = statuses.count(201)
    return {"catalog": catalog, "commits_per_s": round(created / seconds, 1),
            "status_503": statuses.count(503),
            "status_5xx_other": sum(1 for s in statuses if s >= 500 and s != 503),
            "cpu_ms_per_add": round((time.process_time() - cpu) * 1000 / max(created, 1), 2)}


def writes(seconds: float = 20.0, rounds: int = 2) -> None:
    home = CACHE / "catalog-writes"
    fresh = not home.exists()
    db = open_site(home)
    if fresh:
        objweb.bootstrap(db, admin="admin", password=PASSWORD)
        with objweb.site(db, user="admin") as root:
            folder = root.add("w", Folder(title="Writers"))
            for name, title, body, created, modified in content.pages(1):
                folder.add(name, Page(title=title, body=body))
        drain_all(db)
    for _ in range(rounds):
        for catalog in (False, True):
            report({"step": "writes", **write_round(db, catalog=catalog, seconds=seconds)})
    drain_all(db)
    db.close()


# -- Zope 5 ---------------------------------------------------------------------------


def zope5(step: str) -> None:
    """Run bench/zope5_catalog.py `step` in a Zope 5 instance of its own (made once)."""
    bench = Path(__file__).resolve().parent
    sys.path.insert(0, str(bench))
    from zope5 import VENV, Zope5Site
    Zope5Site(CACHE / "zope5-unused")._venv()
    home = CACHE / "zope5-catalog-home"
    if not (home / "etc" / "zope.conf").exists():
        subprocess.run([VENV / "bin" / "mkwsgiinstance", "-d", home, "-u", "admin:secret"],
                       check=True, stdin=subprocess.DEVNULL)
    run = subprocess.run([VENV / "bin" / "zconsole", "run", home / "etc" / "zope.conf",
                          bench / "zope5_catalog.py", step], cwd=home, check=True,
                         stdin=subprocess.DEVNULL, capture_output=True, text=True)
    for line in run.stdout.splitlines():
        if line.startswith("{"):
            report(json.loads(line))
        else:
            print(line, flush=True)


if __name__ == "__main__":
    STEPS = {"build": build, "query": query, "served": served, "writes": writes,
             "zope5-build": lambda: zope5("build"), "zope5-query": lambda: zope5("query")}
    STEPS[sys.argv[1]]()
