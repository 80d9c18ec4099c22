"""How this process is doing: `/@@health` for load balancers, `/@@diagnostics` for Managers.

`/@@health` answers `200` when the database answers and `503` otherwise, to anyone
(a load balancer has no credentials), and tells nothing else: the reason of
a failure goes to the log. The publisher has already begun a transaction,
which for RelStorage is a round trip to the database; a ZEO client is asked
whether it is connected (without waiting for a reconnection, so the answer
comes at once) and then pinged.

`/@@diagnostics` answers this process's records as JSON (see
`objweb.web.diagnostics`): recent incidents with their tracebacks, the
slowest recent requests, and conflicts by object, with the object's class
and path. Tracebacks, user names and paths from the whole site are for
those who hold `Change permissions` on its root (Managers), as Pack is.
"""

import logging

import webob

from objweb.content.folder import Folder
from objweb.errors import NotFoundError
from objweb.security import protections
from objweb.traversal.views import view_config
from objweb.views.jsonapi import iso_time, json_response
from objweb.web.diagnostics import Report, located_path, oid_text

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


def report_json(report: Report, connection, root) -> dict:
    """Return `report` as JSON data, each conflicting object with its path in the site."""
    return {
        "process": {"host": report.host, "pid": report.pid,
                    "started": iso_time(report.started)},
        "totals": vars(report.totals),
        "incidents": [
            {"id": incident.id, "time": iso_time(incident.time), "user": incident.user,
             "method": incident.method, "path": incident.path, "error": incident.error,
             "traceback": incident.traceback, "detail": incident.detail}
            for incident in report.incidents],
        "slowest_requests": [
            {"time": iso_time(timing.time), "method": timing.method, "path": timing.path,
             "status": timing.status, "user": timing.user,
             "seconds": round(timing.seconds, 6), "attempts": timing.attempts}
            for timing in report.slowest],
        "conflicts": [
            {"class": count.class_name, "path": located_path(connection, root, count.oid),
             "oid": oid_text(count.oid), "conflicts": count.conflicts,
             "retries": count.retries, "unavailable": count.unavailable,
             "last_time": iso_time(count.last_time), "last_request": count.last_request}
            for count in report.conflicts],
    }


@view_config(Folder, "diagnostics", action=protections.CHANGE_PERMISSIONS, methods=("GET",),
             json_api=True)
def diagnostics(folder, request) -> webob.Response:
    """Answer this process's incidents, slowest requests and conflicts; only at the root."""
    if folder.__parent__ is not None:
        raise NotFoundError("the diagnostics are at the site's root")
    response = json_response(report_json(request.diagnostics.report(), request.connection,
                                         folder))
    response.cache_control = "no-store"
    return response
