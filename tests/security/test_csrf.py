"""CSRF tokens: bound to a session or a login nonce, compared in constant time."""

import pytest

from objweb.errors import Forbidden
from objweb.security.csrf import (
    MAX_TOKEN_LENGTH, CSRFError, check_token, is_unsafe, is_valid_token, login_token,
    session_token)
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
