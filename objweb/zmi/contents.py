"""The Contents tab of a folder: the batched list and its actions.

The list is batched, filtered and sorted by `objweb.zmi.listing`. The
actions work on the ticked items, or on every item that matches the filter
("all N matching", across batches): delete, rename, cut, copy, paste and
export. Cut and copy only fill the clipboard cookie; paste does the work,
checking every permission again, as in Zope.
"""

from functools import cached_property
from urllib.parse import urlencode

import webob

from objweb.content.folder import Folder
from objweb.content.ordered import OrderedFolder
from objweb.content.registry import addable_types
from objweb.errors import NameInUseError, NotFoundError, ValidationError
from objweb.names import NAME_RULE
from objweb.security.protections import (
    ADD, CHANGE, CREATE, DELETE, IMPORT_EXPORT, MANAGE, UNDO, permission_for)
from objweb.traversal.location import path_of
from objweb.web.batching import default_size
from objweb.zmi import exporting, pasting
from objweb.zmi.clipboard import Clipboard, clear_clipboard, read_clipboard, write_clipboard
from objweb.zmi.display import format_time, iso_time
from objweb.zmi.framework import Screen
from objweb.zmi.listing import (
    SORT_LIMIT, Listing, Query, list_contents, read_query, select_names)
from objweb.zmi.registration import command, screen

QUERY_FIELDS = ("filter", "sort", "reverse", "b_start", "b_size")


