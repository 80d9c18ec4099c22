"""The catalog: what lies where in the site, searchable without walking the tree.

Indexes (zope.index) in the database, kept current by the object events
through a queue written in each change's transaction (see `queue`), and
answered for whoever asks (see `search`). The room sits above content and
security and below storage, which makes the catalog when it opens a site.
"""

from objweb.catalog.background import Progress, ReindexJob
from objweb.catalog.drain import Drainer, drain, drain_all, queue_length
from objweb.catalog.manage import (
    IndexFacts, add_index, catalog_lacks, clear, declare_index, declared_indexes, ensure_catalog, forget_index,
    include, index_clashes, index_facts, is_built, keep_declared, objects_indexed, queued,
    remove_index, requeue)
from objweb.catalog.reindex import reindex
from objweb.catalog.results import Result, Results
from objweb.catalog.search import CatalogMissingError, find_results, search

__all__ = [
    "CatalogMissingError", "Drainer", "IndexFacts", "Progress", "ReindexJob", "Result", "Results",
    "add_index", "catalog_lacks", "clear", "declare_index", "declared_indexes", "drain", "drain_all",
    "ensure_catalog", "find_results", "forget_index", "include", "index_clashes", "index_facts",
    "is_built", "keep_declared", "objects_indexed", "queue_length", "queued", "reindex",
    "remove_index", "requeue", "search",
]
