"""Password hashing with argon2id, through argon2-cffi.

Hashes carry their own parameters, so a hash made with older settings still
verifies; `needs_rehash` tells when to store a fresh one. `verify_or_pretend`
spends the same time on an unknown user as on a known one, so that timing
does not tell which user names exist.
"""

import functools
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.matching import RANKED_DICTIONARIES

_hasher = PasswordHasher()

MAX_PASSWORD_LENGTH = 4096
# zxcvbn's list of the passwords most often found in leaks, ranked (1 = most common).
_COMMON_PASSWORDS = RANKED_DICTIONARIES["passwords"]


class WeakPasswordError(ValueError):
    """A password a person chose that the site's password policy refuses."""


@dataclass(frozen=True)
class PasswordPolicy:
    """What a password chosen by a person must be: long enough, and not a common one.

    `refuse_common` is how many of the most common passwords (of zxcvbn's
    30,000, compared ignoring case) are refused; 0 refuses none.
    """

    min_length: int = 10
    refuse_common: int = 30000

    def check(self, password: str, *, user_id: str = "") -> None:
        """Return if `password` may be used. Raises `WeakPasswordError` saying why not."""
        if len(password) < self.min_length:
            raise WeakPasswordError(f"a password needs at least {self.min_length} characters")
        folded = password.casefold()
        if user_id and folded == user_id.casefold():
            raise WeakPasswordError("a password cannot be the user name")
        rank = _COMMON_PASSWORDS.get(folded)
        if rank is not None and rank <= self.refuse_common:
            raise WeakPasswordError("this password is one of the most common ones; "
                                    "choose another")


def hash_password(password: str) -> str:
    """Return the argon2id hash of `password`.

    Raises `ValueError` for an empty or absurdly long password.
    """
    if not isinstance(password, str) or not password:
        raise ValueError("a password cannot be empty")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValueError(f"a password is at most {MAX_PASSWORD_LENGTH} characters long")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return whether `password` matches `password_hash`.

    With no hash (an unknown user) it checks against a fixed hash anyway, so
    both refusals take the same time.
    """
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
        password = ""
    try:
        return _hasher.verify(password_hash or _unknown_user_hash(_hasher), password) \
            and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _unknown_user_hash(hasher: PasswordHasher) -> str:
    """Return the hash unknown users are checked against, made by `hasher` on first need.

    Not at import: a hash takes a good part of a second, and every process
    (`objweb serve` at start, each command) would pay it, most for nothing.
    """
    return hasher.hash("objweb: no such user")


def needs_rehash(password_hash: str) -> bool:
    """Return whether `password_hash` was made with other parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)
