"""An access log in Common Log Format, as WSGI middleware.

One line per request on the `objweb.access` logger:
`host - user [10/Oct/2026:13:55:36 +0000] "GET /path HTTP/1.1" 200 2326`.
The size comes from `Content-Length`, so the body passes through untouched
(a `wsgi.file_wrapper` stays one).
"""

import logging
import time

access_log = logging.getLogger("objweb.access")


def _quote(value: str) -> str:
    # Keeps a log line one line: a path may hold quotes or control characters.
    return "".join(ch if ch.isprintable() and ch != '"' else f"\\x{ord(ch):02x}" for ch in value)


class AccessLog:
    """Wraps a WSGI application and logs each request it answers."""

    def __init__(self, app):
        self.app = app

    def __getattr__(self, name):
        return getattr(self.app, name)

    def __call__(self, environ, start_response):
        def logging_start_response(status, headers, exc_info=None):
            size = next((value for name, value in headers
                         if name.lower() == "content-length"), "-")
            if environ.get("REQUEST_METHOD") == "HEAD":
                size = "-"
            access_log.info("%s", self.format_line(environ, status.split(" ", 1)[0], size))
            return start_response(status, headers, exc_info)
        return self.app(environ, logging_start_response)

    @staticmethod
    def format_line(environ, status: str, size: str) -> str:
        """Return the Common Log Format line for a request."""
        host = environ.get("REMOTE_ADDR", "-")
        user = environ.get("objweb.user") or "-"
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING")
        if query:
            path += "?" + query
        request_line = (f'{environ.get("REQUEST_METHOD", "-")} {path} '
                        f'{environ.get("SERVER_PROTOCOL", "HTTP/1.0")}')
        stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime())
        return f'{host} - {_quote(user)} [{stamp}] "{_quote(request_line)}" {status} {size}'
