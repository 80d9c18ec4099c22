"""Walking an object's parents: lineage, containment, paths and URLs.

Every room reuses these few functions instead of following `__parent__`
pointers by hand. They rely only on the location protocol: `__name__` and
`__parent__`.
"""

from collections.abc import Iterator
from urllib.parse import quote


def lineage(obj) -> Iterator:
    """Yield `obj`, then its parent, and so on up to the root."""
    while obj is not None:
        yield obj
        obj = getattr(obj, "__parent__", None)


def is_inside(obj, ancestor) -> bool:
    """Return whether `ancestor` is `obj` or one of its parents."""
    return any(node is ancestor for node in lineage(obj))


def root_of(obj):
    """Return the top of `obj`'s lineage."""
    for node in lineage(obj):
        top = node
    return top


def path_segments(obj, root=None) -> list[str]:
    """Return the names leading from the root (or from `root`) to `obj`.

    Raises `ValueError` if `root` is given and `obj` is not inside it.
    """
    names = []
    node = obj
    # A plain loop, not `lineage`: this runs for every URL and every decision.
    while node is not root and getattr(node, "__parent__", None) is not None:
        names.append(node.__name__)
        node = node.__parent__
    if root is not None and node is not root:
        raise ValueError(f"{path_of(obj)} is not inside {path_of(root)}")
    names.reverse()
    return names


def path_of(obj) -> str:
    """Return the slash-separated path of `obj`: `/` for the root."""
    return "/" + "/".join(path_segments(obj))


def url_of(obj, base_url: str, root=None) -> str:
    """Return the URL of `obj` where `base_url` is the URL of `root` (default: the site root).

    Virtual hosting passes the object it maps the host to as `root`. Names
    are quoted, so any valid name makes a valid URL. Raises `ValueError` for
    an object outside `root`.
    """
    base = base_url.rstrip("/")
    segments = path_segments(obj, root)
    if not segments:
        return base + "/"
    return base + "/" + "/".join(quote(name, safe="") for name in segments)
