"""The access log written in batches: every line kept, across a SIGTERM too.

The serving threads only queue a line; one writer thread writes what has
gathered, so a rotating file is checked for rollover once per batch.
"""

import http.client
import logging
import logging.handlers
import os
import re
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from webtest import TestApp

from objweb.instance.ini import ConfigError, read_config
from objweb.instance.logs import ACCESS_LOGGER, configure_logging
from objweb.web.accesslog import BatchingHandler
from objweb.wsgi import make_app
from support import ADMIN, ADMIN_PASSWORD, OBJWEB, Process, free_port, run_objweb, wait_for

BURST_CLIENTS = 4
BURST_EACH = 150


class CountingRotatingHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler that counts its rollover checks."""

    checks = 0

    def shouldRollover(self, record):
        self.checks += 1
        return super().shouldRollover(record)


def _requests(port: int, client: int) -> list[int]:
    """Send `BURST_EACH` requests over one keep-alive connection; return their statuses."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    statuses = []
    try:
        for number in range(BURST_EACH):
            connection.request("GET", f"/@@health?client={client}&n={number}")
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
    finally:
        connection.close()
    return statuses


@pytest.mark.server
def test_every_line_of_a_burst_is_in_the_file_after_sigterm(tmp_path):
    port = free_port()
    (tmp_path / "objweb.ini").write_text(textwrap.dedent(f"""
        [server]
        port = {port}
        threads = 4
        [logging]
        event_log = var/log/event.log
        access_log = var/log/access.log
        ; the writer would not write before the stop: only the stop can keep the lines
        access_log_flush = 60
        """))
    assert run_objweb(["adduser", ADMIN, ADMIN_PASSWORD], tmp_path).returncode == 0
    serve = Process([OBJWEB, "serve"], tmp_path, name="serve")
    try:
        wait_for(lambda: f"Serving http://127.0.0.1:{port}/" in serve.stdout, timeout=60,
                 message=serve.stderr)
        with ThreadPoolExecutor(BURST_CLIENTS) as pool:
            answered = [status for statuses in pool.map(lambda client: _requests(port, client),
                                                        range(BURST_CLIENTS))
                        for status in statuses]
    finally:
        assert serve.stop() == 0
    assert answered == [200] * (BURST_CLIENTS * BURST_EACH)
    lines = (tmp_path / "var" / "log" / "access.log").read_text().splitlines()
    logged = sorted(re.search(r'"GET /@@health\?(\S+) HTTP/1.1" 200 ', line).group(1)
                    for line in lines)
    assert logged == sorted(f"client={client}&n={number}" for client in range(BURST_CLIENTS)
                            for number in range(BURST_EACH))


def test_lines_wait_for_the_batch_and_are_checked_for_rollover_once(tmp_path):
    target = CountingRotatingHandler(tmp_path / "access.log", maxBytes=1 << 20, backupCount=2)
    target.setFormatter(logging.Formatter("%(message)s"))
    handler = BatchingHandler(target, interval=3600)
    try:
        for number in range(500):
            handler.write_line(f"line {number}")
        assert (tmp_path / "access.log").read_text() == ""
        handler.flush()
        assert (tmp_path / "access.log").read_text().splitlines() == [
            f"line {number}" for number in range(500)]
        assert target.checks == 1
    finally:
        handler.close()


def test_the_writer_thread_writes_without_being_asked(tmp_path):
    target = logging.FileHandler(tmp_path / "access.log")
    handler = BatchingHandler(target, interval=0.05)
    try:
        handler.write_line("written by the writer")
        wait_for(lambda: "written by the writer" in (tmp_path / "access.log").read_text(),
                 timeout=10)
    finally:
        handler.close()


def test_a_full_batch_wakes_the_writer_before_its_interval(tmp_path):
    target = logging.FileHandler(tmp_path / "access.log")
    handler = BatchingHandler(target, interval=3600, batch_lines=10)
    try:
        for number in range(10):
            handler.write_line(f"line {number}")
        wait_for(lambda: "line 9" in (tmp_path / "access.log").read_text(), timeout=10)
    finally:
        handler.close()


def test_closing_writes_what_is_left_and_records_go_through_too(tmp_path):
    target = logging.FileHandler(tmp_path / "access.log")
    target.setFormatter(logging.Formatter("%(message)s"))
    handler = BatchingHandler(target, interval=3600)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.write_line("a line")
    handler.handle(logging.makeLogRecord({"msg": "a record %d", "args": (7,),
                                          "levelno": logging.WARNING,
                                          "levelname": "WARNING"}))
    handler.close()
    assert (tmp_path / "access.log").read_text() == "a line\nWARNING a record 7\n"


def test_a_rotating_access_log_keeps_every_line_across_its_files(tmp_path, restore_logging):
    (tmp_path / "objweb.ini").write_text(textwrap.dedent("""
        [logging]
        event_log = logs/event.log
        access_log = logs/access.log
        max_size = 2KB
        keep = 50
        """))
    configure_logging(read_config(tmp_path / "objweb.ini"))
    [handler] = logging.getLogger(ACCESS_LOGGER).handlers
    assert type(handler) is BatchingHandler
    for number in range(300):
        handler.write_line(f"an access line {number}")
        if number % 30 == 29:
            handler.flush()
    handler.close()
    files = sorted((tmp_path / "logs").glob("access.log*"))
    assert len(files) > 2
    kept = [line for path in files for line in path.read_text().splitlines()]
    assert sorted(kept) == sorted(f"an access line {number}" for number in range(300))
    assert "an access line" not in (tmp_path / "logs" / "event.log").read_text()


def test_the_middleware_hands_its_line_to_the_batching_handler(tmp_path, restore_logging,
                                                               db):
    access = logging.getLogger(ACCESS_LOGGER)
    handler = BatchingHandler(logging.FileHandler(tmp_path / "access.log"), interval=3600)
    access.handlers[:] = [handler]
    access.propagate = False
    access.setLevel(logging.INFO)
    TestApp(make_app(db)).get("/@@health?x=1", status=200)
    assert (tmp_path / "access.log").read_text() == ""
    handler.close()
    assert (tmp_path / "access.log").read_text().endswith(
        '"GET /@@health?x=1 HTTP/1.0" 200 3\n')


@pytest.mark.parametrize("value", ["0", "61", "soon"])
def test_a_bad_flush_interval_is_refused(tmp_path, value):
    (tmp_path / "objweb.ini").write_text(f"[logging]\naccess_log_flush = {value}\n")
    with pytest.raises(ConfigError, match="access_log_flush"):
        read_config(tmp_path / "objweb.ini")


def test_a_process_forked_after_the_set_up_writes_its_own_lines(tmp_path):
    handler = BatchingHandler(logging.FileHandler(tmp_path / "access.log"), interval=0.05)
    try:
        child = os.fork()
        if child == 0:  # the child: its writer must write without being closed
            handler.write_line("from the child")
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if "from the child" in (tmp_path / "access.log").read_text():
                    os._exit(0)
                time.sleep(0.02)
            os._exit(1)
        _, status = os.waitpid(child, 0)
    finally:
        handler.close()
    assert os.waitstatus_to_exitcode(status) == 0
    assert (tmp_path / "access.log").read_text() == "from the child\n"
