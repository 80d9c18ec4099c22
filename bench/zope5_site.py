"""Builds the bench site in a Zope 5 instance; run by Zope, not by objweb.

    bench/.zope5-venv/bin/zconsole run HOME/etc/zope.conf bench/zope5_site.py [BIG [STAMP]]

`zconsole run` binds `app` (the root folder, as the system user) and leaves the
arguments after the script in `sys.argv`. The content mirrors the site that
bench/requests.py describes, with Zope's own kinds of objects: Page Templates
stand for Pages and Templates, a Script (Python) for the Script, an OFS File for
the File, a BTreeFolder2 for the big folder (an OFS Folder keeps its items in one
tuple and could not hold 100,000 of them) and an OFS Folder for the small one.
The big folder's Pages hold the bodies and modification times of
bench/big_pages.py, the same as objweb's, and are catalogued as they are added in
`/catalog`, a ZCatalog with the indexes these searches need (ZCTextIndex with Okapi
BM25 on title and text, a PathIndex, a FieldIndex of meta_type, a DateIndex of the
modification time, and Plone's KeywordIndex of the roles that may View, which an
anonymous search asks for). `/search_json`, a Script (Python), answers a search of
its context in JSON, as objweb's @@search does. It commits the big folder in chunks,
so memory stays bounded, and writes STAMP (by default `BIG`) in
`var/bench-site-built` last: a home without it is built again from scratch.
"""

import os
import sys
import time
from pathlib import Path

import transaction
from App.config import getConfiguration
from DateTime import DateTime
from OFS.Folder import Folder
from OFS.Image import File
from Products.BTreeFolder2.BTreeFolder2 import BTreeFolder2
from Products.PageTemplates.ZopePageTemplate import ZopePageTemplate
from Products.PythonScripts.PythonScript import PythonScript
from Products.ZCatalog.ZCatalog import ZCatalog

# `zconsole run` compiles the script without a __file__: sys.argv names it.
HERE = next(Path(arg).resolve().parent for arg in sys.argv if arg.endswith("zope5_site.py"))
sys.path.insert(0, str(HERE))
import big_pages  # noqa: E402

app = globals()["app"]  # bound by `zconsole run`
BIG = int(sys.argv[4]) if len(sys.argv) > 4 else 100_000
STAMP = sys.argv[5] if len(sys.argv) > 5 else str(BIG)
SMALL, DEPTH, CHUNK = 100, 10, 5_000
# The roles that may View the Pages (acquired from the root: Anonymous and Manager),
# as Plone's allowedRolesAndUsers index stores them for each object.
VIEWERS = ("Anonymous", "Manager")
# objweb's @@search, as a Script: the first `b_size` results of a search below the
# context that the requester may View, as JSON. Restricted code may not import json;
# the values are ids, titles and dates, which need no more escaping than quotes.
SEARCH_PARAMETERS = "text='', meta_type='', sort_on='', sort_order='ascending', b_size=20"
SEARCH_BODY = r"""request = container.REQUEST
user = request.AUTHENTICATED_USER
size = int(b_size)
query = {'path': '/'.join(context.getPhysicalPath()),
         'allowedRolesAndUsers': list(user.getRoles()) + ['Anonymous']}
if text:
    query['SearchableText'] = text
if meta_type:
    query['meta_type'] = meta_type
if sort_on:
    query['sort_on'] = sort_on
    query['sort_order'] = sort_order
    query['sort_limit'] = size
results = context.catalog.searchResults(query)

def quoted(value):
    return '"' + str(value).replace('\\', '\\\\').replace('"', '\\"') + '"'

items = []
for brain in results[:size]:
    items.append('{"@id": %s, "@type": %s, "id": %s, "title": %s, "modified": %s}' % (
        quoted(brain.getURL()), quoted(brain.meta_type), quoted(brain.id),
        quoted(brain.title), quoted(brain.bench_modified.ISO8601())))
request.RESPONSE.setHeader('Content-Type', 'application/json')
return '{"items": [%s], "items_total": %d}' % (', '.join(items), results.actual_result_count)
"""

