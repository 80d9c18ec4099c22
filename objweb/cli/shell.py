"""The session of `objweb debug` and `objweb run`: the site bound, and who is changing it.

Every commit made in the session records a user, as a request does, so that
the Undo tab and the audit log say who did it: the site user named with
`--user` (who then also owns what the session adds, as with
`objweb.site(db, user=...)`), or else the operating system user who ran the
command, recorded as `(system user) NAME` so that it is never mistaken for
a user of the site.
"""

import getpass
import logging
from contextlib import ExitStack

import transaction

from objweb.cli.common import CommandError
from objweb.content.site import ensure_site
from objweb.security.principals import Principal, acting_as

audit_log = logging.getLogger("objweb.audit")
SYSTEM_USER_FOLDER = "(system user)"


def system_user() -> str:
    """Return the operating system's name for the user running the command."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a uid with no name (some containers)
        return "unknown"


class CommitRecorder:
    """A transaction synchroniser that writes the session's user and note into each commit."""

    def __init__(self, command: str, user_id: str, user_folder: str):
        self.command = command
        self.user_id = user_id
        self.user_folder = user_folder

    def newTransaction(self, txn):  # noqa: N802 (the transaction package's name)
        """Nothing to do when a transaction starts."""

    def beforeCompletion(self, txn):  # noqa: N802
        """Name the user and, when the code gave none, the command, before the commit."""
        if not txn.user:
            txn.setUser(self.user_id, self.user_folder)
        if not txn.description:
            txn.note(f"objweb {self.command}")

    def afterCompletion(self, txn):  # noqa: N802
        """Log a committed change on the audit log, as a request's is."""
        if txn.status == "Committed":
            audit_log.info("%s@%s from objweb %s: %s", self.user_id, self.user_folder,
                           self.command, " | ".join(txn.description.splitlines()))


def open_session(stack: ExitStack, db, command: str, user: str | None) -> dict:
    """Open a connection to `db` for the session and return its namespace.

    Everything is undone by `stack`: the connection closed, uncommitted
    changes dropped, the user forgotten. Raises `CommandError` for a
    `--user` the root user folder does not hold.
    """
    connection = db.open()
    stack.callback(connection.close)
    stack.callback(transaction.abort)
    root = ensure_site(connection)
    if user is not None and root["acl_users"].get_user(user) is None:
        raise CommandError(f"--user {user!r}: the site's root user folder has no such user")
    recorder = CommitRecorder(command, *((user, "/") if user is not None
                                         else (system_user(), SYSTEM_USER_FOLDER)))
    manager = transaction.manager
    manager.registerSynch(recorder)
    stack.callback(manager.unregisterSynch, recorder)
    if user is not None:
        stack.enter_context(acting_as(Principal(id=user)))

    def commit(note: str = f"objweb {command}"):
        """Commit the changes made so far."""
        transaction.get().note(note)
        transaction.commit()
    return {"app": root, "root": root, "transaction": transaction, "commit": commit,
            "db": db}
