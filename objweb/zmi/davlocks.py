"""The WebDAV locks screen: the locks at and below a folder, and clearing them.

A lock a client took and never gave up (a crashed editor, a laptop closed)
keeps everyone else out until it expires. A user with *Manage WebDAV Locks*
(Managers) sees here every live lock at and below the folder, who holds it
and until when, and clears the ones ticked; another button drops the
expired locks of the whole site.
"""

from datetime import datetime, timezone
from xml.etree.ElementTree import ParseError, fromstring

import webob

from objweb.content.folder import Folder
from objweb.content.locks import Lock, Locks, sweep
from objweb.errors import ValidationError
from objweb.security.protections import MANAGE_LOCKS
from objweb.traversal.location import path_of
from objweb.zmi.framework import Screen
from objweb.zmi.registration import command, screen


@screen(Folder, "manage_davlocks", title="WebDAV locks", order=85, action=MANAGE_LOCKS)
class WebDAVLocksScreen(Screen):
    """Every live WebDAV lock at and below this folder; clearing them."""

    template = "davlocks.pt"

    @property
    def locks(self) -> list[Lock]:
        """The live locks at and below this folder, in path order."""
        return Locks(self.request.connection).everything(path_of(self.context))

    @staticmethod
    def holder_of(lock: Lock) -> str:
        """Return who holds `lock`: the user id and where the user is defined."""
        user_folder, user_id = lock.holder
        return f"{user_id} ({user_folder})" if user_folder else str(user_id)

    @staticmethod
    def owner_text(lock: Lock) -> str:
        """Return the text of what the client said about the lock's owner."""
        # XML the WebDAV door wrote from a tree the hardened parser built: no DTD in it.
        try:
            owner = fromstring(f'<owner xmlns:D="DAV:">{lock.owner_xml}</owner>')
        except ParseError:
            return ""
        return "".join(owner.itertext()).strip()

    @staticmethod
    def format_time(seconds: float) -> str:
        """Return a moment as `YYYY-MM-DD HH:MM` UTC."""
        return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M")

    @command("clear")
    def clear(self) -> webob.Response:
        """Clear the ticked locks."""
        tokens = set(self.request.POST.getall("tokens"))
        if not tokens:
            raise ValidationError("tick at least one lock first", "tokens")
        locks = Locks(self.request.connection)
        cleared = [lock for lock in locks.everything(path_of(self.context))
                   if lock.token in tokens]
        for lock in cleared:
            locks.remove(lock)
        paths = ", ".join(sorted({lock.path for lock in cleared})) or "nothing"
        self.note(f"Cleared WebDAV locks of {paths}")
        return self.redirect(self.url(screen=self.name),
                             f"Cleared {len(cleared)} lock{'s' if len(cleared) != 1 else ''}.")

    @command("sweep")
    def sweep(self) -> webob.Response:
        """Drop the expired locks of the whole site."""
        dropped = sweep(self.request.connection)
        self.note("Dropped the expired WebDAV locks")
        return self.redirect(self.url(screen=self.name),
                             f"Dropped {dropped} expired lock{'s' if dropped != 1 else ''}.")
