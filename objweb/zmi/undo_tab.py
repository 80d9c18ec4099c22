"""The Undo tab: the transaction history, filtered, and undoing chosen transactions.

Each transaction shows its time, user, the request path, its note and the
paths of the objects it changed. Below the root the tab lists only the
transactions wholly inside its object, whatever the filter says. A
transaction is offered for undoing only when the user may make every
change the undo would make (`objweb.storage.reversal`); the others say why
not, and an undo of one is refused with the reason and changes nothing.
An undo joins the request's transaction, so it is kept only if the request
commits; when later changes stand in the way, the screen names those
transactions and offers to undo them together with the chosen ones, if the
user may undo all of them here.
"""

import webob
from ZODB.POSException import UndoError

from objweb.content.base import Item
from objweb.errors import ValidationError
from objweb.security.protections import UNDO
from objweb.storage import history, reversal, undo
from objweb.traversal.location import path_of
from objweb.web.batching import Window, screen_batch
from objweb.zmi.display import format_moment, iso_time
from objweb.zmi.forms import day_field
from objweb.zmi.framework import Screen
from objweb.zmi.registration import command, screen

# Transactions say more than a folder's rows: a shorter batch by default.
BATCH_SIZE = 20


@screen(Item, "manage_undo", title="Undo", order=50, action=UNDO)
class UndoScreen(Screen):
    """The transactions that changed this object or what is below it."""

    template = "undo.pt"
    # Several changes a minute are common: the history tells them apart to the second.
    format_time = staticmethod(format_moment)
    iso_time = staticmethod(iso_time)
    blocked: list = ()
    blocked_ids: list = ()
    # How many of the later changes in the way this user may not undo here.
    unavailable = 0
    # The batch shown; a page drawn after a refused POST shows the first.
    window = Window(0, BATCH_SIZE, False)
    refusals: dict = {}
    scan_limit = undo.BLOCKER_SCAN_LIMIT

    @property
    def db(self):
        """The database the request's connection belongs to."""
        return self.request.connection.db()

    @property
    def supported(self) -> bool:
        """Whether the storage can undo at all."""
        return self.db.supportsUndo()

    @property
    def default_path(self) -> str:
        """The path the list is narrowed to unless the user says otherwise."""
        return "" if self.context is self.request.root else path_of(self.context)

    @property
    def inside(self):
        """The object this tab's history is confined to (None at the root)."""
        return None if self.context is self.request.root else self.context

    def refusal(self, change: history.Change) -> str | None:
        """Return why the user may not undo `change` here, or None if they may."""
        return reversal.refusal(self.request.connection, change, self.request.policy,
                                inside=self.inside)

    def is_ticked(self, change: history.Change) -> bool:
        """Whether `change` starts ticked: the one the link after a delete points at."""
        tick = self.request.GET.get("tick", "")
        return bool(tick) and change.mark == tick

    @property
    def offers_any(self) -> bool:
        """Whether any listed transaction may be undone."""
        return any(not self.refusals.get(change.undo_id) for change in self.changes)

    def get(self) -> webob.Response:
        """Render a batch of the history, filtered as asked."""
        params = self.request.params
        self.where = history.Filter(
            user=(params.get("user") or "").strip(),
            path=(params.get("path", self.default_path) or "").strip(),
            since=day_field(params, "since", self.errors), until=day_field(params, "until", self.errors))
        start, size = screen_batch(params, self.request.settings, size=BATCH_SIZE)
        self.changes, more = [], False
        if self.supported:
            self.changes, more = history.history(
                self.request.connection, self.where, start=start, size=size, inside=self.inside)
            self.refusals = {change.undo_id: self.refusal(change) for change in self.changes}
        self.window = Window(start, size, more)
        return self.render()

    @property
    def filter_fields(self) -> list[tuple[str, str]]:
        """The filter as hidden fields, so the list looks the same after an action."""
        where = self.where
        pairs = [("user", where.user), ("path", where.path),
                 ("since", where.since.isoformat() if where.since else ""),
                 ("until", where.until.isoformat() if where.until else "")]
        return [(name, value) for name, value in pairs if value or name == "path"]

    def page_url(self, start: int) -> str:
        """The URL of the batch from `start`, with the same filter."""
        where = self.where
        return self.url(screen=self.name, user=where.user, path=where.path,
                        since=where.since.isoformat() if where.since else "",
                        until=where.until.isoformat() if where.until else "",
                        b_start=start or "",
                        b_size=self.batch_size_asked(self.window.size))

    @command("undo")
    def undo_changes(self) -> webob.Response:
        """Undo the ticked transactions, or name the later ones standing in the way."""
        # Each transaction once, however often the form names it.
        ids = list(dict.fromkeys(self.request.POST.getall("ids")))
        if not ids:
            raise ValidationError("tick the transactions to undo first", "ids")
        changes = [self._change(undo_id) for undo_id in ids]
        for change in changes:
            reason = self.refusal(change)
            if reason:
                return self.refused(change, reason)
        notes = "; ".join(change.note for change in changes if change.note)
        try:
            undo.undo(self.request.connection, ids)
        except UndoError:
            return self.show_blockers(ids)
        self.note(f"Undo of: {notes}" if notes else "Undo")
        count = len(ids)
        return self.redirect(self.url(screen=self.name),
                             f"Undid {count} transaction{'s' if count != 1 else ''}.")

    def refused(self, change: history.Change, reason: str) -> webob.Response:
        """Show why `change` may not be undone here; answer 403 (nothing changed)."""
        about = f" ({change.note})" if change.note else ""
        moment = format_moment(change.time)
        message = f"You may not undo the change of {moment} UTC{about}: {reason}."
        response = self.failed(ValidationError(message, "ids"))
        response.status = 403
        return response

    def show_blockers(self, ids: list[str]) -> webob.Response:
        """Name the later changes in the way that the user may see here; answer 409.

        They are offered to be undone together only if the user may undo
        every one of them here.
        """
        blockers = undo.blockers(self.request.connection, ids)
        inside = self.inside
        self.blocked = [change for change in blockers
                        if inside is None or change.is_wholly_inside(inside)]
        self.unavailable = sum(1 for change in blockers
                               if change not in self.blocked or self.refusal(change))
        self.blocked_ids = ids + [change.undo_id for change in self.blocked]
        message = ("Later changes touched the same objects, so this cannot be undone "
                   "alone. Undo the later ones together with it?")
        response = self.failed(ValidationError(message))
        response.status = 409
        return response

    def _change(self, undo_id: str) -> history.Change:
        try:
            tid = history.tid_of(undo_id)
        except ValueError as error:
            raise ValidationError(str(error), "ids") from None
        for entry in self.db.undoLog(0, history.SCAN_LIMIT):
            if entry["id"].decode("ascii") == undo_id:
                return history.change_of(self.request.connection, entry)
        raise ValidationError(f"transaction {history.undo_id_of(tid)} cannot be undone "
                              "(packed away, or not in the list)", "ids")
