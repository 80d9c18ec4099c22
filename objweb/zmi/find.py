"""The Find tab: search a folder's subtree by name, title, type and modification time.

The walk goes depth first in name order and loads only what it must: a
name and a type are known without loading an object, a title or a time
are not. It stops after `SCAN_LIMIT` objects and says so, so one search
cannot hold the server for long; the results are batched.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

import webob

from objweb.content.folder import Folder
from objweb.content.registry import type_names
from objweb.security.protections import ACCESS, MANAGE
from objweb.traversal.location import path_of
from objweb.zmi.display import format_time
from objweb.web.batching import Window, screen_batch, take_batch
from objweb.zmi.forms import day_field
from objweb.zmi.framework import Screen
from objweb.zmi.listing import Row, row_of
from objweb.zmi.registration import screen

SCAN_LIMIT = 50000


@dataclass(frozen=True)
class Criteria:
    """What to look for; empty criteria match everything."""

    name: str = ""
    title: str = ""
    type_name: str = ""
    since: date | None = None
    before: date | None = None

    def matches_name(self, name: str, obj) -> bool:
        """Whether the name and type match (no load from the database needed)."""
        if self.name and self.name.casefold() not in name.casefold():
            return False
        return not self.type_name or getattr(type(obj), "type_name", "") == self.type_name

    def matches_state(self, obj) -> bool:
        """Whether the title and modification time match (loads the object)."""
        if self.title and self.title.casefold() not in (obj.title or "").casefold():
            return False
        modified = getattr(obj, "modified", 0) or 0
        if self.since and modified < _epoch(self.since, time.min):
            return False
        return not (self.before and modified >= _epoch(self.before, time.min))


def _epoch(day: date, clock: time) -> float:
    return datetime.combine(day, clock, timezone.utc).timestamp()


@dataclass
class Walk:
    """How far a search got: objects examined, and whether it stopped at the limit."""

    examined: int = 0
    stopped: bool = False


def search(folder, criteria: Criteria, policy, walk: Walk) -> Iterator[tuple[str, Row]]:
    """Yield (path, row) for each object below `folder` that matches, depth first.

    Folders the user may not look into are passed over.
    """
    for name, obj in folder.items():
        walk.examined += 1
        if walk.examined > SCAN_LIMIT:
            walk.stopped = True
            return
        if criteria.matches_name(name, obj) and criteria.matches_state(obj) \
                and policy.can(ACCESS, obj):
            yield path_of(obj), row_of(name, obj)
        if getattr(type(obj), "is_container", False) and policy.can(ACCESS, obj):
            yield from search(obj, criteria, policy, walk)
            if walk.stopped:
                return


@screen(Folder, "manage_find", title="Find", order=70, action=MANAGE)
class FindScreen(Screen):
    """The search form and a batch of results."""

    template = "find.pt"
    window = Window(0, 0, False)
    types = staticmethod(type_names)
    format_time = staticmethod(format_time)

    def get(self) -> webob.Response:
        """Render the form, and the results once something was asked."""
        params = self.request.params
        self.criteria = Criteria(
            name=(params.get("name") or "").strip(), title=(params.get("title") or "").strip(),
            type_name=params.get("type", "") if params.get("type", "") in type_names() else "",
            since=day_field(params, "since", self.errors), before=day_field(params, "before", self.errors))
        start, size = screen_batch(params, self.request.settings)
        self.searched = "search" in params
        self.results, more, self.walk = [], False, Walk()
        if self.searched and not self.errors:
            found = search(self.context, self.criteria, self.request.policy, self.walk)
            self.results, more = take_batch(found, start, size)
        self.window = Window(start, size, more)
        return self.render()

    def page_url(self, start: int) -> str:
        """The URL of the result batch from `start`."""
        criteria = self.criteria
        return self.url(screen=self.name, name=criteria.name, title=criteria.title,
                        type=criteria.type_name,
                        since=criteria.since.isoformat() if criteria.since else "",
                        before=criteria.before.isoformat() if criteria.before else "",
                        search="1", b_start=start or "",
                        b_size=self.batch_size_asked(self.window.size))
