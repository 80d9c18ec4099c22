"""Signed session tickets: made, read, forged, expired and ended."""

import base64
import json

import pytest

from objweb.security.sessions import (
    MAX_TICKET_LENGTH, EndedSessions, Session, credential_fingerprint, new_session, read_ticket,
    sign)
from objweb.security.signing import keyed_digest

SECRET = b"s" * 32
OTHER_SECRET = b"o" * 32
NOW = 1_800_000_000


def make_session(**overrides) -> Session:
    session = new_session("alice", "/", "fp", lifetime=3600, now=NOW)
    values = {**session.__dict__, "session_id": "fixed-id", **overrides}
    return Session(**values)


def test_new_session_lasts_its_lifetime():
    session = new_session("alice", "/sub", "fp", lifetime=600, now=NOW)
    assert (session.user_id, session.domain_path, session.fingerprint) == ("alice", "/sub", "fp")
    assert session.issued == NOW
    assert session.expires == NOW + 600


def test_new_sessions_get_different_ids():
    ids = {new_session("alice", "/", "fp", lifetime=60).session_id for _ in range(20)}
    assert len(ids) == 20


def test_new_session_uses_the_clock_by_default():
    session = new_session("alice", "/", "fp", lifetime=60)
    assert not session.is_expired()
    assert session.is_expired(session.expires)


def test_signed_ticket_reads_back():
    session = make_session()
    assert read_ticket(sign(session, SECRET), SECRET, now=NOW + 1) == session


def test_ticket_is_refused_with_another_secret():
    assert read_ticket(sign(make_session(), SECRET), OTHER_SECRET, now=NOW) is None


def test_ticket_is_refused_when_the_payload_is_altered():
    ticket = sign(make_session(), SECRET)
    payload, _, signature = ticket.partition(".")
    record = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    record["user_id"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(record).encode()).rstrip(b"=").decode()
    assert read_ticket(f"{forged}.{signature}", SECRET, now=NOW) is None


def test_ticket_is_refused_once_expired():
    ticket = sign(make_session(), SECRET)
    assert read_ticket(ticket, SECRET, now=NOW + 3599) is not None
    assert read_ticket(ticket, SECRET, now=NOW + 3600) is None


@pytest.mark.parametrize("ticket", [
    None, 42, "", "no-dot", "a.b", "." * 3, "x" * (MAX_TICKET_LENGTH + 1), "payload.sïgnature",
])
def test_malformed_tickets_are_refused(ticket):
    assert read_ticket(ticket, SECRET, now=NOW) is None


@pytest.mark.parametrize("payload", [b"not json", b'{"user_id": "a"}', b"[1, 2]", b"\xff\xfe"])
def test_signed_garbage_is_refused(payload):
    # Only something signed with the secret gets this far; it still must not pass.
    encoded = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
    ticket = f"{encoded}.{keyed_digest(SECRET, 'session', encoded)}"
    assert read_ticket(ticket, SECRET, now=NOW) is None


def test_signed_ticket_with_bad_base64_is_refused():
    encoded = "a"  # one character is never valid base64
    ticket = f"{encoded}.{keyed_digest(SECRET, 'session', encoded)}"
    assert read_ticket(ticket, SECRET, now=NOW) is None


def test_digests_differ_by_purpose_and_secret():
    digests = {keyed_digest(SECRET, "a", "v"), keyed_digest(SECRET, "b", "v"),
               keyed_digest(OTHER_SECRET, "a", "v"), keyed_digest(SECRET, "a", "w")}
    assert len(digests) == 4


def test_fingerprint_changes_with_the_hash_and_hides_it():
    first = credential_fingerprint(SECRET, "$argon2id$v=19$m=65536,t=3,p=4$abc$def")
    second = credential_fingerprint(SECRET, "$argon2id$v=19$m=65536,t=3,p=4$abc$xyz")
    assert first != second
    assert "argon2" not in first
    assert credential_fingerprint(SECRET, None) == credential_fingerprint(SECRET, "")


def test_ended_session_is_remembered_until_it_would_have_expired():
    ended = EndedSessions()
    session = make_session()
    assert not ended.is_ended(session)
    ended.end(session, now=NOW)
    assert ended.is_ended(session)
    assert not ended.is_ended(make_session(session_id="other"))
    assert ended.forget_expired(now=session.expires - 1) == 0
    assert ended.forget_expired(now=session.expires) == 1
    assert len(ended) == 0


def test_ending_a_session_forgets_the_expired_ones():
    ended = EndedSessions()
    old = make_session(session_id="old", expires=NOW + 10)
    ended.end(old, now=NOW)
    ended.end(make_session(session_id="new", expires=NOW + 1000), now=NOW + 20)
    assert len(ended) == 1
    assert not ended.is_ended(old)


def test_forget_expired_uses_the_clock_by_default():
    ended = EndedSessions()
    ended.end(make_session(expires=1))
    assert ended.forget_expired() == 1
    assert len(ended) == 0


def test_ended_sessions_persist(db):
    import transaction as txn_module
    manager = txn_module.TransactionManager()
    connection = db.open(manager)
    connection.root()["ended"] = ended = EndedSessions()
    ended.end(make_session(expires=NOW + 10**9), now=NOW)
    manager.commit()
    connection.close()
    other = db.open()
    try:
        assert other.root()["ended"].is_ended(make_session(expires=NOW + 10**9))
    finally:
        other.close()
