"""Every keyed digest and signed value objweb makes, in one construction.

A digest is the HMAC-SHA256 of a purpose and a value under a key (the site's
secret, or a key of this process alone), written as URL-safe base64: the
purpose keeps a digest made for one use (a session, a CSRF token, a cookie)
from passing for another. A signed value is a JSON payload in URL-safe
base64, a dot, and the digest of that text for its purpose, so nobody
without the key can make or alter one; whoever holds it can read it, so
nothing secret goes in. Session tickets, CSRF tokens, password
fingerprints, the management screens' cookies and the memory of proven
credentials are all made here.
"""

import base64
import binascii
import hashlib
import hmac
import json

# Longer than any value objweb signs (a session ticket is a few hundred bytes).
MAX_SIGNED_LENGTH = 4096


def keyed_digest(key: bytes, purpose: str, value: str) -> str:
    """Return the HMAC-SHA256 of `value` for `purpose` under `key`, as URL-safe base64."""
    message = f"{purpose}\x00{value}".encode("utf-8", "surrogatepass")
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return _encode(digest)


def is_same_digest(expected: str, given: object) -> bool:
    """Return whether `given` is the digest `expected`, compared in constant time."""
    if not isinstance(given, str):
        return False
    return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "replace"))


def sign_value(key: bytes, purpose: str, payload: object) -> str:
    """Return `payload` as JSON, encoded and signed for `purpose` under `key`."""
    text = json.dumps(payload, separators=(",", ":"), sort_keys=True)
    encoded = _encode(text.encode("utf-8"))
    return f"{encoded}.{keyed_digest(key, purpose, encoded)}"


def read_signed(key: bytes, purpose: str, value: object, *,
                max_length: int = MAX_SIGNED_LENGTH) -> object | None:
    """Return the payload of a value `sign_value` made for `purpose` under `key`, or None.

    None for anything else: not text, too long, unsigned, signed for another
    purpose or with another key, or not JSON once decoded.
    """
    if not isinstance(value, str) or len(value) > max_length or "." not in value:
        return None
    encoded, _, signature = value.rpartition(".")
    if not is_same_digest(keyed_digest(key, purpose, encoded), signature):
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (binascii.Error, ValueError):
        # Signed with our key yet unreadable: a bug, or a format of another version.
        return None


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
