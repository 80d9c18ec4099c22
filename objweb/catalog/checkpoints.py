"""The checkpoints a search passes: folders whose contents a user may be refused.

The publisher requires `Access contents information` on every object a
request walks through, and search obeys it too: what lies in a folder a
user may not walk through is not found by that user, however viewable it
is. Down the tree that check can only start refusing at checkpoints (see
`objweb.security.visibility.is_checkpoint`), so the catalog keeps the
paths of the containers that are checkpoints (`Catalog.checkpoints`), in
the transaction of the change that makes or unmakes one, and a search
asks the policy about the checkpoints within its scope (and the folders
above it) alone, loading those few objects: it then leaves out the
subtrees under those refused, as sets of docids.

The set is kept by path, so a move or a removal rewrites the paths below
the folder it moves. A change to the set holds current the folders above
the path it writes (and a rewrite the part of the set it read): a move
committed meanwhile makes it fail and retry rather than leave a path that
names nothing. A path too many costs one more check; one too few would
show what should be hidden, so every doubt is settled by keeping a path.
"""

from itertools import takewhile

from BTrees.OOBTree import OOTreeSet

from objweb.catalog.drain import hold_above
from objweb.catalog.store import Catalog, hold_range
from objweb.security.protections import ACCESS
from objweb.security.visibility import is_below, is_checkpoint
from objweb.traversal.location import lineage, path_of
from objweb.traversal.resolve import find


def keep(catalog: Catalog, connection, obj) -> None:
    """Make the set hold the path of `obj` exactly when `obj` is a container and a checkpoint."""
    if catalog.checkpoints is None or obj.__parent__ is None or \
            not getattr(obj, "is_container", False):
        return
    path = path_of(obj)
    wanted = is_checkpoint(obj)
    if wanted == (path in catalog.checkpoints):
        return
    hold_above(connection, obj, set())
    if wanted:
        catalog.checkpoints.insert(path)
    else:
        catalog.checkpoints.remove(path)


def moved(catalog: Catalog, connection, old_path: str, obj) -> None:
    """Move the paths at and below `old_path` to where `obj` is now, and judge `obj` anew."""
    new_path = path_of(obj)
    found = _taken(catalog, connection, old_path)
    if found:
        hold_above(connection, obj, set())
    for path in found:
        catalog.checkpoints.insert(new_path + path[len(old_path):])
    keep(catalog, connection, obj)


def removed(catalog: Catalog, connection, old_path: str) -> None:
    """Forget the paths at and below `old_path`."""
    _taken(catalog, connection, old_path)


def _taken(catalog: Catalog, connection, old_path: str) -> list[str]:
    """Remove the paths at and below `old_path` from the set and return them."""
    if catalog.checkpoints is None:
        return []
    hold_range(connection, catalog.checkpoints, old_path, None)
    found = _from(catalog.checkpoints, old_path)
    for path in found:
        catalog.checkpoints.remove(path)
    return found


def _from(checkpoints, path: str) -> list[str]:
    """Return the paths at and below `path`, in order (a name may hold characters sorting before '/')."""
    start = "" if path == "/" else path
    keys = checkpoints.keys(start)
    return [key for key in takewhile(lambda key: key.startswith(start), keys)
            if is_below(key, path)]


def settle_below(catalog: Catalog, connection, root, path: str) -> None:
    """Drop the paths at and below `path` that no longer name a checkpoint (after a reindex)."""
    for found in _from(catalog.checkpoints, path):
        try:
            obj = find(root, found)
        except (KeyError, ValueError):
            obj = None
        if obj is None or not getattr(obj, "is_container", False) or not is_checkpoint(obj):
            catalog.checkpoints.remove(found)


def fill(catalog: Catalog, root) -> None:
    """Give a catalog made before checkpoints were kept the checkpoints of the whole site.

    Only containers are loaded: a ghost tells its class without loading.
    """
    catalog.checkpoints = OOTreeSet()
    pending = [root]
    while pending:
        node = pending.pop()
        if node is not root and is_checkpoint(node):
            catalog.checkpoints.insert(path_of(node))
        pending.extend(child for child in node.values()
                       if getattr(type(child), "is_container", False))


def refused_above(root, base_path: str, policy) -> str | None:
    """Return the first folder from the root down to `base_path` that `policy` may not walk through.

    None when every one may be walked through; `base_path` itself when no
    object is there (nothing can be found below it).
    """
    try:
        base = find(root, base_path)
    except (KeyError, ValueError):
        return base_path
    for node in reversed(list(lineage(base))):
        if not policy.can(ACCESS, node):
            return path_of(node)
    return None


def refused_below(catalog: Catalog, root, base_path: str, policy) -> list[str]:
    """Return the checkpoints below `base_path` that `policy` may not walk through, in path order.

    One under another refused is left out: nothing below that is found anyway.
    """
    closed: list[str] = []
    for path in _from(catalog.checkpoints, base_path):
        if path == base_path or any(is_below(path, done) for done in closed):
            continue
        try:
            obj = find(root, path)
        except (KeyError, ValueError):
            # Nothing is there: nothing live lies below it either.
            obj = None
        if obj is None or not policy.can(ACCESS, obj):
            closed.append(path)
    return closed
