"""An access log in Common Log Format, as WSGI middleware.

One line per request on the `objweb.access` logger:
`host - user [10/Oct/2026:13:55:36 +0000] "GET /path HTTP/1.1" 200 2326`.
The size comes from `Content-Length`, so the body passes through untouched
(a `wsgi.file_wrapper` stays one).
"""

import logging
import time

from objweb.web.proxies import CLIENT_ADDRESS_KEY

access_log = logging.getLogger("objweb.access")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _quote(value: str) -> str:
    # Keeps a log line one line: a path may hold quotes or control characters.
    if value.isprintable() and '"' not in value:
        return value
    return "".join(ch if ch.isprintable() and ch != '"' else f"\\x{ord(ch):02x}" for ch in value)


class AccessLog:
    """Wraps a WSGI application and logs each request it answers."""

    def __init__(self, app):
        self.app = app

    def __getattr__(self, name):
        return getattr(self.app, name)

    def __call__(self, environ, start_response):
        received = time.time()

        def logging_start_response(status, headers, exc_info=None):
            size = next((value for name, value in headers
                         if name.lower() == "content-length"), "-")
            if access_log.isEnabledFor(logging.INFO):
                if environ.get("REQUEST_METHOD") == "HEAD" or size == "0":
                    size = "-"
                access_log.info("%s", self.format_line(environ, status.split(" ", 1)[0], size,
                                                       received))
            return start_response(status, headers, exc_info)
        return self.app(environ, logging_start_response)

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
        moment = time.gmtime(time.time() if when is None else when)
        # Month names spelled out here: strftime's %b follows the process's locale.
        stamp = (f"{moment.tm_mday:02d}/{_MONTHS[moment.tm_mon - 1]}/{moment.tm_year}:"
                 f"{moment.tm_hour:02d}:{moment.tm_min:02d}:{moment.tm_sec:02d} +0000")
        return f'{host} - {_quote(user)} [{stamp}] "{_quote(request_line)}" {status} {size}'
