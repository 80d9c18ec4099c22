"""Password hashing with argon2id: hashes, checks, and rehashing old parameters."""

import pytest
from argon2 import PasswordHasher

from objweb.security.passwords import (
    MAX_PASSWORD_LENGTH, hash_password, needs_rehash, verify_password)


def test_hash_is_argon2id_and_salted():
    first, second = hash_password("s3cret"), hash_password("s3cret")
    assert first.startswith("$argon2id$")
    assert first != second
    assert "s3cret" not in first


def test_verify_accepts_the_password_and_refuses_others():
    stored = hash_password("s3cret")
    assert verify_password(stored, "s3cret") is True
    assert verify_password(stored, "S3cret") is False
    assert verify_password(stored, "") is False


@pytest.mark.parametrize("password", ["", None, 42, "x" * (MAX_PASSWORD_LENGTH + 1)])
def test_hash_refuses_empty_or_absurd_passwords(password):
    with pytest.raises(ValueError):
        hash_password(password)


def test_hash_accepts_the_longest_password():
    assert verify_password(hash_password("x" * MAX_PASSWORD_LENGTH), "x" * MAX_PASSWORD_LENGTH)


@pytest.mark.parametrize("password", [None, 42, "x" * (MAX_PASSWORD_LENGTH + 1)])
def test_verify_refuses_non_passwords(password):
    assert verify_password(hash_password("s3cret"), password) is False


def test_verify_without_a_hash_refuses_even_the_dummy_password():
    assert verify_password(None, "objweb: no such user") is False
    assert verify_password(None, "anything") is False


def test_verify_refuses_a_damaged_hash():
    assert verify_password("$argon2id$garbage", "s3cret") is False
    assert verify_password("plain text", "s3cret") is False


def test_hashes_made_with_other_parameters_need_rehashing():
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("s3cret")
    assert verify_password(old, "s3cret") is True
    assert needs_rehash(old) is True
    assert needs_rehash(hash_password("s3cret")) is False
