"""The History tab of a Template, Script or Page: its revisions, their differences, revert.

Unlike the Undo tab, which reads the database's transactions, this tab reads
the revisions the object keeps (see `objweb.content.revisions`), so packing
the database loses none of them. Any two revisions are compared, unified or
side by side (`?a=1&b=3&style=unified`), one revision's source is shown
(`?show=2`), and a revert (a POST with the CSRF token) makes an old source
current again as a new revision, through the object's `edit`: a Page's HTML
is cleaned as any edit by that user, and whoever reverts code owns it.
Looking needs the right to manage the object, reverting the right to change it.
"""

from dataclasses import dataclass

import webob

from objweb.content.base import Item
from objweb.content import revisions
from objweb.content.revisions import Revision, keeps_history, revisions_of
from objweb.content.sources import source_text
from objweb.errors import ValidationError
from objweb.security.protections import CHANGE
from objweb.zmi import diffs
from objweb.zmi.display import format_time
from objweb.zmi.framework import Screen
from objweb.zmi.registration import command, screen

STYLES = (("unified", "Unified"), ("side", "Side by side"))


@dataclass(frozen=True)
class Comparison:
    """Two revisions compared: their ids and the rows of their difference."""

    old: Revision
    new: Revision
    style: str
    rows: list
    problem: str = ""


@screen(Item, "manage_history", title="History", order=25, post_action=CHANGE,
        condition=keeps_history)
class HistoryScreen(Screen):
    """The kept revisions of a source, newest first, with differences and revert."""

    template = "revisions.pt"
    format_time = staticmethod(format_time)
    styles = STYLES

    @property
    def revisions(self) -> list[Revision]:
        """The kept revisions, newest first."""
        return revisions_of(self.context)

    @property
    def current_id(self) -> int | None:
        """The id of the newest revision, whose source is the current one."""
        kept = self.revisions
        return kept[0].id if kept else None

    def text_of(self, revision: Revision) -> str:
        """Return the source a revision holds, as one text."""
        return source_text(type(self.context), revision.values)

    def _chosen(self, name: str, default: Revision | None) -> Revision | None:
        raw = self.request.GET.get(name, "")
        if not (raw.isascii() and raw.isdigit()):
            return default
        return next((revision for revision in self.revisions if revision.id == int(raw)),
                    default)

    @property
    def chosen_pair(self) -> tuple[int | None, int | None]:
        """The ids ticked for comparing: those asked for, else the two newest."""
        kept = self.revisions
        old = self._chosen("a", kept[1] if len(kept) > 1 else None)
        new = self._chosen("b", kept[0] if kept else None)
        return (old.id if old else None, new.id if new else None)

    @property
    def style(self) -> str:
        """How the difference is shown: `unified` or `side` (by side)."""
        return "side" if self.request.GET.get("style") == "side" else "unified"

    @property
    def comparison(self) -> Comparison | None:
        """The difference asked for (`a` and `b`), oldest first; None when none is."""
        if "a" not in self.request.GET or "b" not in self.request.GET:
            return None
        old, new = self._chosen("a", None), self._chosen("b", None)
        if old is None or new is None:
            return None
        if old.id > new.id:
            old, new = new, old
        function = diffs.side_by_side if self.style == "side" else diffs.unified
        try:
            rows = function(self.text_of(old), self.text_of(new))
        except diffs.TooLongToCompareError as error:
            return Comparison(old, new, self.style, [], str(error))
        return Comparison(old, new, self.style, rows)

    @property
    def shown(self) -> Revision | None:
        """The revision whose whole source was asked for (`show`), or None."""
        return self._chosen("show", None)

    def numbered(self, revision: Revision) -> list[tuple[int, str]]:
        """Return (number, text) for each line of a revision's source."""
        return list(enumerate(self.text_of(revision).split("\n"), start=1))

    @property
    def can_revert(self) -> bool:
        """Whether the user may change the object, and so revert it."""
        return self.can(CHANGE)

    @command("revert")
    def revert(self) -> webob.Response:
        """Make the ticked revision's source current again, as a new revision."""
        raw = self.request.POST.get("revision", "")
        if not (raw.isascii() and raw.isdigit()):
            raise ValidationError("choose the revision to revert to", "revision")
        obj = self.context
        newest = revisions.revert(
            obj, int(raw), note=self.request.POST.get("note", ""),
            clean=lambda old: self.cleaned_html(obj, old, obj)[0])
        self.note(f"Reverted {self.public_url()} to revision {raw}")
        return self.redirect(self.url(screen=self.name, a=raw, b=newest.id),
                             f"Reverted to revision {raw}: it is revision {newest.id} now.")
