"""The Page of the catalog bench in Zope 5: a simple item with a title, HTML text and two dates.

Imported by Zope's Python (bench/zope5_catalog.py puts bench/ on its path), never
by objweb. Its attributes are what the ZCatalog indexes read: `meta_type`,
`getPhysicalPath` (path), `SearchableText`, `sortable_title`, `bench_created`
and `bench_modified` (datetimes, for DateIndex) and `allowedRolesAndUsers`
(Plone's security index: the roles that may View, as the catalog stores them).
"""

import re

from OFS.SimpleItem import SimpleItem

_TAGS = re.compile(r"<[^>]*>")


class BenchPage(SimpleItem):
    meta_type = "Bench Page"

    def __init__(self, id, title, text, created, modified, allowed):
        self.id = id
        self.title = title
        self.text = text
        self.bench_created = created
        self.bench_modified = modified
        self.allowedRolesAndUsers = allowed

    def SearchableText(self):  # noqa: N802 (the catalog's name)
        return self.title + " " + _TAGS.sub(" ", self.text)

    def sortable_title(self):
        return self.title.lower()
