"""Principals: the anonymous one, users with groups, and the current principal."""

import threading

import pytest

from objweb.security.principals import (
    ANONYMOUS_PRINCIPAL, TRUSTED_CODE, Principal, acting_as, current_principal, current_user_id)


def test_anonymous_is_not_authenticated_and_has_no_ids():
    assert not ANONYMOUS_PRINCIPAL.is_authenticated
    assert ANONYMOUS_PRINCIPAL.principal_ids == frozenset()


def test_user_ids_include_groups():
    alice = Principal(id="alice", groups=frozenset({"staff", "web"}))
    assert alice.is_authenticated
    assert alice.principal_ids == {"alice", "staff", "web"}


def test_principals_are_immutable_records():
    alice = Principal(id="alice")
    with pytest.raises(AttributeError):
        alice.id = "admin"
    assert alice == Principal(id="alice", domain=object())


def test_current_principal_defaults_to_trusted_code_with_no_user():
    assert current_principal() is TRUSTED_CODE
    assert current_user_id() is None
    assert not TRUSTED_CODE.is_authenticated and TRUSTED_CODE != ANONYMOUS_PRINCIPAL


def test_acting_as_sets_and_restores_even_on_error():
    alice = Principal(id="alice")
    with pytest.raises(RuntimeError):
        with acting_as(alice) as inside:
            assert inside is alice
            assert current_user_id() == "alice"
            raise RuntimeError("boom")
    assert current_principal() is TRUSTED_CODE


def test_acting_as_nests():
    with acting_as(Principal(id="outer")):
        with acting_as(Principal(id="inner")):
            assert current_user_id() == "inner"
        assert current_user_id() == "outer"


def test_each_thread_has_its_own_principal():
    seen = []
    with acting_as(Principal(id="main")):
        thread = threading.Thread(target=lambda: seen.append(current_user_id()))
        thread.start()
        thread.join()
    assert seen == [None]
