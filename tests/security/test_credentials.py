"""The short memory of proven credentials: keyed digests, expiry, bounds."""

import gc
import threading
import types

from objweb.security.credentials import VerifiedCredentials


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_remembers_proven_credentials_for_the_ttl():
    clock = Clock()
    memory = VerifiedCredentials(ttl=60, clock=clock)
    assert not memory.is_proven("/acl_users", "alice", "pw", "hash1")
    memory.remember("/acl_users", "alice", "pw", "hash1")
    assert memory.is_proven("/acl_users", "alice", "pw", "hash1")
    clock.now += 59.9
    assert memory.is_proven("/acl_users", "alice", "pw", "hash1")
    clock.now += 0.1
    assert not memory.is_proven("/acl_users", "alice", "pw", "hash1")
    assert len(memory) == 0


def test_by_default_a_proof_lasts_a_minute_and_1024_are_kept():
    clock = Clock()
    memory = VerifiedCredentials(clock=clock)
    for number in range(1025):
        memory.remember("/acl_users", f"user{number}", "pw", "hash")
    assert len(memory) == 1024
    assert not memory.is_proven("/acl_users", "user0", "pw", "hash")
    clock.now += 59.99
    assert memory.is_proven("/acl_users", "user1024", "pw", "hash")
    clock.now += 0.01
    assert not memory.is_proven("/acl_users", "user1024", "pw", "hash")


def test_any_difference_is_another_credential():
    memory = VerifiedCredentials()
    memory.remember("/acl_users", "alice", "pw", "hash1")
    for other in [("/team/acl_users", "alice", "pw", "hash1"), ("/acl_users", "bob", "pw", "hash1"),
                  ("/acl_users", "alice", "pw2", "hash1"), ("/acl_users", "alice", "pw", "hash2"),
                  ("/acl_users", "alice\x00pw", "", "hash1")]:
        assert not memory.is_proven(*other)


def reachable(obj, seen=None):
    """Yield every object reachable from `obj`, however it is held."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    yield obj
    for referent in gc.get_referents(obj):
        if not isinstance(referent, (type, types.ModuleType, types.FunctionType)):
            yield from reachable(referent, seen)


def test_keeps_no_password_in_the_clear():
    memory = VerifiedCredentials()
    memory.remember("/acl_users", "alice", "Secret-Password", "hash1")
    assert memory.is_proven("/acl_users", "alice", "Secret-Password", "hash1")
    held = [value for value in reachable(memory) if isinstance(value, (str, bytes))]
    assert held and not any("Secret-Password" in str(value) for value in held)


def test_each_memory_knows_only_what_it_was_told():
    first, second = VerifiedCredentials(), VerifiedCredentials()
    first.remember("/", "alice", "pw", "h")
    assert first.is_proven("/", "alice", "pw", "h")
    assert not second.is_proven("/", "alice", "pw", "h")


def test_is_bounded_forgetting_the_oldest():
    memory = VerifiedCredentials(max_entries=3)
    for index in range(5):
        memory.remember("/", f"user{index}", "pw", "h")
    assert len(memory) == 3
    assert not memory.is_proven("/", "user0", "pw", "h")
    assert memory.is_proven("/", "user4", "pw", "h")


def test_forget_empties_it():
    memory = VerifiedCredentials()
    memory.remember("/", "alice", "pw", "h")
    memory.forget()
    assert not memory.is_proven("/", "alice", "pw", "h")


def test_is_safe_from_many_threads():
    memory = VerifiedCredentials(max_entries=50)

    def work(offset):
        for index in range(300):
            memory.remember("/", f"user{offset}-{index}", "pw", "h")
            memory.is_proven("/", f"user{offset}-{index - 1}", "pw", "h")
    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(memory) == 50
