"""Builds the bench site in a Zope 5 instance; run by Zope, not by objweb.

    bench/.zope5-venv/bin/zconsole run HOME/etc/zope.conf bench/zope5_site.py [BIG]

`zconsole run` binds `app` (the root folder, as the system user) and leaves the
arguments after the script in `sys.argv`. The content mirrors the site that
bench/requests.py describes, with Zope's own kinds of objects: Page Templates
stand for Pages and Templates, a Script (Python) for the Script, an OFS File for
the File, a BTreeFolder2 for the big folder (an OFS Folder keeps its items in one
tuple and could not hold 100,000 of them) and an OFS Folder for the small one.
It commits the big folder in chunks, so memory stays bounded, and writes
`var/bench-site-built` last: a home without it is built again from scratch.
"""

import os
import sys
import time
from pathlib import Path

import transaction
from App.config import getConfiguration
from OFS.Folder import Folder
from OFS.Image import File
from Products.BTreeFolder2.BTreeFolder2 import BTreeFolder2
from Products.PageTemplates.ZopePageTemplate import ZopePageTemplate
from Products.PythonScripts.PythonScript import PythonScript

app = globals()["app"]  # bound by `zconsole run`
BIG = int(sys.argv[4]) if len(sys.argv) > 4 else 100_000
SMALL, DEPTH, CHUNK = 100, 10, 5_000

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


def build():
    for name in ("layout", "bench", "small", "big"):
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
    transaction.commit()
    for first in range(0, BIG, CHUNK):
        pages(app.big, first, min(CHUNK, BIG - first))
        transaction.commit()
        app._p_jar.cacheMinimize()


started = time.monotonic()
build()
home = Path(getConfiguration().instancehome)
(home / "var" / "bench-site-built").write_text(f"{BIG}\n")
app._p_jar.db().close()  # writes the FileStorage index, so Zope starts without a scan
print(f"built the bench site ({BIG} items in /big) in {time.monotonic() - started:.0f} s")
