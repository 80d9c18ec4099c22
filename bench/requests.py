"""What a benchmark request is, and the names of the workloads.

Shared by the objweb harness (bench/run.py) and the Zope 5 side (bench/zope5.py),
so both sides describe the same workload with the same name. This module imports
nothing from objweb: the Zope 5 side runs it in a virtual environment of its own.

The bench site both sides build (objweb's requests are in bench/workloads.py):

    /layout                      a Template defining the macro `page` (title, slot `main`)
    /bench/page                  a Page of about 2 KB (depth 1)
    /bench/d2/d3/.../d10/page    the same Page under ten folders (depth 10)
    /bench/file                  a File of 100 KB (102,400 random bytes)
    /bench/rows                  a Template using /layout's macro `page`, filling `main`
                                 with a table of 100 rows (tal:repeat)
    /bench/greet                 a Script, params name='world', returning a short str
    /bench/edit                  a Page whose title the write workload changes
    /bench/put                   a Page of about 2 KB whose body WebDAV PUTs replace
    /big                         a Folder of 100,000 Pages item-000000 ... item-099999,
                                 each with a body of 13 words, one of them rare (10
                                 Pages share it), and a modification time of its own
                                 spread over two years (bench/big_pages.py), catalogued
    /small                       a Folder of 100 Pages item-000000 ... item-000099

objweb's WebDAV door is the same tree under `/@@dav/`. Zope 5's site also has a
ZCatalog, `/catalog`, holding the Pages of /big, and a Script (Python) at the root,
`search_json`, that answers its search in JSON (bench/zope5_site.py).

bench/zope5.py's `Zope5Site` may also have `labels: dict[str, str]`, saying what stands
in Zope 5 for a workload where it differs (for "json_patch", a property edit); the
report prints them beside the figures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Request:
    """One HTTP request that the load generator repeats.

    ``headers`` is a tuple of ``(name, value)`` pairs (a tuple, so the request stays
    hashable). ``writes`` marks a request that commits a transaction, so the harness
    drives it with concurrent writers and counts 5xx answers.
    """

    method: str
    path: str
    body: bytes = b""
    headers: tuple = ()
    writes: bool = False


#: Every workload the suite knows, in the order the table prints them.
WORKLOAD_NAMES: dict[str, str] = {
    "bare_hello": "a bare hello-world WSGI app on the same waitress (the ceiling)",
    "page_depth1": "anonymous GET of a Page one folder below the root",
    "page_depth10": "anonymous GET of a Page ten folders below the root",
    "file_100k": "anonymous GET of a 100 KB File, whole",
    "template_macro_loop": "a Template using a macro from the root `layout`, with a 100-row loop",
    "script_call": "anonymous call of a Script returning a short string",
    "json_batch_100k": "JSON GET of a 50-item batch from a 100,000-item folder",
    "zmi_contents_100k": "ZMI Contents of a 100,000-item folder, as a logged-in manager",
    "zmi_contents_100": "ZMI Contents of a 100-item folder, as a logged-in manager",
    "json_patch": "JSON PATCH of a property, each commit fsync'd, 4 concurrent writers",
    "catalog_search": "anonymous JSON search of the 100,000 Pages of /big for a word "
                      "about 10 of them hold, first 20 results",
    "catalog_sorted": "anonymous JSON search of /big's Pages by modified, newest 20 first",
    "webdav_propfind_100": "WebDAV PROPFIND, Depth 1, of the 100-item folder /small, "
                           "as the manager",
    "webdav_get_file": "WebDAV GET of the 100 KB File, as the manager",
    "webdav_put": "WebDAV PUT of a 2 KB Page body, 4 concurrent writers",
    "extension_view": "anonymous GET of a view an extension's include(config) registers "
                      "on the Page at depth 1",
}
