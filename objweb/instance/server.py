"""Running the WSGI application under waitress, and stopping it cleanly.

On SIGTERM (or SIGINT) the server stops accepting connections, lets the
requests in flight (still arriving, being answered, or being sent) finish,
for at most `DRAIN_SECONDS`, then stops its threads; the caller closes the
database afterwards.

waitress warns "Task queue depth is N" each time a request waits for a
thread, which under a steady load is most requests: a log line, with its
file's rollover check and flush, per request. The server says it at most
once every `QUEUE_WARNING_SECONDS`, with how often requests waited since.
"""

import logging
import select
import signal
import threading
import time

from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server

log = logging.getLogger("objweb.server")

POLL_SECONDS = 0.5
DRAIN_SECONDS = 30.0
QUEUE_WARNING_SECONDS = 60.0


class QueueWarnings:
    """Stands in for waitress's queue logger: one warning per interval, with a count.

    waitress calls `warning` under its dispatcher's lock, so the counts need
    no lock of their own.
    """

    def __init__(self, logger: logging.Logger, interval: float = QUEUE_WARNING_SECONDS):
        self.logger = logger
        self.interval = interval
        self.waited = 0
        self._next = 0.0

    def warning(self, message: str, depth: int, *args) -> None:
        """Count a request that waits for a thread; warn if the interval has passed."""
        self.waited += 1
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + self.interval
        waited, self.waited = self.waited, 0
        self.logger.warning("all threads busy: %d request(s) queued; %d request(s) waited "
                            "for a thread since the last such warning", depth, waited)


class Server:
    """A waitress server with a clean stop."""

    def __init__(self, app, *, host: str, port: int, threads: int, **adjustments):
        self._stop = threading.Event()
        # waitress drops X-Forwarded-For unless told otherwise: a site that
        # trusts proxies reads it itself (objweb/web/proxies.py).
        adjustments.setdefault("clear_untrusted_proxy_headers", True)
        self._waitress = create_server(app, host=host, port=port, threads=threads,
                                       **adjustments)
        dispatcher = self._waitress.task_dispatcher
        dispatcher.queue_logger = QueueWarnings(dispatcher.queue_logger)

    @property
    def _map(self) -> dict:
        return getattr(self._waitress, "_map", None) or self._waitress.map

    @property
    def addresses(self) -> list[str]:
        """The `http://host:port/` addresses the server listens on."""
        listeners = getattr(self._waitress, "effective_listen", None)
        if listeners is None:
            listeners = [(self._waitress.effective_host, self._waitress.effective_port)]
        return [f"http://{host}:{port}/" if ":" not in str(host) else f"http://[{host}]:{port}/"
                for host, port in listeners]

    def stop(self) -> None:
        """Ask the server to stop; safe from a signal handler or another thread."""
        self._stop.set()

    def install_signal_handlers(self) -> None:
        """Stop cleanly on SIGTERM and SIGINT."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.stop())

    def run(self) -> None:
        """Serve until asked to stop, then finish what is in flight."""
        while not self._stop.is_set():
            wasyncore.loop(timeout=POLL_SECONDS, map=self._map, count=1)
        log.info("stopping: no new connections; finishing requests in flight")
        listeners = [item for item in self._map.values() if isinstance(item, BaseWSGIServer)]
        for listener in listeners:
            _accept_waiting(listener)
        # Read what the connections just accepted have sent already.
        wasyncore.loop(timeout=0, map=self._map, count=1)
        for listener in listeners:
            # The listener's own socket only: its trigger still wakes the loop
            # when a thread finishes a request.
            wasyncore.dispatcher.close(listener)
        deadline = time.monotonic() + DRAIN_SECONDS
        while self._busy() and time.monotonic() < deadline:
            wasyncore.loop(timeout=0.05, map=self._map, count=1)
        self._waitress.task_dispatcher.shutdown(cancel_pending=False, timeout=5)
        wasyncore.close_all(self._map)

    def _busy(self) -> bool:
        dispatcher = self._waitress.task_dispatcher
        if dispatcher.queue or dispatcher.active_count:
            return True
        channels = [item for item in self._map.values() if hasattr(item, "requests")]
        # A request still arriving (`request`: its headers or body are on their
        # way) is in flight too: an upload under way is finished, not cut.
        return any(channel.requests or channel.request is not None
                   or channel.total_outbufs_len for channel in channels)


def _accept_waiting(listener) -> None:
    """Accept the connections made before the stop, which closing the listener would reset."""
    while select.select([listener.socket], [], [], 0)[0]:
        count = len(listener._map)
        listener.handle_accept()
        if len(listener._map) == count:
            break
