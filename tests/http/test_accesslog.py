"""The access log: one line per request, in Common Log Format."""

import logging
import re

import pytest

from objweb.web.accesslog import AccessLog
from support import ADMIN_AUTH

CLF = re.compile(r'^(?P<host>\S+) - (?P<user>\S+) \[(?P<day>\d\d)/(?P<month>[A-Z][a-z]{2})/'
                 r'(?P<year>\d{4}):\d\d:\d\d:\d\d \+0000\] "(?P<request>[^"]*)" '
                 r'(?P<status>\d{3}) (?P<size>\d+|-)$')


@pytest.fixture
def access_lines(caplog):
    caplog.set_level(logging.INFO, "objweb.access")

    def lines():
        return [record.getMessage() for record in caplog.records
                if record.name == "objweb.access"]
    return lines


def test_each_request_logs_one_line(app, sample, access_lines):
    response = app.get("/news/hello?x=1", extra_environ={"REMOTE_ADDR": "10.1.2.3"},
                       status=200)
    [line] = access_lines()
    fields = CLF.match(line).groupdict()
    assert fields["host"] == "10.1.2.3" and fields["user"] == "-"
    assert fields["request"] == "GET /news/hello?x=1 HTTP/1.0"
    assert fields["status"] == "200" and fields["size"] == response.headers["Content-Length"]


def test_the_user_and_errors_are_logged(app, sample, access_lines):
    app.get("/news/nope", headers=ADMIN_AUTH, status=404)
    app.head("/news/hello", status=200)
    app.delete("/news/hello", headers=ADMIN_AUTH, status=204)
    missing, head, deleted = (CLF.match(line).groupdict() for line in access_lines())
    assert (missing["user"], missing["status"]) == ("admin", "404")
    assert (head["request"], head["size"]) == ("HEAD /news/hello HTTP/1.0", "-")
    assert (deleted["status"], deleted["size"]) == ("204", "-")


def test_a_line_stays_one_line(access_lines):
    line = AccessLog.format_line({"REQUEST_METHOD": "GET", "PATH_INFO": '/a"b\nc',
                                  "objweb.user": "x y\x00"}, "200", "5", when=0)
    assert line == ('- - x y\\x00 [01/Jan/1970:00:00:00 +0000] '
                    '"GET /a\\x22b\\x0ac HTTP/1.0" 200 5')


def test_the_wrapper_passes_attributes_through(app, db):
    from objweb import make_app
    wrapped = make_app(db)
    assert isinstance(wrapped, AccessLog) and wrapped.db is db
    assert not isinstance(make_app(db, access_log=False), AccessLog)
