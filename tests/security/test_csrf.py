"""CSRF tokens: bound to a session or a login nonce, compared in constant time."""

import pytest

from objweb.errors import Forbidden
from objweb.security import csrf
from objweb.security.csrf import (
    BASIC_TOKEN_WINDOW, MAX_TOKEN_LENGTH, CSRFError, basic_tokens, check_token,
    is_cross_site_sendable, is_unsafe, is_valid_token, login_token, session_token)
from objweb.security.sessions import new_session

SECRET = b"k" * 32


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "get"])
def test_safe_methods(method):
    assert not is_unsafe(method)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "PROPFIND", "MKCOL", "post"])
def test_unsafe_methods(method):
    assert is_unsafe(method)


def test_session_token_is_bound_to_the_session():
    first = new_session("alice", "/", "fp", lifetime=60)
    second = new_session("alice", "/", "fp", lifetime=60)
    assert session_token(SECRET, first) == session_token(SECRET, first)
    assert session_token(SECRET, first) != session_token(SECRET, second)
    assert session_token(SECRET, first) != session_token(b"x" * 32, first)


def test_login_token_is_bound_to_the_nonce_and_differs_from_session_tokens():
    session = new_session("alice", "/", "fp", lifetime=60)
    assert login_token(SECRET, "n1") != login_token(SECRET, "n2")
    assert login_token(SECRET, session.session_id) != session_token(SECRET, session)


@pytest.mark.parametrize("given", [None, "", "wrong", 42, ["token"], "t" * (MAX_TOKEN_LENGTH + 1),
                                   "tökén"])
def test_wrong_tokens_are_invalid(given):
    assert not is_valid_token("token", given)


def test_no_expected_token_accepts_nothing():
    assert not is_valid_token("", "")


def test_right_token_is_valid():
    token = login_token(SECRET, "nonce")
    assert is_valid_token(token, token)
    assert check_token(token, token) is None


def test_check_token_raises_a_forbidden_with_a_message():
    with pytest.raises(CSRFError) as caught:
        check_token("token", "other")
    assert isinstance(caught.value, Forbidden)
    assert "reload the page" in str(caught.value)


@pytest.mark.parametrize("method, content_type, sendable", [
    ("POST", "application/x-www-form-urlencoded", True),
    ("POST", "multipart/form-data", True),
    ("POST", "Text/Plain", True),
    ("post", "", True),
    ("POST", "application/json", False),
    ("POST", "application/xml", False),
    ("PUT", "text/plain", False),
    ("DELETE", "", False),
    ("PATCH", "application/x-www-form-urlencoded", False),
])
def test_what_another_site_can_make_a_browser_send(method, content_type, sendable):
    assert is_cross_site_sendable(method, content_type) is sendable


def test_basic_tokens_are_bound_to_identity_credential_and_window():
    now = 10 * BASIC_TOKEN_WINDOW + 5
    current, previous = basic_tokens(SECRET, identity="/\x00admin", credential="c1", now=now)
    assert (current, previous) == basic_tokens(SECRET, identity="/\x00admin", credential="c1",
                                               now=now + 60)
    assert current != previous
    # The next window's previous token is this window's current one.
    assert basic_tokens(SECRET, identity="/\x00admin", credential="c1",
                        now=now + BASIC_TOKEN_WINDOW)[1] == current
    others = [basic_tokens(SECRET, identity="/zone\x00admin", credential="c1", now=now),
              basic_tokens(SECRET, identity="/\x00admin", credential="c2", now=now),
              basic_tokens(b"x" * 32, identity="/\x00admin", credential="c1", now=now)]
    assert all(current not in tokens for tokens in others)
    assert current != session_token(SECRET, new_session("admin", "/", "c1", lifetime=60))


def test_basic_tokens_follow_the_clock(monkeypatch):
    monkeypatch.setattr(csrf, "clock", lambda: 3 * BASIC_TOKEN_WINDOW)
    assert basic_tokens(SECRET, identity="i", credential="c") == basic_tokens(
        SECRET, identity="i", credential="c", now=3 * BASIC_TOKEN_WINDOW)


def test_any_of_several_tokens_is_valid():
    assert is_valid_token(("current", "previous"), "previous")
    assert is_valid_token(("current", "previous"), "current")
    assert not is_valid_token(("current", "previous"), "other")
    assert not is_valid_token((), "")
    assert not is_valid_token(("", ""), "")
    with pytest.raises(CSRFError):
        check_token(("current", "previous"), "other")
