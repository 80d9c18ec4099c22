"""The settings a running application reads, with their defaults."""

import ipaddress
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """What an operator may tune; `objweb.ini` and command-line options fill it.

    Sizes are in bytes and durations in seconds.
    """

    # Larger bodies answer 413; `objweb serve` gives the same limit to waitress,
    # which refuses them before reading them.
    max_request_body: int = 1 << 30
    max_json_body: int = 16 << 20
    # Deeper JSON answers 400: checked before parsing, so no depth reaches
    # the parser's recursion.
    max_json_depth: int = 32
    # A URL (path and query) longer than this answers 414.
    max_url_length: int = 8192
    # Fields of a form body (413) or of a query string (400). A multipart
    # form's parts are counted by its parser, nested parts included.
    max_form_fields: int = 1000
    # A urlencoded form is parsed in memory, so its body has a size limit of
    # its own (413); multipart files go to temporary files and only count
    # against `max_request_body`.
    max_form_body: int = 16 << 20
    # A conflicting request is replayed this many times before it answers 503.
    conflict_retries: int = 3
    # A replay waits this long for the process's other writes to finish, so
    # that it runs alone (objweb/web/writers.py).
    replay_wait: float = 2.0
    retry_after: int = 1
    session_lifetime: int = 8 * 3600
    code_time_budget: float = 5.0
    code_output_limit: int = 10 << 20
    default_batch_size: int = 50
    # Revisions kept per Template, Script and Page (objweb/content/revisions.py).
    history_size: int = 50
    # What each process keeps in memory for the Control panel's diagnostics
    # (objweb/web/diagnostics.py): incidents, the recent requests whose
    # slowest are shown, and the objects whose conflicts are counted.
    diagnostics_incidents: int = 50
    diagnostics_requests: int = 1000
    diagnostics_objects: int = 100
    # A larger `b_size` answers 400.
    max_batch_size: int = 1000
    # Failed logins allowed per user name, and per client address, within
    # `login_window` seconds; then `429` until the oldest failure is that old.
    login_attempts: int = 5
    login_attempts_per_address: int = 20
    login_window: int = 60
    # The front servers (addresses, or networks as CIDR) whose word objweb
    # takes: the client address they add to X-Forwarded-For (for login
    # throttling, the access log and the audit), and the VirtualHostBase and
    # VirtualHostRoot paths they rewrite requests to. None by default: the
    # address is the connection's, and virtual-host paths are refused.
    # `objweb.ini` lists them separated by commas or spaces.
    trusted_proxies: tuple[str, ...] = ()
    # What a password set through the management screens must be: this long at
    # least, and not among the `password_common_refused` most common passwords
    # (0: that check is off). The Python API, trusted code, is not held to it.
    password_min_length: int = 10
    password_common_refused: int = 30000

    def __post_init__(self):
        object.__setattr__(self, "trusted_proxies", proxy_networks(self.trusted_proxies))


def proxy_networks(value) -> tuple[str, ...]:
    """Return the networks `value` lists (a text or a sequence of texts), written out canonically.

    An address alone is a network of one. Raises `ValueError` naming an entry
    that is neither.
    """
    entries = re.split(r"[\s,]+", value) if isinstance(value, str) else list(value)
    networks = []
    for entry in entries:
        if not isinstance(entry, str):
            raise ValueError(f"trusted_proxies: {entry!r} is not an address or a network")
        if not entry:
            continue
        try:
            networks.append(str(ipaddress.ip_network(entry.strip(), strict=False)))
        except ValueError:
            raise ValueError(f"trusted_proxies: {entry!r} is not an address or a network "
                             f"(such as 127.0.0.1 or 10.0.0.0/8)") from None
    return tuple(networks)
