"""Making the catalog, adding and removing custom indexes, and what each index holds.

`ensure_catalog(db)` makes the catalog of a database that has none, in a
transaction of its own (so that no change of the site's carries the
database's root mapping, which the Undo tab would then refuse): a new site
gets an empty catalog that its changes fill; a site that had objects before
gets one that is not built yet, which searches answer by walking the tree
until `objweb reindex` (or `objweb serve`'s drainer) has read it all. A
catalog made before it kept checkpoints is given them at its first opening.

Installed extensions declare indexes (`declare_index`). A catalog made with
its site gets them at once; a site that had objects before gets them
from `objweb upgrade` (`keep_declared`), as a Manager adding them would, since
filling an index reads every object and a start must not write: `catalog_lacks`
says what the catalog waits for, for `objweb serve` to log. One of the same
name a Manager made with another kind is left alone.
"""

from dataclasses import dataclass

from ZODB.POSException import ConflictError

from objweb.catalog import checkpoints, code, subscribers
from objweb.catalog.declared import declare_index, declared_indexes, forget_index
from objweb.catalog.queue import CONTENT, backlog, shard_of
from objweb.catalog.store import (
    CATALOG_KEY, CATALOG_NOTE, FIELD_INDEXES, TEXT_INDEXES, Catalog, catalog_of, mended_docids)
from objweb.content.site import site_root
from objweb.traversal.location import lineage


def include(registry=None):
    """Keep catalogs current from now on in this process, and let code search; return `registry`.

    Idempotent. The application's wiring calls it (`objweb.app.configure`),
    and so does every opening of a site (`ensure_catalog`), so that the
    Python API keeps catalogs current without a web application.
    """
    subscribers.include(registry)
    code.include()
    return registry


ATTEMPTS = 3
def ensure_catalog(db) -> bool:
    """Make the catalog if `db` has none and keep it current from now on; return whether made."""
    include()
    with db.transaction() as connection:
        mapping = connection.root()
        catalog = mapping.get(CATALOG_KEY)
        if catalog is not None:
            root = site_root(connection)
            if catalog.checkpoints is None and root is not None:
                checkpoints.fill(catalog, root)
                connection.transaction_manager.get().note(CATALOG_NOTE + " found the checkpoints")
            return False
        made = mapping[CATALOG_KEY] = Catalog(built=site_root(connection) is None)
        if made.built:
            # Empty, so the declared indexes cost nothing to add now.
            for name, (kind, _declared_by) in declared_indexes().items():
                made.add_custom(name, kind)
        connection.transaction_manager.get().note(CATALOG_NOTE + " made the catalog")
    return True


def catalog_lacks(db) -> list[str]:
    """Return a sentence for each thing `keep_declared` would do to the catalog of `db`.

    Writes nothing: the indexes the installed extensions declare that the
    catalog lacks, and how many of the objects it holds as broken load whole
    again (their package is back; each of those is loaded to tell, and
    objects still broken are not named, since an upgrade would not mend them).
    """
    with db.transaction() as connection:
        catalog = catalog_of(connection)
        if catalog is None:
            return []
        lacking = [f"the catalog lacks the {kind} index {name!r} that {declared_by} declares"
                   for name, (kind, declared_by) in sorted(declared_indexes().items())
                   if name not in catalog.custom]
        mended = len(mended_docids(catalog, connection))
    if mended:
        lacking.append(f"the catalog holds {mended} object{'' if mended == 1 else 's'} as "
                       "broken whose class is back, to index again")
    return lacking


def keep_declared(db) -> list[str]:
    """Bring the catalog of `db` up to the installed extensions; return what it did.

    The indexes they declare are added if missing, to be filled as
    `add_index` fills them; objects indexed while their class was missing
    are queued to be indexed again once it is back. Processes running this
    together over one database (ZEO) may both try: the one that loses the
    commit looks again.
    """
    ensure_catalog(db)
    attempt = 1
    while True:
        try:
            with db.transaction() as connection:
                catalog = catalog_of(connection)
                return _add_declared(connection, catalog) + _requeue_mended(connection, catalog)
        except ConflictError:
            if attempt == ATTEMPTS:
                raise
            attempt += 1


def _add_declared(connection, catalog: Catalog) -> list[str]:
    declared = declared_indexes()
    added = [name for name in declared if name not in catalog.custom]
    for name in added:
        catalog.add_custom(name, declared[name][0])
    return _noted(connection, f"added the declared indexes {', '.join(added)}") if added else []


