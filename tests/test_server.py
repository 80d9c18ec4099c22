"""The server's clean stop, in process: what was sent before the stop is answered."""

import socket
import threading

from objweb.instance.server import Server


def echo_app(received):
    def app(environ, start_response):
        received.append(environ["wsgi.input"].read())
        start_response("200 OK", [("Content-Length", "2"), ("Content-Type", "text/plain")])
        return [b"ok"]
    return app


def test_a_connection_waiting_to_be_accepted_is_served_after_the_stop():
    received = []
    server = Server(echo_app(received), host="127.0.0.1", port=0, threads=1)
    client = socket.create_connection(("127.0.0.1", server._waitress.effective_port), timeout=30)
    try:
        client.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345")
        server.stop()  # before the server's loop ever ran: the connection is in the backlog
        runner = threading.Thread(target=server.run)
        runner.start()
        client.sendall(b"67890")
        answer = client.makefile("rb").read()
        runner.join(30)
    finally:
        client.close()
    assert answer.startswith(b"HTTP/1.1 200 OK") and answer.endswith(b"ok")
    assert received == [b"1234567890"] and not runner.is_alive()


def test_no_new_connection_after_the_stop():
    server = Server(echo_app([]), host="127.0.0.1", port=0, threads=1)
    port = server._waitress.effective_port
    server.stop()
    server.run()
    refused = None
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except OSError as error:
        refused = error
    assert isinstance(refused, ConnectionRefusedError)
    assert server.addresses == [f"http://127.0.0.1:{port}/"]
