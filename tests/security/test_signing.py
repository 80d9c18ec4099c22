"""The one signing construction: keyed digests and signed values."""

import base64

import pytest

from objweb.security.signing import (
    MAX_SIGNED_LENGTH, is_same_digest, keyed_digest, read_signed, sign_value)

KEY = b"k" * 32
OTHER_KEY = b"o" * 32


def test_a_digest_is_url_safe_text_that_depends_on_key_purpose_and_value():
    digest = keyed_digest(KEY, "purpose", "value")
    assert digest == keyed_digest(KEY, "purpose", "value")
    assert set(digest) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len({digest, keyed_digest(OTHER_KEY, "purpose", "value"),
                keyed_digest(KEY, "other", "value"), keyed_digest(KEY, "purpose", "other")}) == 4


def test_the_purpose_and_the_value_cannot_trade_places():
    assert keyed_digest(KEY, "ab", "c") != keyed_digest(KEY, "a", "bc")


@pytest.mark.parametrize("given, same", [("right", True), ("wrong", False), (None, False),
                                         (b"right", False), ("rïght", False)])
def test_digests_are_compared_whole(given, same):
    expected = "right"
    assert is_same_digest(expected, given) is same


@pytest.mark.parametrize("payload", [{"a": 1, "b": [1, "x"]}, ["list"], "text", 3, None])
def test_a_signed_value_goes_round(payload):
    value = sign_value(KEY, "cookie", payload)
    assert read_signed(KEY, "cookie", value) == payload


def test_a_signed_value_is_the_same_whatever_the_order_of_its_keys():
    assert sign_value(KEY, "p", {"a": 1, "b": 2}) == sign_value(KEY, "p", {"b": 2, "a": 1})


def test_a_value_signed_for_another_purpose_or_key_is_refused():
    value = sign_value(KEY, "flash", {"x": 1})
    assert read_signed(KEY, "clipboard", value) is None
    assert read_signed(OTHER_KEY, "flash", value) is None


def test_an_altered_value_is_refused():
    encoded, _, signature = sign_value(KEY, "p", {"user": "ann"}).partition(".")
    forged = base64.urlsafe_b64encode(b'{"user":"admin"}').rstrip(b"=").decode()
    assert read_signed(KEY, "p", f"{forged}.{signature}") is None
    altered = "y" if signature.endswith("x") else "x"
    assert read_signed(KEY, "p", f"{encoded}.{signature[:-1]}{altered}") is None
    assert read_signed(KEY, "p", f"{encoded}.") is None


@pytest.mark.parametrize("value", [None, 7, "", "no-dot", "x" * (MAX_SIGNED_LENGTH + 1)])
def test_what_is_no_signed_value_is_refused(value):
    assert read_signed(KEY, "p", value) is None


def test_a_shorter_limit_refuses_a_longer_value():
    value = sign_value(KEY, "p", "x" * 100)
    assert read_signed(KEY, "p", value, max_length=len(value)) == "x" * 100
    assert read_signed(KEY, "p", value, max_length=len(value) - 1) is None


@pytest.mark.parametrize("encoded", ["a", "%%%", base64.urlsafe_b64encode(b"not json").decode()])
def test_a_signed_value_that_cannot_be_read_is_refused(encoded):
    # Only a value signed with the key gets this far; it still must not pass.
    value = f"{encoded}.{keyed_digest(KEY, 'p', encoded)}"
    assert read_signed(KEY, "p", value) is None


def test_values_of_every_length_read_back_whatever_their_padding():
    for length in range(12):
        payload = "x" * length
        assert read_signed(KEY_FOR_LENGTHS, "test", sign_value(KEY_FOR_LENGTHS, "test", payload)) \
            == payload


KEY_FOR_LENGTHS = b"k" * 32
