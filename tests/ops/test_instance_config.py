"""objweb.ini: reading it, its precedence, logging from it, and PasteDeploy over it."""

import json
import logging
import logging.handlers
import re
import textwrap
import urllib.request
from pathlib import Path

import pytest
from paste.deploy import loadapp
from webtest import TestApp

from objweb.instance.ini import ConfigError, InstanceConfig, find_config, read_config
from objweb.instance.logs import ACCESS_LOGGER, configure_logging
from objweb.web.config import Settings
from support import (
    ADMIN, ADMIN_AUTH, ADMIN_PASSWORD, OBJWEB, Process, free_port, run_objweb, wait_for)

FULL = """
[server]
host = 127.0.0.1
port = 9123
threads = 2

[database]
uri = file://%(here)s/var/Other.fs?blobstorage_dir=%(here)s/var/other-blobs
cache_size = 5000
pool_size = 3

[settings]
max_request_body = 1KB
session_lifetime = 600
code_time_budget = 2.5

[logging]
level = warning
event_log = var/log/event.log
access_log = var/log/access.log
rotate = daily
keep = 3

[zeo]
port = 8200

[backup]
directory = /srv/backups

[app:main]
use = egg:objweb
"""


def write(tmp_path, text: str, name: str = "objweb.ini"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_without_a_file_every_default_applies(tmp_path):
    config = read_config(home=tmp_path)
    assert config.path is None and config.home == tmp_path.resolve()
    assert (config.server.port, config.server.threads) == (8080, 4)
    assert config.database.uri == "file://var/Data.fs?blobstorage_dir=var/blobs"
    assert config.settings == Settings()


def test_every_section_is_read_with_types_units_and_here(tmp_path):
    config = read_config(write(tmp_path, FULL))
    assert config.home == tmp_path.resolve()
    assert (config.server.port, config.server.threads) == (9123, 2)
    assert config.database.uri == (f"file://{tmp_path}/var/Other.fs?"
                                   f"blobstorage_dir={tmp_path}/var/other-blobs")
    assert config.database.db_options() == {"cache_size": 5000, "pool_size": 3}
    assert config.settings.max_request_body == 1024
    assert config.settings.session_lifetime == 600
    assert config.settings.code_time_budget == 2.5
    assert (config.logging.level, config.logging.rotate, config.logging.keep) == (
        "warning", "daily", 3)
    assert config.zeo.port == 8200 and config.zeo.host == "127.0.0.1"
    assert config.backup.directory == "/srv/backups"


@pytest.mark.parametrize("text, message", [
    ("[server]\nprot = 1\n", "unknown key 'prot' in [server] (known: channel_timeout, "
                           "connection_limit, host, max_request_header_size, port, threads)"),
    ("[server]\nport = eighty\n", "[server] port: 'eighty' is not a whole number"),
    ("[settings]\nmax_json_body = -5\n", "[settings] max_json_body: '-5' cannot be negative"),
    ("[settings]\ncode_time_budget = soon\n", "'soon' is not a number"),
    ("[settings]\ntrusted_proxies = 127.0.0.1, localhost\n",
     "[settings] trusted_proxies: 'localhost' is not an address or a network"),
    ("[database]\nuri = 50%\n", "[database] uri:"),
    ("not an ini file\n", "cannot be read"),
])
def test_a_bad_file_is_refused_naming_the_place(tmp_path, text, message):
    with pytest.raises(ConfigError) as raised:
        read_config(write(tmp_path, text))
    assert message in str(raised.value)
    assert str(tmp_path) in str(raised.value)


def test_default_section_keys_do_not_count_as_unknown(tmp_path):
    config = read_config(write(tmp_path, "[DEFAULT]\ndebug = false\n[server]\nport = 81\n"))
    assert config.server.port == 81


def test_the_file_is_found_by_option_environment_or_home(tmp_path, monkeypatch):
    named = write(tmp_path, "[server]\nport = 1\n", "site.ini")
    assert find_config(tmp_path) is None
    assert find_config(tmp_path, named) == named.resolve()
    monkeypatch.setenv("OBJWEB_CONFIG", str(named))
    assert find_config(tmp_path) == named.resolve()
    monkeypatch.delenv("OBJWEB_CONFIG")
    home_file = write(tmp_path, "[server]\nport = 2\n")
    assert find_config(tmp_path) == home_file.resolve()
    with pytest.raises(ConfigError, match="no configuration file"):
        find_config(tmp_path, tmp_path / "missing.ini")


def test_the_command_line_beats_the_environment_which_beats_the_file(tmp_path,
                                                                      objweb_command):
    write(tmp_path, "[database]\nuri = file://var/FromIni.fs?blobstorage_dir=var/blobs\n")
    assert objweb_command(["pack"], tmp_path).returncode == 0
    assert (tmp_path / "var" / "FromIni.fs").exists()
    env = {"OBJWEB_DB": "file://var/FromEnv.fs?blobstorage_dir=var/blobs"}
    assert objweb_command(["pack"], tmp_path, env=env).returncode == 0
    assert (tmp_path / "var" / "FromEnv.fs").exists()
    option = ["--db", "file://var/FromOption.fs?blobstorage_dir=var/blobs"]
    assert objweb_command(["pack"] + option, tmp_path, env=env).returncode == 0
    assert (tmp_path / "var" / "FromOption.fs").exists()


def test_a_bad_configuration_stops_any_command_with_one_sentence(tmp_path):
    write(tmp_path, "[server]\nport = eighty\n")
    result = run_objweb(["adduser", "a", "a-Passw0rd-long"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"objweb adduser: {tmp_path}/objweb.ini: [server] port: "
                                     "'eighty' is not a whole number (a size may end in KB, "
                                     "MB or GB)")


def test_a_missing_configuration_file_is_one_sentence(tmp_path, objweb_command):
    missing = objweb_command(["pack", "--config", "nowhere.ini"], tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.strip() == "objweb pack: no configuration file nowhere.ini"


@pytest.mark.server
def test_serve_takes_its_address_settings_and_logs_from_the_file(tmp_path):
    port = free_port()
    write(tmp_path, f"""
        [server]
        port = {port}
        threads = 2
        [settings]
        max_request_body = 2KB
        [logging]
        event_log = var/log/event-{{port}}.log
        access_log = var/log/access.log
        """)
    assert run_objweb(["adduser", ADMIN, ADMIN_PASSWORD], tmp_path).returncode == 0
    serve = Process([OBJWEB, "serve"], tmp_path, name="serve")
    try:
        wait_for(lambda: f"Serving http://127.0.0.1:{port}/" in serve.stdout, timeout=60,
                 message=serve.stderr)
        outgoing = urllib.request.Request(f"http://127.0.0.1:{port}/", data=b"x" * 4096,
                                          method="POST", headers=ADMIN_AUTH)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(outgoing, timeout=10)
        assert refused.value.code == 413
        # The server refuses the body before reading it, so the application never sees it.
        assert b"exceeds max_body of 2048" in refused.value.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/@@health", timeout=10) as answer:
            assert answer.status == 200
    finally:
        assert serve.stop() == 0
    access = (tmp_path / "var" / "log" / "access.log").read_text()
    assert re.search(r'"GET /@@health HTTP/1.1" 200 3$', access, re.M)
    assert '"POST / HTTP/1.1"' not in access
    event = (tmp_path / "var" / "log" / f"event-{port}.log").read_text()
    assert "INFO objweb.server stopping" in event
    assert "GET /@@health" not in event


@pytest.mark.server
def test_serve_believes_the_forwarded_address_of_a_trusted_proxy_only(tmp_path):
    port = free_port()
    write(tmp_path, f"""
        [server]
        port = {port}
        [settings]
        trusted_proxies = 127.0.0.1, 10.0.0.0/8
        [logging]
        access_log = var/log/access.log
        """)
    assert run_objweb(["adduser", ADMIN, ADMIN_PASSWORD], tmp_path).returncode == 0
    serve = Process([OBJWEB, "serve"], tmp_path, name="serve")
    try:
        wait_for(lambda: f"Serving http://127.0.0.1:{port}/" in serve.stdout, timeout=60,
                 message=serve.stderr)
        forwarded = urllib.request.Request(f"http://127.0.0.1:{port}/@@health",
                                           headers={"X-Forwarded-For": "198.51.100.1"})
        with urllib.request.urlopen(forwarded, timeout=10) as answer:
            assert answer.status == 200
    finally:
        assert serve.stop() == 0
    access = (tmp_path / "var" / "log" / "access.log").read_text()
    assert re.search(r'^198\.51\.100\.1 - - .*"GET /@@health HTTP/1.1" 200', access, re.M)


def test_logging_rotates_by_size(tmp_path, restore_logging):
    config = read_config(write(tmp_path, """
        [logging]
        event_log = logs/event.log
        access_log = logs/event.log
        max_size = 2KB
        keep = 2
        """))
    configure_logging(config)
    for number in range(200):
        logging.getLogger("objweb.test").warning("line %d of a rotating log", number)
        logging.getLogger(ACCESS_LOGGER).info("an access line %d", number)
    names = sorted(path.name for path in (tmp_path / "logs").iterdir())
    assert names == ["event.log", "event.log.1", "event.log.2"]
    assert "an access line 199" in (tmp_path / "logs" / "event.log").read_text()


@pytest.mark.parametrize("rotate, handler_type", [
    ("daily", logging.handlers.TimedRotatingFileHandler),
    ("external", logging.handlers.WatchedFileHandler),
    ("size", logging.handlers.RotatingFileHandler),
])
def test_logging_rotation_kinds(tmp_path, restore_logging, rotate, handler_type):
    config = read_config(write(tmp_path, f"""
        [logging]
        event_log = event.log
        access_log = off
        rotate = {rotate}
        """))
    configure_logging(config)
    assert type(logging.getLogger().handlers[0]) is handler_type
    assert logging.getLogger(ACCESS_LOGGER).propagate is False
    logging.getLogger(ACCESS_LOGGER).info("not logged anywhere")
    assert "not logged" not in (tmp_path / "event.log").read_text()


@pytest.mark.parametrize("text, message", [
    ("[logging]\nlevel = chatty\n", "unknown level 'chatty'"),
    ("[logging]\nrotate = weekly\n", "'weekly' is not one of size, daily, external"),
    ("[logging]\nevent_log = {nothing}.log\n", "cannot write the log file {nothing}.log"),
])
def test_logging_refuses_bad_values(tmp_path, restore_logging, text, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        configure_logging(read_config(write(tmp_path, text)))


def test_standard_logging_sections_are_used_as_they_are(tmp_path, restore_logging):
    config = read_config(write(tmp_path, """
        [loggers]
        keys = root
        [handlers]
        keys = file
        [formatters]
        keys = plain
        [logger_root]
        level = INFO
        handlers = file
        [handler_file]
        class = FileHandler
        args = ('%(here)s/standard.log',)
        formatter = plain
        [formatter_plain]
        format = STANDARD %(message)s
        """))
    assert config.uses_file_config
    configure_logging(config)
    logging.getLogger("objweb.test").info("from fileConfig")
    assert "STANDARD from fileConfig" in (tmp_path / "standard.log").read_text()


# -- PasteDeploy ------------------------------------------------------------------

def test_pastedeploy_loads_the_app_from_the_same_file(tmp_path, monkeypatch, restore_logging):
    monkeypatch.chdir(tmp_path)
    ini = write(tmp_path, """
        [settings]
        max_request_body = 1KB
        [logging]
        access_log = off
        [app:main]
        use = egg:objweb
        db = memory://
        max_json_body = 2KB
        cache_size = 500
        """)
    wsgi_app = loadapp(f"config:{ini}")
    try:
        assert wsgi_app.db.getCacheSize() == 500
        assert wsgi_app.settings.max_request_body == 1024
        assert wsgi_app.settings.max_json_body == 2048
        app = TestApp(wsgi_app)
        assert app.get("/@@health", status=200).text == "ok\n"
        assert app.post("/", b"x" * 2000, status=413).status_int == 413
    finally:
        wsgi_app.db.close()


def test_pastedeploy_uses_the_files_database_and_home(tmp_path, monkeypatch, restore_logging):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    ini = write(tmp_path, FULL.replace("level = warning", "level = info"))
    wsgi_app = loadapp(f"config:{ini}")
    try:
        assert (tmp_path / "var" / "Other.fs").exists()
        assert wsgi_app.db.getCacheSize() == 5000
        TestApp(wsgi_app).get("/", status=200)
    finally:
        wsgi_app.db.close()
    # The writer thread writes the line within its flush interval.
    access = tmp_path / "var" / "log" / "access.log"
    wait_for(lambda: '"GET / HTTP' in access.read_text(), timeout=10)
    assert access.read_text().count('"GET / HTTP') == 1


def test_pastedeploy_refuses_a_bad_trusted_proxy(tmp_path, monkeypatch, restore_logging):
    monkeypatch.chdir(tmp_path)
    ini = write(tmp_path, "[app:main]\nuse = egg:objweb\ntrusted_proxies = nginx\n")
    with pytest.raises(ConfigError, match=r"\[app:main\] trusted_proxies: 'nginx' is not"):
        loadapp(f"config:{ini}")


def test_pastedeploy_refuses_an_unknown_key(tmp_path, monkeypatch, restore_logging):
    monkeypatch.chdir(tmp_path)
    ini = write(tmp_path, "[app:main]\nuse = egg:objweb\ndatabase = memory://\n")
    with pytest.raises(ConfigError, match="unknown key 'database'"):
        loadapp(f"config:{ini}")


def test_an_instance_config_can_be_changed_by_sections(tmp_path):
    config = InstanceConfig(home=tmp_path)
    changed = config.replace(settings=Settings(session_lifetime=5))
    assert changed.settings.session_lifetime == 5 and config.settings == Settings()


@pytest.mark.server
def test_gunicorn_serves_the_site_from_the_same_file(tmp_path):
    gunicorn = str(Path(OBJWEB).with_name("gunicorn"))
    port = free_port()
    write(tmp_path, "[app:main]\nuse = egg:objweb\n")
    assert run_objweb(["adduser", ADMIN, ADMIN_PASSWORD], tmp_path).returncode == 0
    server = Process([gunicorn, "--paste", "objweb.ini", "--bind", f"127.0.0.1:{port}",
                      "--workers", "1", "--threads", "2"], tmp_path, name="gunicorn")
    try:
        def health():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/@@health",
                                            timeout=2) as answer:
                    return answer.status
            except OSError:
                assert server.popen.poll() is None, server.stderr
                return None
        assert wait_for(health, timeout=60, message=server.stderr) == 200
        outgoing = urllib.request.Request(f"http://127.0.0.1:{port}/",
                                          headers=dict(ADMIN_AUTH, Accept="application/json"))
        with urllib.request.urlopen(outgoing, timeout=10) as answer:
            assert json.loads(answer.read())["items"][0]["id"] == "acl_users"
    finally:
        server.stop()
