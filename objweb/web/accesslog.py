"""An access log in Common Log Format, as WSGI middleware, written in batches.

One line per request on the `objweb.access` logger:
`host - user [10/Oct/2026:13:55:36 +0000] "GET /path HTTP/1.1" 200 2326`.
The size comes from `Content-Length`, so the body passes through untouched
(a `wsgi.file_wrapper` stays one).

Writing a line as it is made cost a third of a page's throughput: a
`LogRecord`, the handler's lock, a rollover check (two `stat` calls and a
seek), a `write` and a `flush` per request, each system call handing the GIL
to the other threads and waiting to get it back. When the access logger's one
handler is a `BatchingHandler` (what `objweb.ini` sets up), the serving thread
only formats the line and appends it to a deque; one writer thread writes what
has gathered as one record to the real handler every `interval` seconds, so
the rollover check, the write and the flush happen once per batch. Closing or
flushing the handler (logging's exit hook, after a SIGTERM's clean stop)
writes the rest; a crash loses at most the lines of the last interval. Any other set-up
(a `fileConfig`, the event log's own file, a test's capture) gets a
`LogRecord` per line, as before.
"""

import collections
import logging
import os
import threading
import time
import weakref

from objweb.web.proxies import CLIENT_ADDRESS_KEY

access_log = logging.getLogger("objweb.access")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FLUSH_SECONDS = 0.5
# Lines gathered before the writer is woken early, which bounds the memory
# a burst can take between two flushes.
BATCH_LINES = 2000


def _quote(value: str) -> str:
    # Keeps a log line one line: a path may hold quotes or control characters.
    if value.isprintable() and '"' not in value:
        return value
    return "".join(ch if ch.isprintable() and ch != '"' else f"\\x{ord(ch):02x}" for ch in value)


# The stamp of the last second a line was made in: every request of that
# second shares it. Replaced whole, so threads racing here only do the work twice.
_last_stamp = (-1, "")


def _stamp(when: float) -> str:
    global _last_stamp
    second = int(when)
    known, text = _last_stamp
    if second == known:
        return text
    moment = time.gmtime(second)
    # Month names spelled out here: strftime's %b follows the process's locale.
    text = (f"{moment.tm_mday:02d}/{_MONTHS[moment.tm_mon - 1]}/{moment.tm_year}:"
            f"{moment.tm_hour:02d}:{moment.tm_min:02d}:{moment.tm_sec:02d} +0000")
    _last_stamp = (second, text)
    return text


class BatchingHandler(logging.Handler):
    """Gathers lines and hands them to `target` in batches from one writer thread.

    `write_line` takes a formatted line without a `LogRecord` (the access
    log's way); `emit` takes records from any logger. `flush` and `close`
    write what has gathered at once.
    """

    def __init__(self, target: logging.Handler, *, interval: float = FLUSH_SECONDS,
                 batch_lines: int = BATCH_LINES):
        super().__init__()
        self.target = target
        self.interval = interval
        self.batch_lines = batch_lines
        self._lines = collections.deque()
        self._closed = False
        self._start_writer()
        _open_handlers.add(self)

    def _start_writer(self) -> None:
        self._wake = threading.Event()
        # Only the writer thread and `flush` take it; serving threads never do.
        self._write_lock = threading.Lock()
        self._writer = threading.Thread(target=self._run, name="objweb-access-log",
                                        daemon=True)
        self._writer.start()

    def write_line(self, line: str) -> None:
        """Queue one line; a deque's append needs no lock of ours."""
        lines = self._lines
        lines.append(line)
        if len(lines) >= self.batch_lines:
            self._wake.set()

    def emit(self, record: logging.LogRecord) -> None:
        """Queue a record from the logging framework as its formatted line."""
        try:
            self.write_line(self.format(record))
        except Exception:  # pragma: no cover (logging's own contract: never raise)
            self.handleError(record)

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(self.interval)
            self._wake.clear()
            self.flush()

    def flush(self) -> None:
        """Write every line gathered so far to the target, as one record.

        The target's own `emit` writes and flushes it, and reports a failure
        through logging's `handleError`, as it would a line.
        """
        with self._write_lock:
            lines = self._lines
            # Taken one by one: a line appended meanwhile stays for the next batch.
            batch = [lines.popleft() for _ in range(len(lines))]
            if batch:
                self.target.handle(logging.LogRecord(
                    access_log.name, logging.INFO, __file__, 0, "\n".join(batch), None, None))

    def close(self) -> None:
        """Stop the writer, write what is left and close the target."""
        self._closed = True
        self._wake.set()
        self._writer.join(timeout=5)
        self.flush()
        self.target.close()
        super().close()


# A process forked after logging was set up (a server that loads the application
# before it forks its workers) has no writer thread, and perhaps a lock the
# parent's writer held: each of its handlers starts afresh.
_open_handlers: "weakref.WeakSet[BatchingHandler]" = weakref.WeakSet()


def _restart_writers_after_fork() -> None:
    for handler in list(_open_handlers):
        if not handler._closed:
            handler._start_writer()


os.register_at_fork(after_in_child=_restart_writers_after_fork)


def _batching_handler() -> BatchingHandler | None:
    """The access logger's batching handler, if it is the only place its lines go."""
    handlers = access_log.handlers
    if len(handlers) == 1 and not access_log.propagate and not access_log.filters:
        handler = handlers[0]
        if type(handler) is BatchingHandler:
            return handler
    return None


class AccessLog:
    """Wraps a WSGI application and logs each request it answers."""

    def __init__(self, app):
        self.app = app

    def __getattr__(self, name):
        return getattr(self.app, name)

    def __call__(self, environ, start_response):
        received = time.time()

        def logging_start_response(status, headers, exc_info=None):
            if access_log.isEnabledFor(logging.INFO):
                self.log(environ, status, headers, received)
            return start_response(status, headers, exc_info)
        return self.app(environ, logging_start_response)

    def log(self, environ, status: str, headers, received: float) -> None:
        """Write the line of a request answered with `status` and `headers`."""
        size = "-"
        for name, value in headers:
            if name.lower() == "content-length":
                size = value
                break
        if size == "0" or environ.get("REQUEST_METHOD") == "HEAD":
            size = "-"
        line = self.format_line(environ, status.split(" ", 1)[0], size, received)
        handler = _batching_handler()
        if handler is not None:
            handler.write_line(line)
        else:
            access_log.info("%s", line)

    @staticmethod
    def format_line(environ, status: str, size: str, when: float | None = None) -> str:
        """Return the Common Log Format line for a request received at `when`."""
        # The client behind a trusted proxy, as the application worked it out.
        host = environ.get(CLIENT_ADDRESS_KEY) or environ.get("REMOTE_ADDR", "-")
        user = environ.get("objweb.user") or "-"
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING")
        if query:
            path += "?" + query
        request_line = (f'{environ.get("REQUEST_METHOD", "-")} {path} '
                        f'{environ.get("SERVER_PROTOCOL", "HTTP/1.0")}')
        stamp = _stamp(time.time() if when is None else when)
        return f'{host} - {_quote(user)} [{stamp}] "{_quote(request_line)}" {status} {size}'
