"""`search(context, **query)`: a query from any door, answered for whoever asks.

Who asks decides what is found. In a Script or Template, the code's
policy: the user running it and each owner of the code, all of whom must
be allowed to View a result (executable ownership). In a request, the
user who made it. Under `objweb.site(db, user="x")`, the user `x` as the
user folders above the context know it. Trusted code with no user sees
everything.
"""

from BTrees import family64

from objweb.catalog.checkpoints import refused_above, refused_below
from objweb.catalog.engine import Filters
from objweb.catalog.evaluate import matches, live_score
from objweb.catalog.fulltext import text_hits
from objweb.catalog.gate import Gate
from objweb.catalog.declared import declared_indexes
from objweb.catalog.overlay import Overlay
from objweb.catalog.query import Query, parse_query
from objweb.catalog.record import StateCache, describe
from objweb.catalog.results import Results
from objweb.catalog.sorting import Sort
from objweb.catalog.store import Catalog, broken_docids, catalog_of
from objweb.content.broken import BrokenItem, is_broken
from objweb.content.registry import type_names
from objweb.content.site import site_root
from objweb.errors import ObjwebError
from objweb.security.authentication import principal_by_login
from objweb.security.ownership import is_trusted
from objweb.security.policy import SecurityPolicy, TrustedPolicy
from objweb.security.principals import TRUSTED_CODE, current_principal
from objweb.sandbox.run import CodePolicy, active_run
from objweb.security.visibility import viewer_of
from objweb.traversal.location import lineage, path_of
from objweb.traversal.resolve import find

IF = family64.IF


class CatalogMissingError(ObjwebError, LookupError):
    """The database has no catalog: it was not opened through objweb."""


def search(context, **query) -> Results:
    """Return what lies below `context` (or `path`) and answers `query`, in order.

    The keys are the query vocabulary (see `objweb.catalog.query`); a value
    may be a list where a key takes several. Raises `ValueError` naming
    the first key that is unknown or has a bad value.
    """
    return find_results(context, lists_of(query))


def lists_of(query: dict) -> dict:
    """Return `query` with each value a list: keys that take several take a list, tuple or set."""
    return {key: list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
            for key, value in query.items()}


def _parse(raw: dict, context, catalog: Catalog) -> Query:
    try:
        return parse_query(raw, context_path=path_of(context),
                           indexes=dict(catalog.custom.items()))
    except ValueError:
        for name, (_kind, declared_by) in declared_indexes().items():
            if name not in catalog.custom and any(
                    key == name or key.startswith(f"{name}_") for key in raw):
                raise ValueError(f"{name}: the catalog lacks this index, which {declared_by} "
                                 "declares; run `objweb upgrade` to add it") from None
        raise


def find_results(context, raw: dict, policy=None) -> Results:
    """Return the results of `raw` (each key mapped to a list of values) below `context`.

    `policy` is whose rights decide (a security or code policy); None: the
    running code's, as `search` says. Raises `ValueError` as `search` does.
    """
    connection = _connection_of(context)
    catalog = catalog_of(connection)
    if catalog is None:
        raise CatalogMissingError("this database has no catalog; open it with objweb.site() "
                                  "or objweb.open_db() first")
    query = _parse(raw, context, catalog)
    for condition in query.conditions:
        if catalog.is_filling(condition.name):
            raise ValueError(f"{condition.name}: the index is still being filled; "
                             f"try again when the catalog has drained")
    policy = policy if policy is not None else running_policy(context)
    gate = Gate(catalog, viewers_of(policy), policy=policy)
    return answer(catalog, connection, query, gate)


