"""The ceiling: a hello-world WSGI application under objweb's own waitress server.

    python bench/bare_app.py PORT [THREADS]

It answers every request, whatever its method and path, with a short page: what is
left of a server's time when the application costs nothing.
"""

import sys

from objweb.instance.server import Server

BODY = b"<html><body><h1>Hello</h1></body></html>"


def app(environ, start_response):
    if environ.get("CONTENT_LENGTH"):  # read what a writer sends, as any app would
        environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
    start_response("200 OK", [("Content-Type", "text/html"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]


def main() -> None:
    port = int(sys.argv[1])
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    server = Server(app, host="127.0.0.1", port=port, threads=threads)
    server.install_signal_handlers()
    server.run()


if __name__ == "__main__":
    main()
