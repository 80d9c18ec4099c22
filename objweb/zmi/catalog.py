"""The Catalog screen at the site root: the indexes, the queue, reindexing and clearing.

It shows each index with what it holds, how many objects the catalog
holds and how many changes wait in its queue, and how far a reindex
started here has got (a progress bar; the page reloads itself while one
runs). Adding or removing a custom index, reindexing and clearing are
POSTs with the CSRF token, followed by a redirect and a message. A
reindex runs in a thread of the serving process, in transactions of its
own: the request that starts it only starts it.
"""

import webob

from objweb import catalog
from objweb.catalog import Progress, ReindexJob
from objweb.catalog.custom import KINDS
from objweb.content.folder import Folder
from objweb.errors import ValidationError
from objweb.security.protections import CHANGE_PERMISSIONS, MANAGE
from objweb.zmi.control import is_root
from objweb.zmi.framework import Screen
from objweb.zmi.registration import command, screen

# How often the page reloads itself while a reindex runs.
REFRESH_SECONDS = 2


@screen(Folder, "manage_catalog", title="Catalog", order=85, action=MANAGE,
        post_action=CHANGE_PERMISSIONS, condition=is_root)
class CatalogScreen(Screen):
    """The catalog's indexes and queue; add and remove indexes, reindex, clear."""

    template = "catalog.pt"
    kinds = KINDS

    @property
    def indexes(self) -> list:
        """What each index holds, built-in ones first."""
        return catalog.index_facts(self.context)

    @property
    def objects(self) -> int:
        """How many objects the catalog holds."""
        return catalog.objects_indexed(self.context)

    @property
    def queue_length(self) -> int:
        """How many changes wait in the queue."""
        return catalog.queued(self.context)

    @property
    def built(self) -> bool:
        """Whether searches read the indexes (False: they walk the tree until a reindex)."""
        return catalog.is_built(self.context)

    @property
    def progress(self) -> Progress | None:
        """How far the last reindex started in this process got, if any."""
        job = ReindexJob.latest(self.request.connection.db())
        return job.progress if job is not None else None

    @property
    def refresh_seconds(self) -> int | None:
        """Reload the page while a reindex runs, so the progress bar moves."""
        progress = self.progress
        return REFRESH_SECONDS if progress is not None and progress.running else None

    @property
    def can_change(self) -> bool:
        """Whether the user may change the catalog."""
        return self.can(CHANGE_PERMISSIONS)

    def _back(self, message: str) -> webob.Response:
        return self.redirect(self.url(screen=self.name), message)

    @command("add_index")
    def add(self) -> webob.Response:
        """Add a custom index on a property or field, filled by the drainer."""
        name = (self.request.POST.get("name") or "").strip()
        kind = self.request.POST.get("kind") or ""
        try:
            catalog.add_index(self.context, name, kind)
        except ValueError as error:
            field = "kind" if kind not in KINDS else "name"
            raise ValidationError(str(error), field) from None
        self.note(f"Added the {kind} index {name} to the catalog")
        return self._back(f"Added the {kind} index {name!r}; it fills as the queue drains.")

    @command("remove_index")
    def remove(self) -> webob.Response:
        """Remove a custom index."""
        name = self.request.POST.get("name") or ""
        custom = [facts.name for facts in self.indexes if facts.custom]
        if name not in custom:
            raise ValidationError(f"there is no custom index {name!r}", "remove")
        catalog.remove_index(self.context, name)
        self.note(f"Removed the index {name} from the catalog")
        return self._back(f"Removed the index {name!r}.")

    @command("reindex")
    def reindex(self) -> webob.Response:
        """Start reading the whole site anew into the catalog, in the background."""
        try:
            ReindexJob.start(self.request.connection.db(), "/")
        except ValueError as error:
            raise ValidationError(str(error), "reindex") from None
        return self._back("Reindexing the site; this page shows how far it got.")

    @command("clear")
    def clear(self) -> webob.Response:
        """Empty the catalog; searches walk the tree until the next reindex."""
        catalog.clear(self.context)
        self.note("Cleared the catalog")
        return self._back("Cleared the catalog; searches walk the site until it is reindexed.")
