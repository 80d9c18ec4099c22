"""The Undo tab: the transaction history, filtered, and undoing chosen transactions.

Each transaction shows its time, user, the request path, its note and the
paths of the objects it changed. On a folder the list starts narrowed to
that folder. An undo runs in a transaction of its own; when later changes
stand in the way, the screen names those transactions and offers to undo
them together with the chosen ones.
"""

import webob
from ZODB.POSException import UndoError

from objweb.content.base import Item
from objweb.errors import ValidationError
from objweb.security.protections import UNDO
from objweb.traversal.location import path_of
from objweb.zmi import history
from objweb.zmi.display import format_time
from objweb.zmi.forms import batch_start, day_field
from objweb.zmi.framework import Screen, command, screen

BATCH_SIZE = 20


@screen(Item, "manage_undo", title="Undo", order=50, action=UNDO)
class UndoScreen(Screen):
    """The transactions that changed this object or what is below it."""

    template = "undo.pt"
    format_time = staticmethod(format_time)
    blocked: list = ()
    blocked_ids: list = ()
    scan_limit = history.BLOCKER_SCAN_LIMIT

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

    def get(self) -> webob.Response:
        """Render a batch of the history, filtered as asked."""
        params = self.request.params
        self.where = history.Filter(
            user=(params.get("user") or "").strip(),
            path=(params.get("path", self.default_path) or "").strip(),
            since=day_field(params, "since", self.errors), until=day_field(params, "until", self.errors))
        self.start = batch_start(params)
        self.changes, self.more = [], False
        if self.supported:
            self.changes, self.more = history.history(
                self.request.connection, self.where, start=self.start, size=BATCH_SIZE)
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
                        b_start=start or "")

    @command("undo")
    def undo(self) -> webob.Response:
        """Undo the ticked transactions, or name the later ones standing in the way."""
        ids = self.request.POST.getall("ids")
        if not ids:
            raise ValidationError("tick the transactions to undo first", "ids")
        changes = [self._change(undo_id) for undo_id in ids]
        if self.default_path:
            outside = [change for change in changes if not change.is_within(self.default_path)]
            if outside:
                raise ValidationError("a ticked transaction changed things outside "
                                      f"{self.default_path}; undo it from above", "ids")
        notes = "; ".join(change.note for change in changes if change.note)
        try:
            history.undo(self.db, ids, user=self.user_id, path=self.request.path_info,
                         note=f"Undo of: {notes}" if notes else "Undo")
        except UndoError:
            self.blocked = history.blockers(self.request.connection, ids)
            self.blocked_ids = ids + [change.undo_id for change in self.blocked]
            message = ("Later changes touched the same objects, so this cannot be undone "
                       "alone. Undo the later ones together with it?")
            response = self.failed(ValidationError(message))
            response.status = 409
            return response
        count = len(ids)
        return self.redirect(self.url(screen=self.name),
                             f"Undid {count} transaction{'s' if count != 1 else ''}.")

    def _change(self, undo_id: str) -> history.Change:
        try:
            tid = history.tid_of(undo_id)
        except ValueError as error:
            raise ValidationError(str(error), "ids") from None
        for entry in self.db.undoLog(0, history.SCAN_LIMIT):
            if entry["id"].decode("ascii") == undo_id:
                return history.describe(self.request.connection, entry)
        raise ValidationError(f"transaction {history.undo_id_of(tid)} cannot be undone "
                              "(packed away, or not in the list)", "ids")
