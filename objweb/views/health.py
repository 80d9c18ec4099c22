"""`/@@health`: whether this process can reach its database, for load balancers.

It answers `200` when the database answers and `503` otherwise, to anyone
(a load balancer has no credentials), and tells nothing else: the reason of
a failure goes to the log. The publisher has already begun a transaction,
which for RelStorage is a round trip to the database; a ZEO client is asked
whether it is connected (without waiting for a reconnection, so the answer
comes at once) and then pinged.
"""

import logging

import webob

from objweb.content.folder import Folder
from objweb.errors import NotFoundError
from objweb.security import protections
from objweb.traversal.views import view_config

log = logging.getLogger("objweb.health")


class DatabaseUnavailableError(Exception):
    """The database did not answer."""


def check_database(connection) -> None:
    """Return if the database behind `connection` answers; raise otherwise.

    Raises `DatabaseUnavailableError` for a ZEO client that is not connected,
    and whatever the storage raises when a round trip fails.
    """
    storage = connection.db().storage
    is_connected = getattr(storage, "is_connected", None)
    if is_connected is not None and not is_connected():
        raise DatabaseUnavailableError("the ZEO client is not connected to its server")
    ping = getattr(storage, "ping", None)
    if ping is not None:
        ping()
    storage.lastTransaction()
    connection.root()


def _answer(status: int, text: str) -> webob.Response:
    response = webob.Response(text + "\n", status=status, content_type="text/plain",
                              charset="utf-8")
    response.cache_control = "no-store"
    return response


@view_config(Folder, "health", action=protections.PUBLIC, methods=("GET",))
def health(folder, request) -> webob.Response:
    """Answer 200 if the database answers, 503 if not; only at the site's root."""
    if folder.__parent__ is not None:
        raise NotFoundError("the health check is at the site's root")
    try:
        check_database(request.connection)
    except Exception as error:  # any failure of the storage means "not healthy"
        log.warning("health check failed: %s: %s", type(error).__name__, error)
        return _answer(503, "database unavailable")
    return _answer(200, "ok")