def _requeue_mended(connection, catalog: Catalog) -> list[str]:
    # Objects indexed while broken (moved then) are indexed anew once their package is back.
    mended = mended_docids(catalog, connection)
    for docid in mended:
        shard_of(catalog.queue, docid).mark(docid, CONTENT)
    if not mended:
        return []
    return _noted(connection, f"queued {len(mended)} object{'' if len(mended) == 1 else 's'} "
                              "whose class is back")


def _noted(connection, done: str) -> list[str]:
    """Note what `keep_declared` did in the transaction, have it drained after, return it."""
    connection.transaction_manager.get().note(f"{CATALOG_NOTE} {done}")
    subscribers.drain_after_commit(connection)
    return [done]


def index_clashes(db) -> list[str]:
    """Return a sentence for each declared index the site keeps with another kind."""
    with db.transaction() as connection:
        catalog = catalog_of(connection)
        kept = dict(catalog.custom.items()) if catalog is not None else {}
    return [f"{who} declares a {kind} index {name!r}, but the catalog keeps a "
            f"{kept[name]} index of that name; remove it in the Catalog screen to have "
            f"the {kind} index instead"
            for name, (kind, who) in sorted(declared_indexes().items())
            if name in kept and kept[name] != kind]


def _catalog_near(context) -> Catalog:
    for node in lineage(context):
        jar = getattr(node, "_p_jar", None)
        if jar is not None:
            catalog = catalog_of(jar)
            if catalog is not None:
                return catalog
    raise ValueError("this object is not in a site with a catalog")


def add_index(context, name: str, kind: str) -> None:
    """Add a custom index `name` of `kind` to the catalog of `context`'s site.

    It is filled from every indexed object by the drainer (at once after
    the commit when no drainer runs here); until then a query on it is
    refused. Raises `ValueError` for a bad name or kind, or a name taken
    by an index of another kind.
    """
    catalog = _catalog_near(context)
    catalog.add_custom(name, kind)
    subscribers.drain_after_commit(catalog._p_jar)


def requeue(obj, *, below: bool = True) -> None:
    """Queue `obj` (and, if `below`, all that lies below it) to be indexed anew.

    For changes that sent no event: an undo writes old states back under
    the objects' feet. Nothing happens outside a site with a catalog.
    """
    connection = getattr(obj, "_p_jar", None)
    catalog = catalog_of(connection) if connection is not None else None
    if catalog is not None:
        subscribers.requeue(catalog, connection, obj, below=below)


def clear(context) -> None:
    """Empty the catalog of `context`'s site; searches walk the tree until a full reindex."""
    _catalog_near(context).clear()


def remove_index(context, name: str) -> None:
    """Remove the custom index `name`. Raises `KeyError` if there is none."""
    _catalog_near(context).remove_custom(name)


@dataclass(frozen=True)
class IndexFacts:
    """What one index holds: its name, kind, documents and distinct values (or words).

    `declared_by` names the installed extension that declares a custom index.
    """

    name: str
    kind: str
    documents: int
    values: int
    custom: bool = False
    filling: int = 0
    declared_by: str | None = None


def index_facts(context) -> list[IndexFacts]:
    """Return what each index of `context`'s catalog holds, built-in ones first."""
    catalog = _catalog_near(context)
    declared = declared_indexes()
    found = []
    for name in FIELD_INDEXES + TEXT_INDEXES + catalog.custom_names():
        index = catalog.indexes[name]
        kind = catalog.custom.get(name) or ("text" if name in TEXT_INDEXES else "field")
        filling = catalog.filling.get(name)
        found.append(IndexFacts(name, kind, int(index.documentCount()), int(index.wordCount()),
                                custom=name in catalog.custom,
                                filling=len(filling) if filling is not None else 0,
                                declared_by=declared[name][1] if name in declared else None))
    return found


def queued(context) -> int:
    """Return how many changes wait in the queue of `context`'s catalog."""
    return backlog(_catalog_near(context).queue)


def objects_indexed(context) -> int:
    """Return how many objects the catalog of `context`'s site holds."""
    return len(_catalog_near(context))


def is_built(context) -> bool:
    """Return whether the catalog has read the whole site once (searches use the indexes)."""
    return _catalog_near(context).built

