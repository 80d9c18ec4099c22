"""The bench sites, built once with objweb's public API and kept between runs.

Building a folder of 100,000 Pages takes a minute or two and a site of a million
objects several, so each built database is kept in `bench/.cache/<name>-<version>/`
and copied into the temporary instance home of each run (the million-object site is
served where it lies: copying it would cost more than serving it). Change a
`*_VERSION` string whenever what a builder makes changes, and the next run builds
afresh.
"""

import os
import shutil
import time
from pathlib import Path

import objweb
from objweb import File, Folder, Page, Script, Template
from objweb.catalog import drain_all, is_built, queue_length

import big_pages

CACHE = Path(__file__).resolve().parent / ".cache"
ADMIN, PASSWORD = "admin", "bench-password"
SITE_VERSION = "v2"
MILLION_VERSION = "v1"
BIG, SMALL, DEPTH = 100_000, 100, 10
MILLION_FOLDERS, MILLION_PER_FOLDER = 100, 10_000
CHUNK = 10_000

PAGE_BODY = "<p>" + "Some text of the bench page. " * 70 + "</p>"
PUT_BODY = "<p>" + "Some text the bench puts over WebDAV. " * 54 + "</p>"
LAYOUT = """<html metal:define-macro="page">
<head><title tal:content="context/title">title</title></head>
<body><h1 tal:content="context/title">title</h1>
<div metal:define-slot="main">default</div></body></html>"""
ROWS = """<html metal:use-macro="context/layout/macros/page">
<div metal:fill-slot="main"><table>
<tr tal:repeat="row python: range(100)"><td tal:content="row">n</td>
<td tal:content="repeat/row/number">i</td><td tal:content="context/title">t</td></tr>
</table></div></html>"""


def uri(home: Path) -> str:
    return f"file://{home}/var/Data.fs?blobstorage_dir={home}/var/blobs"


def _pages(folder, count: int, first: int = 0) -> None:
    for number in range(first, first + count):
        folder.add(f"item-{number:06d}", Page(title=f"Item {number}", body="<p>x</p>"))


def _big_pages(folder, count: int, first: int) -> None:
    # Bodies and times of bench/big_pages.py, so a search has words to find and a
    # sort has times to order (a build's own times would be a few minutes apart).
    for number in range(first, first + count):
        page = folder.add(f"item-{number:06d}", Page(title=f"Item {number}",
                                                     body=big_pages.body(number)))
        page.created = page.modified = big_pages.modified(number, BIG)


def build_site(home: Path) -> None:
    """Build the site bench/requests.py describes in `home`, its catalog indexed."""
    db = objweb.open_db(uri(home))
    try:
        objweb.bootstrap(db, admin=ADMIN, password=PASSWORD)
        with objweb.site(db, user=ADMIN) as root:
            root.add("layout", Template(title="Layout", source=LAYOUT))
            bench = root.add("bench", Folder(title="Bench"))
            bench.add("page", Page(title="A page", body=PAGE_BODY))
            folder = bench
            for level in range(2, DEPTH + 1):
                folder = folder.add(f"d{level}", Folder(title=f"Level {level}"))
            folder.add("page", Page(title="A deep page", body=PAGE_BODY))
            bench.add("file", File(title="100 KB", data=os.urandom(100 * 1024),
                                   content_type="application/octet-stream"))
            bench.add("rows", Template(title="Rows", source=ROWS))
            bench.add("greet", Script(title="Greet", params="name='world'",
                                      body="return 'Hello %s from %s' % (name, context.title)"))
            bench.add("edit", Page(title="Edited", body="<p>Edited often.</p>"))
            bench.add("put", Page(title="Put", body=PUT_BODY))
            _pages(root.add("small", Folder(title="Small")), SMALL)
            root.add("big", Folder(title="Big"))
        for first in range(0, BIG, CHUNK):
            with objweb.site(db, user=ADMIN) as root:
                _big_pages(root["big"], min(CHUNK, BIG - first), first)
            db.cacheMinimize()
        _indexed(db)
    finally:
        db.close()
    (home / "var" / "Data.fs.old").unlink(missing_ok=True)  # what the pack left behind


def _indexed(db) -> None:
    """Index what the catalog's queue holds; raise unless the catalog answers from its indexes.

    Then pack: the drains rewrote the indexes' buckets batch after batch, and a
    copy of the site is made for each run.
    """
    drain_all(db)
    with objweb.site(db) as root:
        built = is_built(root)
    if not built or queue_length(db):
        raise RuntimeError(f"the bench site's catalog is not indexed (built: {built}, "
                           f"queued: {queue_length(db)})")
    db.pack()


def build_million(home: Path) -> None:
    """A site of a million Pages: 100 folders of 10,000, committed 10,000 at a time."""
    db = objweb.open_db(uri(home))
    try:
        objweb.bootstrap(db, admin=ADMIN, password=PASSWORD)
        with objweb.site(db, user=ADMIN) as root:
            root.add("m", Folder(title="A million"))
        for number in range(MILLION_FOLDERS):
            with objweb.site(db, user=ADMIN) as root:
                _pages(root["m"].add(f"f{number:03d}", Folder(title=f"F {number}")),
                       MILLION_PER_FOLDER)
    finally:
        db.close()


def cached(name: str, version: str, builder, say=print) -> Path:
    """Return the folder holding a built site, building it first if it is not kept yet."""
    kept = CACHE / f"{name}-{version}"
    if (kept / "var" / "Data.fs.index").exists():
        return kept
    for stale in CACHE.glob(f"{name}-*"):
        shutil.rmtree(stale)
    building = CACHE / f"{name}-{version}.building"
    shutil.rmtree(building, ignore_errors=True)
    (building / "var").mkdir(parents=True)
    say(f"building the {name} site in {building} (kept for later runs) ...")
    started = time.monotonic()
    builder(building)
    building.rename(kept)
    say(f"  built in {time.monotonic() - started:.0f} s")
    return kept


def instance_home(kept: Path, home: Path) -> Path:
    """Copy a kept site's database into a fresh instance home; return the home."""
    shutil.copytree(kept / "var", home / "var")
    return home
