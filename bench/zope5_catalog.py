"""Zope 5's ZCatalog on the catalog bench's million Pages; run by Zope, not by objweb.

    bench/.zope5-venv/bin/zconsole run HOME/etc/zope.conf bench/zope5_catalog.py build
    bench/.zope5-venv/bin/zconsole run HOME/etc/zope.conf bench/zope5_catalog.py query

`build` makes `/catalog` (a ZCatalog with the indexes a Plone site keeps for
these queries: FieldIndex meta_type and sortable_title, ExtendedPathIndex path (Plone's, for depth), DateIndex
created and modified, ZCTextIndex SearchableText with Okapi BM25, KeywordIndex
allowedRolesAndUsers) and `/m`, 100 BTreeFolder2s of 10,000 `BenchPage`s
(bench/catalog_content.py, the same Pages objweb gets), each catalogued as it is
added, one transaction per folder. `query` runs the three queries as objweb's
bench does (the first 20 results' path, title and modified read), trusted and
for Anonymous (`allowedRolesAndUsers=['Anonymous']`, as Plone asks), and prints
one JSON line each.
"""

import json
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import transaction

# `zconsole run` compiles the script without a __file__: sys.argv names it.
HERE = next(Path(arg).resolve().parent for arg in sys.argv if arg.endswith("zope5_catalog.py"))
sys.path.insert(0, str(HERE))
import catalog_content as content  # noqa: E402
from zope5_bench_page import BenchPage  # noqa: E402

from Products.BTreeFolder2.BTreeFolder2 import BTreeFolder2  # noqa: E402
from Products.ZCatalog.ZCatalog import ZCatalog  # noqa: E402

app = globals()["app"]  # bound by `zconsole run`
REPEAT = 30
PRIVATE = ["Editor", "Manager"]
PUBLIC = ["Anonymous"]


class Extra:
    """The keyword arguments ZCatalog's `addIndex` takes as an object."""

    def __init__(self, **values):
        self.__dict__.update(values)


def make_catalog():
    catalog = ZCatalog("catalog")
    app._setObject("catalog", catalog)
    catalog = app.catalog
    catalog.manage_addProduct["ZCTextIndex"].manage_addLexicon(
        "lexicon", elements=[Extra(group="Word Splitter", name="Whitespace splitter"),
                             Extra(group="Case Normalizer", name="Case Normalizer")])
    catalog.addIndex("SearchableText", "ZCTextIndex",
                     Extra(doc_attr="SearchableText", index_type="Okapi BM25 Rank",
                           lexicon_id="lexicon"))
    for name, kind in (("meta_type", "FieldIndex"), ("sortable_title", "FieldIndex"),
                       ("path", "ExtendedPathIndex"), ("allowedRolesAndUsers", "KeywordIndex")):
        catalog.addIndex(name, kind)
    catalog.addIndex("created", "DateIndex", Extra(indexed_attrs="bench_created"))
    catalog.addIndex("modified", "DateIndex", Extra(indexed_attrs="bench_modified"))
    for column in ("id", "title", "bench_modified"):
        catalog.addColumn(column)
    transaction.commit()
    return catalog


def when(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def add_folder(catalog, top, number: int) -> None:
    name = content.folder_name(number)
    top._setObject(name, BTreeFolder2(name))
    folder = top._getOb(name)
    allowed = PRIVATE if content.is_private(number) else PUBLIC
    if content.is_private(number):
        folder.manage_permission("View", PRIVATE, acquire=0)
    catalog.catalog_object(folder, uid="/".join(folder.getPhysicalPath()))
    for page_id, title, body, created, modified in content.pages(number):
        folder._setObject(page_id, BenchPage(page_id, title, body, when(created),
                                             when(modified), allowed), suppress_events=True)
        page = folder._getOb(page_id)
        catalog.catalog_object(page, uid="/".join(page.getPhysicalPath()))
    transaction.commit()
    app._p_jar.cacheMinimize()


def build() -> None:
    started = time.monotonic()
    catalog = make_catalog()
    app._setObject("m", BTreeFolder2("m"))
    transaction.commit()
    for number in range(content.FOLDERS):
        add_folder(catalog, app.m, number)
        if number % 10 == 9:
            print(f"zope5 build: {number + 1} folders, {time.monotonic() - started:.0f} s",
                  flush=True)
    print(json.dumps({"step": "zope5-build", "pages": content.PAGES,
                      "seconds": round(time.monotonic() - started, 1)}), flush=True)


QUERIES = {
    "a_text_10_hits": {"SearchableText": content.TEXT_WORD},
    "b_folder_newest_20": {"path": {"query": content.FOLDER, "depth": 1},
                           "meta_type": "Bench Page", "sort_on": "modified",
                           "sort_order": "descending", "sort_limit": 20},
    "c_type_path_range_newest_20": {
        "meta_type": "Bench Page", "path": "/m",
        "modified": {"query": [when(content.WINDOW[0]), when(content.WINDOW[1])],
                     "range": "min:max"},
        "sort_on": "modified", "sort_order": "descending", "sort_limit": 20},
}


def timed(catalog, query: dict) -> tuple[float, int]:
    began = time.perf_counter()
    results = catalog.searchResults(**query)
    rows = [(brain.getPath(), brain.title, brain.bench_modified) for brain in results[:20]]
    total = results.actual_result_count
    assert len(rows) == min(total, 20)
    return (time.perf_counter() - began) * 1000, total


def query() -> None:
    catalog = app.catalog
    for who, extra in (("trusted", {}), ("anonymous", {"allowedRolesAndUsers": PUBLIC})):
        for name, spec in QUERIES.items():
            first, total = timed(catalog, {**spec, **extra})
            runs = [timed(catalog, {**spec, **extra})[0] for _ in range(REPEAT)]
            print(json.dumps({"step": "zope5-query", "query": name, "who": who, "hits": total,
                              "first_ms": round(first, 2),
                              "p50_ms": round(statistics.median(runs), 2),
                              "p90_ms": round(sorted(runs)[int(0.9 * len(runs))], 2)}),
                  flush=True)


{"build": build, "query": query}[sys.argv[-1]]()
