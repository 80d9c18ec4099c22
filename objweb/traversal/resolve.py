"""From URL segments to the object they reach.

Traversal uses item access only, as Pyramid's does: each segment names an item
of the current container. It stops at an `@@view` segment, at a plain view
name the type publishes (such as `manage`), at a Template or Script acquired
by name from an ancestor or followed by more names (which become its
subpath), or at the first name that leads nowhere. It returns
a plain record; checking permissions on it is the publisher's work.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from objweb.errors import NotFoundError
from objweb.names import split_path
from objweb.traversal.location import lineage
from objweb.traversal.views import ViewRegistry

VIEW_PREFIX = "@@"


@dataclass(frozen=True)
class TraversalResult:
    """What a path reached.

    `obj` is the object the path ends on. `context` is the object it acts on:
    `obj` itself, except for a Template or Script, which runs in the context of
    the object it was reached through (its container, or the object that
    acquired it). `view_name` is None when no view was named. `subpath` holds
    the segments left after a view or an acquired object. `chain` lists the
    objects walked through, root first, ending with `context`. `missing` is the
    first name that led nowhere; then `obj` is the last object reached.
    `acquired` says whether `obj` was found in an ancestor rather than by name.
    """

    obj: object
    context: object
    view_name: str | None = None
    subpath: tuple[str, ...] = ()
    chain: tuple = field(default=(), repr=False)
    missing: str | None = None
    acquired: bool = False

    @property
    def found(self) -> bool:
        """Whether every segment led somewhere."""
        return self.missing is None


def is_container(obj) -> bool:
    """Return whether `obj` holds items that traversal may step into."""
    return getattr(obj, "is_container", False)


def is_acquirable(obj) -> bool:
    """Return whether `obj` may be acquired by name (Templates and Scripts)."""
    return getattr(obj, "is_acquirable", False)


def child(obj, name: str):
    """Return the item `name` of container `obj`, or None."""
    if not is_container(obj):
        return None
    try:
        return obj[name]
    except (KeyError, ValueError):
        return None


def acquire(obj, name: str):
    """Return the Template or Script `name` found nearest above `obj`, or None.

    Only objects marked acquirable are found; a same-named object of another
    kind is passed over, never returned.
    """
    for ancestor in lineage(getattr(obj, "__parent__", None)):
        found = child(ancestor, name)
        if found is not None and is_acquirable(found):
            return found
    return None


def traverse(root, segments: Sequence[str], registry: ViewRegistry) -> TraversalResult:
    """Walk `segments` from `root` and return where they lead.

    `registry` says which names are plain views of an object (such as
    `manage`). Empty segments and `.` are skipped; `..` and any other name
    that reaches nothing end the walk with `missing` set.
    """
    obj = root
    chain = [root]
    for index, segment in enumerate(segments):
        if segment in ("", "."):
            continue
        if segment.startswith(VIEW_PREFIX) and len(segment) > len(VIEW_PREFIX):
            return TraversalResult(obj, obj, segment[len(VIEW_PREFIX):],
                                   tuple(segments[index + 1:]), tuple(chain))
        # `child(obj, segment)`, written out: this runs for every folder of every URL.
        item = None
        if segment != ".." and getattr(obj, "is_container", False):
            try:
                item = obj[segment]
            except (KeyError, ValueError):
                pass
        if item is not None:
            obj = item
            chain.append(item)
            continue
        # The walk ends here: the names left over are the subpath.
        rest = tuple(segments[index + 1:])
        if registry.has_plain_view(obj, segment):
            return TraversalResult(obj, obj, segment, rest, tuple(chain))
        if is_acquirable(obj) and len(chain) > 1:
            # A Template or Script reached by name takes the rest as its subpath.
            return TraversalResult(obj, chain[-2], None, (segment,) + rest, tuple(chain[:-1]))
        acquired = acquire(obj, segment) if segment != ".." else None
        if acquired is not None:
            return TraversalResult(acquired, obj, None, rest, tuple(chain), acquired=True)
        return TraversalResult(obj, obj, None, rest, tuple(chain), missing=segment)
    if is_acquirable(obj) and len(chain) > 1:
        # A Template or Script reached by name runs in its container.
        return TraversalResult(obj, chain[-2], None, (), tuple(chain[:-1]))
    return TraversalResult(obj, obj, None, (), tuple(chain))


def find(root, path: str):
    """Return the object at `path` (`/news/hello`) below `root`.

    Only items are followed: no views, no acquisition. Raises `NotFoundError`
    (a `KeyError`) when a name leads nowhere and `ValueError` for a path with
    `..`.
    """
    obj = root
    for name in split_path(path):
        item = child(obj, name)
        if item is None:
            raise NotFoundError(f"no object at {path!r}: {name!r} is missing")
        obj = item
    return obj
