"""Making the catalog, adding and removing custom indexes, and what each index holds.

`ensure_catalog(db)` makes the catalog of a database that has none, in a
transaction of its own (so that no change of the site's carries the
database's root mapping, which the Undo tab would then refuse): a new site
gets an empty catalog that its changes fill; a site that had objects before
gets one that is not built yet, which searches answer by walking the tree
until `objweb reindex` (or `objweb serve`'s drainer) has read it all. A
catalog made before it kept checkpoints is given them at its first opening.

Installed extensions declare indexes (`declare_index`); when a site starts
being served (`keep_declared`, called where the extensions are loaded) the
catalog gets those it lacks, as a Manager adding them would, and one of the
same name a Manager made with another kind is left alone.
"""

from dataclasses import dataclass

from ZODB.POSException import ConflictError

from objweb.catalog import checkpoints, code, custom, subscribers
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
# Indexes the installed extensions declare, by name: the kind, and who declares it.
_declared: dict[str, tuple[str, tuple[str, ...]]] = {}


def declare_index(name: str, kind: str, declared_by: str) -> None:
    """Have every site this process opens keep the custom index `name` of `kind`.

    Several may declare one index, of one kind. Raises `ValueError` for a
    bad name or kind, or a name declared with another kind.
    """
    custom.check_index_name(name)
    custom.check_kind(kind)
    known_kind, declarers = _declared.get(name, (kind, ()))
    if known_kind != kind:
        raise ValueError(f"the index {name!r} is declared as a {known_kind} index by "
                         f"{declarers[0]}")
    if declared_by not in declarers:
        _declared[name] = (kind, declarers + (declared_by,))


def forget_index(name: str, declared_by: str) -> None:
    """Withdraw `declared_by`'s declaration of `name`; what sites hold stays."""
    kind, declarers = _declared.get(name, ("", ()))
    rest = tuple(declarer for declarer in declarers if declarer != declared_by)
    if rest:
        _declared[name] = (kind, rest)
    else:
        _declared.pop(name, None)


def declared_indexes() -> dict[str, tuple[str, str]]:
    """Return the declared indexes: name -> (kind, who declared it first)."""
    return {name: (kind, declarers[0]) for name, (kind, declarers) in _declared.items()}


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
        mapping[CATALOG_KEY] = Catalog(built=site_root(connection) is None)
        connection.transaction_manager.get().note(CATALOG_NOTE + " made the catalog")
    return True


def keep_declared(db) -> None:
    """Bring the catalog of `db` up to the installed extensions, as a site starts being served.

    The indexes they declare are added if missing, to be filled as
    `add_index` fills them; objects indexed while their class was missing
    are queued to be indexed again once it is back. Processes starting
    together over one database (ZEO) may both try: the one that loses the
    commit looks again.
    """
    ensure_catalog(db)
    attempt = 1
    while True:
        try:
            with db.transaction() as connection:
                catalog = catalog_of(connection)
                _add_declared(connection, catalog)
                _requeue_mended(connection, catalog)
            return
        except ConflictError:
            if attempt == ATTEMPTS:
                raise
            attempt += 1


def _add_declared(connection, catalog: Catalog) -> None:
    added = [name for name in _declared if name not in catalog.custom]
    for name in added:
        catalog.add_custom(name, _declared[name][0])
    if added:
        connection.transaction_manager.get().note(
            f"{CATALOG_NOTE} added the declared indexes {', '.join(added)}")
        subscribers.drain_after_commit(connection)


def _requeue_mended(connection, catalog: Catalog) -> None:
    # Objects indexed while broken (moved then) are indexed anew once their package is back.
    mended = mended_docids(catalog, connection)
    for docid in mended:
        shard_of(catalog.queue, docid).mark(docid, CONTENT)
    if mended:
        connection.transaction_manager.get().note(
            f"{CATALOG_NOTE} queued {len(mended)} objects whose class is back")
        subscribers.drain_after_commit(connection)


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
    """What one index holds: its name, kind, documents and distinct values (or words)."""

    name: str
    kind: str
    documents: int
    values: int
    custom: bool = False
    filling: int = 0


def index_facts(context) -> list[IndexFacts]:
    """Return what each index of `context`'s catalog holds, built-in ones first."""
    catalog = _catalog_near(context)
    found = []
    for name in FIELD_INDEXES + TEXT_INDEXES + catalog.custom_names():
        index = catalog.indexes[name]
        kind = catalog.custom.get(name) or ("text" if name in TEXT_INDEXES else "field")
        filling = catalog.filling.get(name)
        found.append(IndexFacts(name, kind, int(index.documentCount()), int(index.wordCount()),
                                custom=name in catalog.custom,
                                filling=len(filling) if filling is not None else 0))
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

