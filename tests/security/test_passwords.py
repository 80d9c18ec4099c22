"""Password hashing with argon2id: hashes, checks, and rehashing old parameters."""

import pytest
from argon2 import PasswordHasher

from objweb.security import passwords
from objweb.security.passwords import (
    MAX_PASSWORD_LENGTH, PasswordPolicy, WeakPasswordError, hash_password, needs_rehash,
    verify_password)


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


EMPTY = "a password cannot be empty"
TOO_LONG = f"a password is at most {MAX_PASSWORD_LENGTH} characters long"


@pytest.mark.parametrize("password, message", [
    ("", EMPTY), (None, EMPTY), (42, EMPTY), ("x" * (MAX_PASSWORD_LENGTH + 1), TOO_LONG)])
def test_hash_refuses_empty_or_absurd_passwords_saying_why(password, message):
    with pytest.raises(ValueError) as refused:
        hash_password(password)
    assert str(refused.value) == message


def test_hash_accepts_the_longest_password():
    assert verify_password(hash_password("x" * MAX_PASSWORD_LENGTH), "x" * MAX_PASSWORD_LENGTH)


@pytest.mark.parametrize("password", [None, 42, "x" * (MAX_PASSWORD_LENGTH + 1)])
def test_verify_refuses_non_passwords(password):
    assert verify_password(hash_password("s3cret"), password) is False
    # Whatever the stored password: a non-password stands for none, not for some text.
    assert verify_password(hash_password("XXXX"), password) is False


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


def test_a_policy_says_exactly_why_it_refuses_a_password():
    policy = PasswordPolicy()
    with pytest.raises(WeakPasswordError) as refused:
        policy.check("Margaret-Hamilton", user_id="margaret-hamilton")
    assert str(refused.value) == "a password cannot be the user name"
    with pytest.raises(WeakPasswordError) as refused:
        policy.check("password123")
    assert str(refused.value) == "this password is one of the most common ones; choose another"


def test_the_common_passwords_refused_include_the_last_one_counted():
    password, rank = next((text, rank) for text, rank in passwords._COMMON_PASSWORDS.items()
                          if rank > 1)
    PasswordPolicy(min_length=1, refuse_common=rank - 1).check(password)
    with pytest.raises(WeakPasswordError):
        PasswordPolicy(min_length=1, refuse_common=rank).check(password)
