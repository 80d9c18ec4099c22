"""The Find tab: search a folder's subtree by words, name, title, type and modification time.

It answers from the catalog (`objweb.catalog`), for what the user may
View, however big the site: the words, the type and the dates are the
catalog's query; "name contains" and "title contains" are read from the
catalog's record of each hit, never from the objects, which are not
loaded. Results come in path order, or by relevance when words are asked
for; they are batched.
"""

from dataclasses import dataclass
from datetime import date

import webob

from objweb.catalog import find_results
from objweb.content.folder import Folder
from objweb.content.registry import type_names
from objweb.security.protections import MANAGE
from objweb.web.batching import Window, screen_batch, take_batch
from objweb.zmi.display import format_time
from objweb.zmi.forms import day_field
from objweb.zmi.framework import Screen
from objweb.zmi.registration import screen


@dataclass(frozen=True)
class Criteria:
    """What to look for; empty criteria match everything."""

    text: str = ""
    name: str = ""
    title: str = ""
    type_name: str = ""
    since: date | None = None
    before: date | None = None

    def query(self) -> dict:
        """The catalog query these criteria make (each value a list)."""
        raw = {}
        if self.text:
            raw["text"] = [self.text]
        if self.type_name:
            raw["type"] = [self.type_name]
        if self.since:
            raw["modified_after"] = [self.since.isoformat()]
        if self.before:
            raw["modified_before"] = [self.before.isoformat()]
        return raw

    def matches(self, result) -> bool:
        """Whether a result's name and title contain what was asked (case folded)."""
        if self.name and self.name.casefold() not in result.id.casefold():
            return False
        return not self.title or self.title.casefold() in (result.title or "").casefold()


def search(folder, criteria: Criteria, policy):
    """Return the results below `folder` that match, as an iterable, for `policy`.

    Raises `ValueError` naming the criterion the catalog refuses.
    """
    results = find_results(folder, criteria.query(), policy=policy)
    found = (result for result in results if criteria.matches(result))
    if criteria.text:
        return found
    return sorted(found, key=lambda result: result.path)


@screen(Folder, "manage_find", title="Find", order=70, action=MANAGE)
class FindScreen(Screen):
    """The search form and a batch of results."""

    template = "find.pt"
    window = Window(0, 0, False)
    types = staticmethod(type_names)

    def get(self) -> webob.Response:
        """Render the form, and the results once something was asked."""
        params = self.request.params
        self.criteria = Criteria(
            text=(params.get("text") or "").strip(),
            name=(params.get("name") or "").strip(), title=(params.get("title") or "").strip(),
            type_name=params.get("type", "") if params.get("type", "") in type_names() else "",
            since=day_field(params, "since", self.errors), before=day_field(params, "before", self.errors))
        start, size = screen_batch(params, self.request.settings)
        self.searched = "search" in params
        self.results, more = [], False
        if self.searched and not self.errors:
            try:
                found = search(self.context, self.criteria, self.request.policy)
                self.results, more = take_batch(found, start, size)
            except ValueError as error:
                self.errors[str(error).split(":", 1)[0]] = str(error)
        self.window = Window(start, size, more)
        return self.render()

    @staticmethod
    def format_time(moment) -> str:
        """A result's time as the screens show times."""
        return format_time(moment.timestamp())

    def manage_url(self, result) -> str:
        """The management screen of a result's object, from its path alone."""
        return self.request.url_of_path(result.path).rstrip("/") + "/manage"

    def page_url(self, start: int) -> str:
        """The URL of the result batch from `start`."""
        criteria = self.criteria
        return self.url(screen=self.name, text=criteria.text, name=criteria.name,
                        title=criteria.title,
                        type=criteria.type_name,
                        since=criteria.since.isoformat() if criteria.since else "",
                        before=criteria.before.isoformat() if criteria.before else "",
                        search="1", b_start=start or "",
                        b_size=self.batch_size_asked(self.window.size))