def answer(catalog: Catalog, connection, query: Query, gate: Gate) -> Results:
    """Return the results of a checked `query`, filtered by `gate`."""
    root = site_root(connection)
    overlay = Overlay(catalog, connection, root)
    gate.stale, gate.live_tokens = overlay.security, overlay.live_tokens
    sort_on = query.sort_on or ("relevance" if query.text is not None else None)
    within = getattr(query, sort_on) if sort_on in ("created", "modified") else (None, None)
    sort = Sort(sort_on, query.descending, within=within)
    # Until the indexes (and checkpoints) hold the whole site, the tree itself is walked.
    walks = not catalog.built or catalog.checkpoints is None
    if not gate.is_open:
        _close(catalog, root, query.path, gate, walks)
    if gate.shut:
        return _results(catalog, connection, root, IF.Set(), {}, sort, query)
    if walks:
        extras = _walked(catalog, root, query, gate, overlay.states)
        return _results(catalog, connection, root, IF.Set(), extras, sort, query)
    filters = Filters(catalog, query)
    scores = None
    if query.text is not None:
        guard = None if gate.is_open else (lambda docids: gate.visible(docids, "guarded_allowed"))
        scores = text_hits(catalog, query.text, guard=guard or _everything,
                           restrict=filters.smallest())
        hits = filters.apply(IF.Set(scores.keys()))
    else:
        hits = filters.apply()
    if overlay.excluded:
        hits = IF.difference(hits, overlay.excluded)
    broken = broken_docids(catalog, connection, set(type_names()))
    hits = gate.visible(hits)
    if broken:
        hits = IF.difference(hits, broken)
    extras = {docid: entry for docid, entry in overlay.entries().items()
              if entry.type_name != BrokenItem.type_name and matches(entry, query, gate)}
    return _results(catalog, connection, root, hits, extras, sort, query, scores)


def _close(catalog: Catalog, root, base_path: str, gate: Gate, walks: bool) -> None:
    """Close `gate` on the folders its policy may not walk through, from the root down."""
    above = refused_above(root, base_path, gate.policy)
    if above is not None:
        gate.close([above], base_path)
    elif not walks:
        gate.close(refused_below(catalog, root, base_path, gate.policy), base_path)


def _results(catalog, connection, root, hits, extras, sort, query, scores=None) -> Results:
    if sort.on == "relevance":
        scores = dict(scores.items()) if scores is not None else {}
        scores.update({docid: live_score(catalog, query.text, entry)
                       for docid, entry in extras.items()})
    return Results(catalog, connection, root, hits=hits, extras=extras, sort=sort,
                   scores=scores)


def _everything(docids):
    return docids


def _walked(catalog: Catalog, root, query: Query, gate: Gate, states: StateCache) -> dict:
    """Return the entries answering `query`, by docid, read from the tree itself."""
    try:
        base = find(root, query.path)
    except (KeyError, ValueError):
        return {}
    names = catalog.custom_names()
    found = {}
    pending = [(base, 0)]
    while pending:
        node, level = pending.pop()
        if level and node._p_oid is not None and not is_broken(node):
            entry = describe(node, states, names)
            if matches(entry, query, gate):
                found[int.from_bytes(node._p_oid, "big")] = entry
        if getattr(node, "is_container", False) and (query.depth is None or level < query.depth) \
                and gate.may_walk_through(node):
            pending.extend((child, level + 1) for child in node.values())
    return found


def running_policy(context):
    """Return the policy of whoever the running code acts for (a TrustedPolicy for trusted code)."""
    run = active_run()
    if run is not None:
        return run.policy
    principal = current_principal()
    if principal == TRUSTED_CODE:
        return TrustedPolicy()
    if is_trusted(principal):
        # A user named by trusted code: the user the user folders above know by that id.
        principal = principal_by_login(context, principal.id) or principal
    return SecurityPolicy(principal)


def viewers_of(policy) -> list | None:
    """Return the viewers a policy decides for: None when nothing is hidden from it."""
    policies = [policy.user, *policy.owners] if isinstance(policy, CodePolicy) else [policy]
    viewers = [viewer for viewer in map(viewer_of, policies) if viewer is not None]
    return viewers or None


def _connection_of(context):
    for node in lineage(context):
        jar = getattr(node, "_p_jar", None)
        if jar is not None:
            return jar
    raise ValueError("search: the context is not stored in a database")
