"""The publisher: one request, one transaction, one answer.

For each request the publisher takes a connection from the pool, begins a
transaction, traverses, identifies the user, checks the path and the view
against the security policy, calls the view and commits before it answers,
so a 2xx means the change is on disk. It aborts on any error, 4xx included,
and replays the whole request from a fresh state when the transaction package
calls an error retryable (a ZODB `ConflictError`), up to the configured number
of attempts, before answering 503.

It serves the views of the registry it is given and knows none itself; the
application (`objweb.app`) fills the registry and says how a browser is
asked to log in (the challenge hook of the error boundary).
"""

import logging
import time

import transaction
import webob.exc
from transaction.interfaces import TransientError
from ZODB.POSException import ConflictError

from objweb.content.revisions import keeping
from objweb.content.site import site_root
from objweb.errors import NotFoundError, ValidationError
from objweb.security.csrf import SAFE_METHODS, CSRFError
from objweb.security.policy import SecurityPolicy
from objweb.security.principals import acting_as
from objweb.security.protections import ACCESS
from objweb.security.throttle import LoginThrottle
from objweb.traversal.resolve import (
    TraversalResult, acquire, child, find, is_container, traverse)
from objweb.traversal.views import CREATE_BY_PUT, DEFAULT_VIEW, ViewRegistry
from objweb.web import audit, boundary, limits
from objweb.web.boundary import Challenge
from objweb.web.commit import join_witness
from objweb.web.config import Settings
from objweb.web.diagnostics import Diagnostics, Incident, RequestTiming, describe_error
from objweb.web.identity import check_csrf, finish_response, identify
from objweb.web.proxies import TrustedProxies
from objweb.web.request import Request
from objweb.web.vhost import read_virtual_host
from objweb.web.writers import WriteGate

log = logging.getLogger("objweb.publisher")

# What changes nothing, so takes no write gate and writes no audit line: the
# safe methods, and WebDAV's PROPFIND (RFC 4918). The CSRF check keeps its own
# list, without PROPFIND: a session cookie's PROPFIND carries the token too.
READING_METHODS = SAFE_METHODS | {"PROPFIND"}
INDEX_NAME = "index_html"
UNAVAILABLE = "The database is not answering; try again shortly."
UNKNOWN_OUTCOME = ("The database stopped answering while this change was being saved: "
                   "it may or may not have been kept. Check before trying again.")
# Request state WebOb caches in the environment; dropped before a retry so the
# replayed request is parsed afresh from its rewound body.
_PARSED_KEYS = ("webob._parsed_post_vars", "webob._parsed_query_vars", "webob.adhoc_attrs",
                "webob._body_file", "webob._parsed_cookies")