# The same page objweb renders from its Page (objweb/views/templates/page.pt):
# the title comes from the object, the body is the same 2 KB of HTML.
PAGE_BODY = "<p>" + "Some text of the bench page. " * 70 + "</p>"
PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title tal:content="template/title">title</title>
</head>
<body>
{PAGE_BODY}
</body>
</html>"""
LAYOUT = """<html metal:define-macro="page">
<head><title tal:content="context/title">title</title></head>
<body><h1 tal:content="context/title">title</h1>
<div metal:define-slot="main">default</div></body></html>"""
ROWS = """<html metal:use-macro="context/layout/macros/page">
<div metal:fill-slot="main"><table>
<tr tal:repeat="row python: range(100)"><td tal:content="row">n</td>
<td tal:content="repeat/row/number">i</td><td tal:content="context/title">t</td></tr>
</table></div></html>"""


def add(container, obj):
    container._setObject(obj.getId(), obj)
    return container._getOb(obj.getId())


def template(id, title, text):
    pt = ZopePageTemplate(id, text, "text/html")
    pt.title = title
    return pt


def folder(id, title, kind=Folder):
    made = kind(id)
    made.title = title
    return made


def script(id, title, params, body):
    made = PythonScript(id)
    made.ZPythonScript_setTitle(title)
    made.ZPythonScript_edit(params, body)
    return made


def pages(container, first, count):
    # Each new Page Template compiles its text (40 ms here): the items are copies of
    # one compiled template's stored state, so the database holds what
    # ZopePageTemplate(...) would store, and a copy compiles when first rendered.
    state = template("item", "Item", "<p>x</p>").__getstate__()
    for number in range(first, first + count):
        item = ZopePageTemplate.__new__(ZopePageTemplate)
        item.__setstate__(dict(state, id=f"item-{number:06d}", title=f"Item {number}"))
        add(container, item)


class Extra:
    """The keyword arguments ZCatalog's `addIndex` takes as an object."""

    def __init__(self, **values):
        self.__dict__.update(values)


def make_catalog():
    catalog = add(app, ZCatalog("catalog"))
    catalog.manage_addProduct["ZCTextIndex"].manage_addLexicon(
        "lexicon", elements=[Extra(group="Word Splitter", name="HTML aware splitter"),
                             Extra(group="Case Normalizer", name="Case Normalizer")])
    catalog.addIndex("SearchableText", "ZCTextIndex",
                     Extra(doc_attr="title,PrincipiaSearchSource",
                           index_type="Okapi BM25 Rank", lexicon_id="lexicon"))
    for name, kind in (("meta_type", "FieldIndex"), ("path", "PathIndex"),
                       ("allowedRolesAndUsers", "KeywordIndex")):
        catalog.addIndex(name, kind)
    catalog.addIndex("modified", "DateIndex", Extra(indexed_attrs="bench_modified"))
    for column in ("id", "title", "meta_type", "bench_modified"):
        catalog.addColumn(column)
    return catalog


def catalogued_pages(container, catalog, first, count):
    """The big folder's Pages (bench/big_pages.py), catalogued as they are added."""
    state = template("item", "Item", "<p>x</p>").__getstate__()
    for number in range(first, first + count):
        item = ZopePageTemplate.__new__(ZopePageTemplate)
        item.__setstate__(dict(state, id=f"item-{number:06d}", title=f"Item {number}",
                               _text=big_pages.body(number), allowedRolesAndUsers=VIEWERS,
                               bench_modified=DateTime(big_pages.modified(number, BIG))))
        item = add(container, item)
        catalog.catalog_object(item, uid="/".join(item.getPhysicalPath()))


def build():
    for name in ("layout", "bench", "small", "big", "catalog", "search_json"):
        if name in app.objectIds():
            app._delObject(name)
    add(app, template("layout", "Layout", LAYOUT))
    bench = add(app, folder("bench", "Bench"))
    add(bench, template("page", "A page", PAGE))
    level = bench
    for depth in range(2, DEPTH + 1):
        level = add(level, folder(f"d{depth}", f"Level {depth}"))
    add(level, template("page", "A deep page", PAGE))
    add(bench, File("file", "100 KB", os.urandom(100 * 1024), "application/octet-stream"))
    add(bench, template("rows", "Rows", ROWS))
    add(bench, script("greet", "Greet", "name='world'",
                      "return 'Hello %s from %s' % (name, context.title)"))
    add(bench, template("edit", "Edited", "<p>Edited often.</p>"))
    pages(add(app, folder("small", "Small")), 0, SMALL)
    add(app, folder("big", "Big", BTreeFolder2))
    catalog = make_catalog()
    add(app, script("search_json", "Search as JSON", SEARCH_PARAMETERS, SEARCH_BODY))
    transaction.commit()
    for first in range(0, BIG, CHUNK):
        catalogued_pages(app.big, catalog, first, min(CHUNK, BIG - first))
        transaction.commit()
        app._p_jar.cacheMinimize()


started = time.monotonic()
build()
home = Path(getConfiguration().instancehome)
(home / "var" / "bench-site-built").write_text(f"{STAMP}\n")
app._p_jar.db().close()  # writes the FileStorage index, so Zope starts without a scan
print(f"built the bench site ({BIG} items in /big) in {time.monotonic() - started:.0f} s")