@screen(Folder, "manage_contents", title="Contents", order=10)
class ContentsScreen(Screen):
    """The items of a folder, with the actions on a selection and the add menu."""

    template = "contents.pt"
    name_rule = NAME_RULE
    sort_limit = SORT_LIMIT
    format_time = staticmethod(format_time)
    iso_time = staticmethod(iso_time)

    @cached_property
    def query(self) -> Query:
        """What the user asked to see (also sent back by the action forms)."""
        return read_query(self.request.params, self.request.settings)

    @cached_property
    def listing(self) -> Listing:
        """The batch the query asks for."""
        return list_contents(self.context, self.query)

    # -- what the template uses ---------------------------------------------------

    @property
    def addable(self) -> list[type]:
        """The types the user may add here (a Script also needs the right to write code)."""
        if not self.can(ADD):
            return []
        policy = self.request.policy
        return [cls for cls in addable_types(self.context)
                if policy.has_permission(permission_for(cls, CREATE), self.context)]

    @cached_property
    def clipboard(self) -> Clipboard | None:
        """What was cut or copied, if anything."""
        return read_clipboard(self.request)

    def is_cut(self, name: str) -> bool:
        """Whether item `name` of this folder is on the clipboard to be moved by a paste."""
        clipboard = self.clipboard
        if clipboard is None or clipboard.operation != "cut" \
                or clipboard.source != path_of(self.context):
            return False
        if clipboard.all_matching:
            return clipboard.filter.casefold() in name.casefold()
        return name in clipboard.names

    @property
    def selected(self) -> set:
        """The names ticked when the page is shown again after a failure, or all with ?select=all."""
        if self.submitted is not None:
            return set(self.submitted.getall("names"))
        if self.request.GET.get("select") == "all":
            return {row.name for row in self.listing.rows}
        return set()

    def query_url(self, **changes) -> str:
        """Return this screen's URL with the current query changed by `changes`."""
        query = self.query
        values = {"filter": query.filter, "sort": query.sort,
                  "reverse": "1" if query.reverse else "", "b_size": query.size,
                  "b_start": query.start}
        values.update(changes)
        if values.get("b_size") == default_size(self.request.settings):
            values.pop("b_size")
        if values.get("sort") == "name":
            values.pop("sort")
        if not values.get("b_start"):
            values.pop("b_start", None)
        return self.url(screen=self.name, **values)

    def sort_url(self, key: str) -> str:
        """Return the URL that sorts by `key` (reversing when it is the current key)."""
        reverse = "1" if key == self.listing.sort and not self.query.reverse else ""
        return self.query_url(sort=key, reverse=reverse, b_start=0, b_after=None)

    def aria_sort(self, key: str) -> str | None:
        """The `aria-sort` value of column `key`."""
        if key != self.listing.sort:
            return None
        return "descending" if self.query.reverse else "ascending"

    def next_url(self) -> str:
        """The URL of the next batch (there is one), carrying the last name for a quick descent."""
        return self.query_url(b_start=self.listing.next_start, b_after=self.listing.next_after)

    def page_url(self, start: int | None) -> str | None:
        """The URL of the batch starting at `start`, or None."""
        return None if start is None else self.query_url(b_start=start)

    @property
    def query_fields(self) -> list[tuple[str, str]]:
        """The query as hidden fields, so the screen shows the same batch after an action."""
        query = self.query
        pairs = [("filter", query.filter), ("sort", query.sort),
                 ("reverse", "1" if query.reverse else ""), ("b_start", str(query.start)),
                 ("b_size", str(query.size))]
        return [(name, value) for name, value in pairs if value]

    # -- the selection --------------------------------------------------------------

    def selection(self) -> list[str]:
        """Return the names the action applies to.

        Raises `ValueError` when nothing is selected, `NotFoundError` for a
        ticked name that is no longer here.
        """
        post = self.request.POST
        text = None
        if post.get("all_matching"):
            text = (post.get("filter") or "").strip()
        names = select_names(self.context, post.getall("names"), text)
        for name in names:
            if name not in self.context:
                raise NotFoundError(f"there is no item {name!r} here any more")
        return names

    def back(self, message: str, **flash) -> webob.Response:
        """Redirect to this screen, showing the same batch, with `message`."""
        post = self.request.POST
        query = {name: post.get(name) for name in QUERY_FIELDS if post.get(name)}
        url = self.url(screen=self.name) + (f"?{urlencode(query)}" if query else "")
        return self.redirect(url, message, **flash)

    # -- commands ---------------------------------------------------------------------

    @command("delete", action=DELETE)
    def delete(self) -> webob.Response:
        """Delete the selected items."""
        names = self.selection()
        for name in names:
            self.context.remove(name)
        self.note(f"Deleted {describe_names(names)} from {path_of(self.context)}")
        # The link leads only where the user may undo: the Undo tab says what they may.
        if not self.can(UNDO):
            return self.back(f"Deleted {describe_names(names)}.")
        # The Undo tab opens with this very delete ticked.
        undo_url = self.url(screen="manage_undo", tick=self.mark_change())
        return self.back(f"Deleted {describe_names(names)}.", link_url=undo_url, link_text="Undo")

    @command("rename", action=DELETE)
    def rename_form(self) -> webob.Response:
        """Show the form that gives the selected items new names (changes nothing)."""
        if self.request.POST.get("all_matching"):
            raise ValidationError("rename the items one batch at a time, not all matching")
        self.renaming = self.selection()
        return self.render("rename.pt")

    @command("rename_confirm", action=DELETE)
    def rename(self) -> webob.Response:
        """Give items new names, all or none."""
        self.request.policy.check(ADD, self.context)
        post = self.request.POST
        pairs = list(zip(post.getall("old"), (new.strip() for new in post.getall("new"))))
        if not pairs:
            raise ValidationError("select at least one item first")
        self.renaming = [old for old, _ in pairs]
        changes = [(old, new) for old, new in pairs if old != new]
        new_names = [new for _, new in changes]
        for old, new in changes:
            if new_names.count(new) > 1:
                raise ValidationError(f"two items cannot both be named {new!r}", f"new-{old}")
            try:
                self.context.rename(old, new)
            except (ValueError, NameInUseError) as error:
                raise ValidationError(str(error), f"new-{old}") from None
        renamed = ", ".join(f"{old} → {new}" for old, new in changes) or "nothing"
        self.note(f"Renamed {renamed} in {path_of(self.context)}")
        return self.back(f"Renamed {renamed}.")

    def new_name_value(self, index: int, old: str) -> str:
        """The new name to show in the rename form: what was typed, else the old name."""
        if self.submitted is not None:
            typed = self.submitted.getall("new")
            if index < len(typed):
                return typed[index]
        return old

    def show_failure(self) -> webob.Response:
        """Show the rename form again if renaming failed, else the list."""
        if getattr(self, "renaming", None):
            return self.render("rename.pt")
        return self.render()

    @command("cut", action=DELETE)
    def cut(self) -> webob.Response:
        """Put the selected items on the clipboard, to be moved by a paste."""
        return self._to_clipboard("cut")

    @command("copy", action=MANAGE)
    def copy(self) -> webob.Response:
        """Put the selected items on the clipboard, to be copied by a paste."""
        return self._to_clipboard("copy")

    def _to_clipboard(self, operation: str) -> webob.Response:
        names = self.selection()
        post = self.request.POST
        if post.get("all_matching"):
            clipboard = Clipboard(operation, path_of(self.context), (),
                                          (post.get("filter") or "").strip())
        else:
            clipboard = Clipboard(operation, path_of(self.context), tuple(names))
        verb = "Cut" if operation == "cut" else "Copied"
        response = self.back(f"{verb} {describe_names(names)}. Open a folder and choose Paste.")
        write_clipboard(self.request, response, clipboard)
        return response

    @command("paste", action=ADD)
    def paste(self) -> webob.Response:
        """Move or copy the clipboard's items here."""
        clipboard = self.clipboard
        if clipboard is None:
            raise ValidationError("the clipboard is empty: cut or copy something first")
        pasted = pasting.paste(clipboard, self.context, root=self.request.root,
                               policy=self.request.policy)
        self.note(f"Pasted ({clipboard.operation}) {describe_names(pasted)} from "
                  f"{clipboard.source} into {path_of(self.context)}")
        response = self.back(f"Pasted {describe_names(pasted)}.")
        if clipboard.operation == "cut":
            clear_clipboard(self.request, response)
        return response

    @property
    def is_ordered(self) -> bool:
        """Whether the folder keeps an arranged order its items can be moved in."""
        return isinstance(self.context, OrderedFolder)

    @command("move_up", action=CHANGE)
    def move_up(self) -> webob.Response:
        """Move the selected items one place up."""
        return self._arrange("move_up", "up one place")

    @command("move_down", action=CHANGE)
    def move_down(self) -> webob.Response:
        """Move the selected items one place down."""
        return self._arrange("move_down", "down one place")

    @command("move_to_top", action=CHANGE)
    def move_to_top(self) -> webob.Response:
        """Put the selected items first."""
        return self._arrange("move_to_top", "to the top")

    @command("move_to_bottom", action=CHANGE)
    def move_to_bottom(self) -> webob.Response:
        """Put the selected items last."""
        return self._arrange("move_to_bottom", "to the bottom")

    def _arrange(self, method: str, where: str) -> webob.Response:
        if not self.is_ordered:
            raise ValidationError("only an ordered folder keeps an order to move items in")
        names = self.selection()
        getattr(self.context, method)(names)
        self.note(f"Moved {describe_names(names)} {where} in {path_of(self.context)}")
        return self.back(f"Moved {describe_names(names)} {where}.")

    @command("export", action=IMPORT_EXPORT)
    def export(self) -> webob.Response:
        """Download the selected items in ZODB's export format (several: a zip of them)."""
        names = self.selection()
        return exporting.download(self.context, names)


def describe_names(names: list[str]) -> str:
    """Return `'a'`, `'a' and 'b'`, or `3 items` for a list of names."""
    if len(names) == 1:
        return repr(names[0])
    if len(names) == 2:
        return f"{names[0]!r} and {names[1]!r}"
    return f"{len(names)} items"
