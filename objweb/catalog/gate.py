"""Only what the viewer may View: the `allowed` index, read the cheap way round.

A site has a handful of distinct token sets (most content shares its
folder's), so each viewer's filter is decided once per distinct value:
the hits less the union of the sets the viewer matches no token of (a
Manager usually matches every value and pays nothing), or, for a few
hits, a look at each one's value. A user of a nested user folder is
somebody only inside its domain, anonymous elsewhere. Executable ownership
makes several viewers (the user and each owner of the code): a result
must pass them all.

Docids whose own values the indexes hold but whose View tokens are behind
(queued `SECURITY` only: a folder above changed its permissions) are
decided by their tokens computed now, from the tree, instead.

What lies below a folder a viewer may not walk through (`closed`, see
`objweb.catalog.checkpoints`) is left out too, as the publisher would
refuse it; the folder itself may still be found.
"""

from BTrees import family64

from objweb.catalog.store import Catalog
from objweb.security.protections import ACCESS
from objweb.security.visibility import ANONYMOUS_TOKEN, Viewer, is_below, is_visible

IF = family64.IF
PROBE_LIMIT = 64


class Gate:
    """Filters docids for viewers, by one tokens index or another.

    `viewers` is None for trusted code, which sees everything; `policy`
    decides for them who may walk through a folder. `stale` is the set of
    docids whose tokens must come from `live_tokens(docid, index_name)` (a
    tuple, or None for no tokens) rather than the index.
    """

    def __init__(self, catalog: Catalog, viewers: list[Viewer] | None, *, policy=None,
                 stale=None, live_tokens=None):
        self.catalog = catalog
        self.viewers = viewers
        self.policy = policy
        self.stale = stale if stale is not None else IF.Set()
        self.live_tokens = live_tokens
        self.closed: tuple = ()
        self.shut = False
        self._closed_docids = None

    def close(self, paths, base: str) -> None:
        """Leave out what lies below `paths`; all of it when one is `base` or above it."""
        self.closed = tuple(paths)
        self.shut = any(is_below(base, path) for path in self.closed)
        self._closed_docids = None

    def may_walk_through(self, obj) -> bool:
        """Return whether the viewers may walk through `obj` (to what it holds)."""
        return self.viewers is None or self.policy is None or self.policy.can(ACCESS, obj)

    @property
    def is_open(self) -> bool:
        """Whether everything passes (trusted code)."""
        return self.viewers is None

    def visible(self, docids, index: str = "allowed"):
        """Return the docids of `docids` every viewer may see (for `index`'s permission)."""
        if self.viewers is None or not docids:
            return docids
        if self.shut:
            return IF.Set()
        docids = self._outside_closed(docids)
        stale = IF.intersection(docids, self.stale) if self.stale else IF.Set()
        found = IF.difference(docids, stale) if stale else docids
        for viewer in self.viewers:
            if not found:
                break
            found = self._for_viewer(found, viewer, index)
        if stale:
            found = IF.union(found, IF.Set(docid for docid in stale
                                           if self.passes(docid, index)))
        return found

    def passes(self, docid: int, index: str = "allowed") -> bool:
        """Return whether a stale docid's live tokens let every viewer see it."""
        tokens = self.live_tokens(docid, index)
        if tokens is None:
            return False
        path = self.catalog.metadata[docid][0]
        return all(is_visible(tokens, viewer, path) for viewer in self.viewers)

    def allows(self, tokens, path: str, index: str = "allowed") -> bool:
        """Return whether an object with `tokens` at `path` passes every viewer."""
        if self.viewers is None:
            return True
        if self.shut or any(path != closed and is_below(path, closed) for closed in self.closed):
            return False
        return all(is_visible(tokens, viewer, path) for viewer in self.viewers)

    def _outside_closed(self, docids):
        if not self.closed:
            return docids
        if self._closed_docids is None:
            self._closed_docids = IF.multiunion([self.catalog.below(path)
                                                 for path in self.closed])
        return IF.difference(docids, self._closed_docids)

    def _for_viewer(self, docids, viewer: Viewer, index: str):
        forward = self.catalog.field(index)._fwd_index
        if len(docids) < PROBE_LIMIT:
            reverse = self.catalog.field(index)._rev_index
            metadata = self.catalog.metadata
            return IF.Set(docid for docid in docids
                          if is_visible(reverse.get(docid, ()), viewer, metadata[docid][0]))
        denied = [docids_of for key, docids_of in forward.items()
                  if viewer.tokens.isdisjoint(key)]
        kept = IF.difference(docids, IF.multiunion(denied)) if denied else docids
        if viewer.domain is None:
            return kept
        inside = self.catalog.below(viewer.domain)
        own = self.catalog.paths.get(viewer.domain)
        if own is not None:
            inside = IF.union(inside, IF.Set([own]))
        public = [docids_of for key, docids_of in forward.items() if ANONYMOUS_TOKEN not in key]
        outside = IF.difference(docids, IF.multiunion(public)) if public else docids
        return IF.union(IF.intersection(kept, inside), outside)
