"""Trusted proxies: whose X-Forwarded-For is believed, and how far.

The client address a trusted front server forwards is the one login
throttling, the access log and the audit use; from anyone else the header
is only a header.
"""

import logging

import pytest
from webtest import TestApp

import objweb
from objweb import Settings
from objweb.web.proxies import CLIENT_ADDRESS_KEY, TrustedProxies
from support import ADMIN, ADMIN_PASSWORD, basic_auth

FAST_THROTTLE = {"login_attempts": 100, "login_attempts_per_address": 2}


def app_trusting(db, proxies="") -> TestApp:
    return TestApp(objweb.make_app(db, Settings(trusted_proxies=proxies, **FAST_THROTTLE)))


def fail_basic(app, environ: dict, times: int = 2) -> None:
    for _ in range(times):
        app.get("/", headers=basic_auth(ADMIN, "wrong"), extra_environ=environ, status=401)


def test_without_trusted_proxies_a_forwarded_address_changes_nothing(db):
    app = app_trusting(db)
    fail_basic(app, {"REMOTE_ADDR": "192.0.2.9", "HTTP_X_FORWARDED_FOR": "198.51.100.1"})
    # A guesser cannot pass for a new client by sending a new header.
    app.get("/", headers=basic_auth(ADMIN, ADMIN_PASSWORD), status=429,
            extra_environ={"REMOTE_ADDR": "192.0.2.9", "HTTP_X_FORWARDED_FOR": "198.51.100.2"})


def test_an_untrusted_peer_is_the_client_whatever_it_forwards(db):
    app = app_trusting(db, "10.0.0.1")
    fail_basic(app, {"REMOTE_ADDR": "192.0.2.9", "HTTP_X_FORWARDED_FOR": "198.51.100.1"})
    app.get("/", headers=basic_auth(ADMIN, ADMIN_PASSWORD), status=429,
            extra_environ={"REMOTE_ADDR": "192.0.2.9", "HTTP_X_FORWARDED_FOR": "198.51.100.2"})


def test_basic_logins_behind_a_trusted_proxy_are_counted_per_client(db):
    app = app_trusting(db, "10.0.0.0/8")
    fail_basic(app, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.1"})
    app.get("/", headers=basic_auth(ADMIN, ADMIN_PASSWORD), status=429,
            extra_environ={"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.1"})
    app.get("/", headers=basic_auth(ADMIN, ADMIN_PASSWORD), status=200,
            extra_environ={"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.2"})


@pytest.mark.parametrize("forwarded, client", [
    ("198.51.100.1", "198.51.100.1"),
    # A client's own header comes first; the hop nginx added is the last.
    ("6.6.6.6, 198.51.100.1", "198.51.100.1"),
    # Through two trusted proxies, the first untrusted hop from the right.
    ("198.51.100.1, 10.0.0.2", "198.51.100.1"),
    ("garbage, 198.51.100.1", "198.51.100.1"),
    # A hop that is no address: nothing left of it is believed.
    ("198.51.100.1, unknown, 10.0.0.2", "10.0.0.2"),
    ("", "10.0.0.1"),
    ("198.51.100.1:4711", "198.51.100.1"),
    ("[2001:db8::1]:4711", "2001:db8::1"),
    ("::ffff:198.51.100.1", "198.51.100.1"),
    ("10.0.0.3, 10.0.0.2", "10.0.0.3"),
])
def test_the_client_is_the_first_untrusted_hop_from_the_right(forwarded, client):
    proxies = TrustedProxies(Settings(trusted_proxies="10.0.0.0/8").trusted_proxies)
    environ = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}
    assert proxies.client_address(environ) == client
    assert environ[CLIENT_ADDRESS_KEY] == client


def test_a_peer_given_as_an_ipv6_address_can_be_trusted():
    proxies = TrustedProxies(Settings(trusted_proxies="::1").trusted_proxies)
    environ = {"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert proxies.client_address(environ) == "198.51.100.1"
    assert proxies.client_address({}) == "-"


def test_the_access_log_and_the_audit_name_the_forwarded_client(db, caplog):
    caplog.set_level(logging.INFO)
    app = app_trusting(db, "127.0.0.1")
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    app.get("/", headers=basic_auth(ADMIN, "wrong"), extra_environ=environ, status=401)
    lines = {record.name: record.getMessage() for record in caplog.records}
    assert lines["objweb.access"].startswith("198.51.100.1 - ")
    assert "from 198.51.100.1: refused HTTP Basic credentials" in lines["objweb.audit"]


@pytest.mark.parametrize("value, networks", [
    ("127.0.0.1", ("127.0.0.1/32",)),
    ("127.0.0.1, 10.0.0.0/8 ::1", ("127.0.0.1/32", "10.0.0.0/8", "::1/128")),
    (("192.0.2.0/24",), ("192.0.2.0/24",)),
    ("", ()),
])
def test_trusted_proxies_are_addresses_or_networks(value, networks):
    assert Settings(trusted_proxies=value).trusted_proxies == networks


@pytest.mark.parametrize("value", ["localhost", "10.0.0.0/33", ("127.0.0.1", 5)])
def test_a_trusted_proxy_that_is_no_address_is_refused(value):
    with pytest.raises(ValueError, match="trusted_proxies: .* is not an address or a network"):
        Settings(trusted_proxies=value)
