"""The server in process: its clean stop, and its warning of requests waiting for a thread."""

import socket
import threading

from objweb.instance.server import Server
from support import wait_for


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


def test_requests_waiting_for_a_thread_are_warned_of_once_per_interval(caplog):
    release = threading.Event()

    def slow_app(environ, start_response):
        release.wait(30)
        start_response("200 OK", [("Content-Length", "2"), ("Content-Type", "text/plain")])
        return [b"ok"]
    server = Server(slow_app, host="127.0.0.1", port=0, threads=1)
    port = server._waitress.effective_port
    runner = threading.Thread(target=server.run)
    runner.start()
    clients = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(4)]
    try:
        for client in clients:
            client.sendall(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
        queue = server._waitress.task_dispatcher.queue_logger
        wait_for(lambda: queue.waited >= 2, timeout=30)
        release.set()
        answers = [client.makefile("rb").read() for client in clients]
    finally:
        release.set()
        server.stop()
        runner.join(30)
        for client in clients:
            client.close()
    assert all(answer.endswith(b"ok") for answer in answers)
    warned = [record.getMessage() for record in caplog.records
              if record.name == "waitress.queue"]
    assert warned == ["all threads busy: 1 request(s) queued; 1 request(s) waited "
                      "for a thread since the last such warning"]
    assert queue.waited == 2