class Publisher:
    """A WSGI application over one `ZODB.DB`, serving the views of one registry.

    `challenge` is the error boundary's hook: given the request and the
    problem, it returns the answer that asks the client to log in (the
    login form for a browser refused with a `401`), or None for the
    boundary's own answer. A view registered with a challenge of its own
    (the WebDAV door) has it replace this one for the requests that reach it.
    """

    def __init__(self, db, settings: Settings | None, registry: ViewRegistry, *,
                 challenge: Challenge | None = None):
        self.db = db
        self.settings = settings or Settings()
        self.registry = registry
        self.challenge = challenge
        self.throttle = LoginThrottle(
            attempts_per_user=self.settings.login_attempts,
            attempts_per_address=self.settings.login_attempts_per_address,
            window=self.settings.login_window)
        self.writers = WriteGate(patience=self.settings.replay_wait)
        self.proxies = TrustedProxies(self.settings.trusted_proxies)
        self.diagnostics = Diagnostics.from_settings(self.settings)

    def __call__(self, environ, start_response):
        received, started = time.time(), time.perf_counter()
        # WSGI lets a server leave these out when they are empty; WebOb reads both.
        environ.setdefault("SCRIPT_NAME", "")
        environ.setdefault("PATH_INFO", "")
        # Before anything can refuse the request: the access log reads it too.
        self.proxies.client_address(environ)
        request = Request(environ)
        try:
            limits.check_request(request, self.settings)
            if request.method not in READING_METHODS or request.content_length:
                # Read once and replayable: a PROPFIND asks its question in its body.
                limits.make_body_seekable(request, self.settings.max_request_body)
        except ValidationError as error:
            # Over a limit: answered before the database is opened.
            response = self._problem(request, boundary.problem_for(error))
        else:
            response = self.respond(environ)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        self.diagnostics.record_request(RequestTiming(
            received, environ.get("REQUEST_METHOD", ""), _path(environ), response.status_int,
            environ.get("objweb.user"), time.perf_counter() - started,
            environ.get("objweb.attempts", 1)))
        return response(environ, start_response)

    def respond(self, environ) -> webob.Response:
        """Return the response to the request in `environ`, retrying on conflicts.

        A request that meets a conflict is replayed, body included, up to
        `conflict_retries` times, each replay apart from the process's other
        writes; after that it answers 503 with `Retry-After`.
        A request that finds the database server gone answers 503 at once.
        """
        attempts = 1 + max(0, self.settings.conflict_retries)
        for attempt in range(1, attempts + 1):
            environ["objweb.attempts"] = attempt
            request = self._fresh_request(environ)
            try:
                if request.method in READING_METHODS:
                    return self._attempt(request)
                with self.writers.alone() if attempt > 1 else self.writers.shared():
                    return self._attempt(request)
            except TransientError as error:
                if self._is_disconnected():
                    # The database server went away (ZEO's ClientDisconnected):
                    # a replay would only wait for it again, so say so at once.
                    return self._unavailable(request, error)
                if isinstance(error, ConflictError):
                    self.diagnostics.record_conflict(
                        error, f"{request.method} {_path(environ)}", retried=attempt < attempts)
                if attempt < attempts:
                    log.info("retrying %s %s after %s (retry %d of %d)", request.method,
                             request.path, type(error).__name__, attempt, attempts - 1)
                    continue
                if not isinstance(error, ConflictError):
                    return self._unavailable(request, error)
                log.warning("giving up %s %s after %d attempts: conflict retries exhausted",
                            request.method, request.path, attempts)
                problem = boundary.Problem(
                    503, "The site is busy with conflicting changes; try again.",
                    {"Retry-After": str(self.settings.retry_after)})
                return self._problem(request, problem)
        raise AssertionError("unreachable")  # pragma: no cover (the loop always returns)

    def _fresh_request(self, environ) -> Request:
        for key in _PARSED_KEYS:
            environ.pop(key, None)
        body = environ.get("wsgi.input")
        if environ.get("webob.is_body_seekable") and hasattr(body, "seek"):
            body.seek(0)
        request = Request(environ)
        request.settings = self.settings
        request.throttle = self.throttle
        request.registry = self.registry
        request.diagnostics = self.diagnostics
        return request

    def _attempt(self, request: Request) -> webob.Response:
        """Publish once in a transaction of its own; TransientError propagates."""
        manager = transaction.TransactionManager(explicit=True)
        try:
            connection = self._open(manager)
        except TransientError:
            raise
        except Exception as error:  # the storage did not answer (a database server is down)
            return self._unavailable(request, error)
        response = witness = None
        try:
            request.connection = connection
            try:
                response = self.publish(request)
                if response.status_int >= 400:
                    manager.abort()
                else:
                    witness = join_witness(manager)
                    self._commit_described(request, manager)
            except TransientError as error:
                _discard(response)
                manager.abort()
                if witness is not None and witness.voted:
                    # The database went away after the vote: it may have kept the
                    # change, and a replay could make it twice, so none is made.
                    return self._unavailable(request, error, during_commit=True)
                raise
            except Exception as error:
                # Any failure, the commit's included: nothing of the request is kept.
                _discard(response)
                manager.abort()
                problem = boundary.problem_for(error)
                if problem.incident:
                    self._record_incident(request, problem, error)
                response = self._problem(request, problem)
                finish_response(request, response)
                return response
            finish_response(request, response)
            return response
        finally:
            connection.close()

    def _record_incident(self, request: Request, problem: boundary.Problem,
                         error: Exception) -> None:
        summary, text = describe_error(error)
        self.diagnostics.record_incident(Incident(
            problem.incident, time.time(), request.method, _path(request.environ),
            request.environ.get("objweb.user"), summary, text, problem.detail))

    def _open(self, manager):
        """Return a connection whose transaction has begun (a round trip to some storages)."""
        connection = self.db.open(transaction_manager=manager)
        try:
            manager.begin()
        except BaseException:
            connection.close()
            raise
        return connection

    def _is_disconnected(self) -> bool:
        """Whether the storage says it lost its server (a ZEO client can tell)."""
        is_connected = getattr(self.db.storage, "is_connected", None)
        return is_connected is not None and not is_connected()

    def _unavailable(self, request: Request, error: Exception, *,
                     during_commit: bool = False) -> webob.Response:
        where = f" during the commit of {request.method} {request.path}" if during_commit else ""
        log.error("the database is not answering%s: %s: %s", where, type(error).__name__, error)
        message = UNKNOWN_OUTCOME if during_commit else UNAVAILABLE
        problem = boundary.Problem(503, message,
                                   {"Retry-After": str(self.settings.retry_after)})
        return self._problem(request, problem)

    def _problem(self, request: Request, problem: boundary.Problem) -> webob.Response:
        """Return the answer that tells the client about `problem`."""
        return boundary.render_problem(request, problem, as_json=boundary.prefers_json(request),
                                       challenge=request.view_challenge or self.challenge)

    @staticmethod
    def _commit_described(request: Request, manager) -> None:
        """Commit, recording who changed what (a change: an unsafe method or a note)."""
        txn = manager.get()
        is_change = request.method not in READING_METHODS or bool(txn.description)
        if is_change:
            audit.describe_transaction(request, txn)
        manager.commit()
        if is_change:
            audit.committed(request, txn)

    # -- publishing -------------------------------------------------------------

    def publish(self, request: Request) -> webob.Response:
        """Traverse, identify, check and call the view; raise on any refusal."""
        root = site_root(request.connection)
        if root is None:
            raise NotFoundError("this database holds no objweb site yet")
        try:
            segments = [segment for segment in request.path_info.split("/") if segment]
        except UnicodeDecodeError:
            raise NotFoundError("the path is not valid UTF-8") from None
        host = read_virtual_host(segments, request.application_url,
                                 from_trusted_proxy=self.proxies.trusts(request.remote_addr))
        request.base_url = host.base_url
        request.virtual_host = host
        request.url_root = _virtual_root(root, host.root_segments)
        request.root = root
        result = traverse(root, list(host.root_segments) + list(host.segments), self.registry)
        request.traversal = result
        request.view_challenge = self.registry.challenge_of(result.obj, result.view_name)
        principal = identify(request, result.context)
        request.principal = principal
        request.policy = SecurityPolicy(principal)
        request.environ["objweb.user"] = principal.id
        with acting_as(principal), keeping(self.settings.history_size):
            self._check_path(request, result)
            if not result.found:
                return self._missing(request, result)
            return self._call_view(request, result)

    @staticmethod
    def _check_path(request: Request, result: TraversalResult) -> None:
        """Require `Access contents information` on every object walked through."""
        walked_through = result.chain
        if result.found and result.obj is result.context:
            walked_through = result.chain[:-1]
        request.policy.check_lineage(ACCESS, walked_through)

    def _missing(self, request: Request, result: TraversalResult) -> webob.Response:
        if request.method == "PUT" and not result.subpath and is_container(result.obj):
            registration = self.registry.lookup(result.obj, CREATE_BY_PUT, "PUT")
            if registration is not None:
                request.answers_json = registration.json_api
                request.policy.check(registration.action, result.obj)
                check_csrf(request, registration)
                return registration.handler(result.obj, request)
        raise NotFoundError(f"nothing named {result.missing!r} here")

    def _call_view(self, request: Request, result: TraversalResult) -> webob.Response:
        obj = result.obj
        name = DEFAULT_VIEW if result.view_name is None else result.view_name
        index = self._index_of(request, obj, name)
        if index is not None:
            request.policy.check(ACCESS, obj)
            request.traversal = result = TraversalResult(
                index, obj if index.is_acquirable else index, None, (),
                result.chain + (index,))
            obj = index
        registration = self._registration(request, obj, name)
        if result.subpath and not registration.accepts_subpath:
            raise NotFoundError("nothing at this address")
        if registration.json_api:
            request.answers_json = True
        target = obj.__parent__ if registration.on_parent else obj
        if target is None:
            allowed = [method for method in self.registry.allowed_methods(obj, name)
                       if method != request.method]
            raise webob.exc.HTTPMethodNotAllowed(
                detail="the root cannot do this", headers={"Allow": ", ".join(allowed)})
        request.policy.check(registration.action, target)
        return self._call_checked(request, registration, obj)

    @staticmethod
    def _call_checked(request: Request, registration, obj) -> webob.Response:
        """Call the view once the one CSRF check lets the request through.

        Raises `CSRFError`, except for this site's own form whose view shows
        a refused form again as typed, with a fresh token, changing nothing.
        """
        try:
            check_csrf(request, registration)
        except CSRFError:
            if registration.token_refused is None or not request.comes_from_this_site:
                raise
            return registration.token_refused(obj, request)
        return registration.handler(obj, request)

    def _registration(self, request: Request, obj, name: str):
        """Return the view `name` of `obj` for this request; raise 404, 405 or 406."""
        registration = self.registry.lookup(obj, name, request.method, request.wants_json)
        if registration is not None:
            return registration
        allowed = self.registry.allowed_methods(obj, name)
        if not allowed:
            raise NotFoundError(f"no view {name!r} here")
        if request.method in allowed:  # HEAD is allowed wherever GET is
            # The method is answered, only not in the form the client accepts.
            raise webob.exc.HTTPNotAcceptable(
                detail="this object has no page for a browser; ask for application/json")
        raise webob.exc.HTTPMethodNotAllowed(
            detail=f"{request.method} is not allowed here", headers={"Allow": ", ".join(allowed)})

    @staticmethod
    def _index_of(request: Request, obj, name: str):
        if name != DEFAULT_VIEW or request.method not in ("GET", "HEAD", "POST"):
            return None
        if request.wants_json or request.has_json_body or not is_container(obj):
            return None
        # As in Zope: the folder's own index_html, else a Template or Script of
        # that name above it, shown in the folder's context.
        return child(obj, INDEX_NAME) or acquire(obj, INDEX_NAME)


def _virtual_root(root, segments):
    """Return the object a virtual host maps its public root to; raise 404 if none."""
    try:
        return find(root, "/".join(segments))
    except ValueError:
        raise NotFoundError("a virtual root cannot climb with '..'") from None


def _path(environ) -> str:
    """The request's path as the client sent it, without the query (it may carry secrets)."""
    path = environ["SCRIPT_NAME"] + environ["PATH_INFO"]
    try:
        # WSGI hands the path over as bytes in Latin-1; URLs are UTF-8.
        return path.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return path


def _discard(response) -> None:
    """Close what an abandoned response holds open (a blob being served)."""
    close = getattr(getattr(response, "app_iter", None), "close", None)
    if close is not None:
        close()
