"""The audit trail: who changed what, where, from which address.

Every committed change is described twice: in the transaction itself (its
user and note, which the Undo screen shows) and as one line on the
`objweb.audit` logger. Logins, failed logins and logouts get a line too. A
line never holds a password, a hash, a session ticket or a token, and
characters that could forge a second line are escaped.
"""

import logging

from objweb.traversal.location import path_of
from objweb.web.proxies import CLIENT_ADDRESS_KEY

audit_log = logging.getLogger("objweb.audit")


def _printable(value: object) -> str:
    text = str(value)
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def client_address(request) -> str:
    """Return the client's address, the one a trusted proxy forwarded (`-` if unknown)."""
    return request.environ.get(CLIENT_ADDRESS_KEY) or request.remote_addr or "-"


def actor(request) -> str:
    """Return who acts in `request`: `user@domain` for a user, `Anonymous` otherwise."""
    principal = getattr(request, "principal", None)
    if principal is None or not principal.is_authenticated:
        return "Anonymous"
    return f"{principal.id}@{domain_path(principal)}"


def domain_path(principal) -> str:
    """Return the path of the folder whose user folder defines `principal`."""
    return "/" if principal.domain is None else path_of(principal.domain)


def event(request, text: str) -> None:
    """Log a security event (a login, a refusal) for `request`."""
    audit_log.info("%s from %s: %s", _printable(actor(request)),
                   _printable(client_address(request)), _printable(text))


def request_line(request) -> str:
    """Return `METHOD /path` of `request`, fit for a note or a log line."""
    return f"{request.method} {_printable(request.path_info)}"


def describe_transaction(request, txn) -> None:
    """Record in `txn` who is changing what: user, user folder, request line and notes.

    As in Zope, the user is stored with the path of the folder that defines
    it (`/ admin`), and the note starts with the request line (`POST /news`),
    followed by what the view said it did (`added Page /news/hello`); the
    Undo screen reads both.
    """
    principal = getattr(request, "principal", None)
    if principal is not None and principal.is_authenticated:
        txn.setUser(principal.id, domain_path(principal))
    else:
        txn.setUser("Anonymous User", "/")
    line = request_line(request)
    notes = txn.description
    txn.description = f"{line}\n{notes}" if notes else line


def committed(request, txn) -> None:
    """Log the change `txn` committed for `request`: one line, request line first."""
    line = request_line(request)
    notes = [note for note in txn.description.splitlines() if note and note != line]
    audit_log.info("%s from %s: %s: %s", _printable(actor(request)),
                   _printable(client_address(request)), line,
                   _printable(" | ".join(notes) or "(no note)"))
