"""The short memory of proven credentials: keyed digests, expiry, bounds."""

import threading

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


def test_any_difference_is_another_credential():
    memory = VerifiedCredentials()
    memory.remember("/acl_users", "alice", "pw", "hash1")
    for other in [("/team/acl_users", "alice", "pw", "hash1"), ("/acl_users", "bob", "pw", "hash1"),
                  ("/acl_users", "alice", "pw2", "hash1"), ("/acl_users", "alice", "pw", "hash2"),
                  ("/acl_users", "alice\x00pw", "", "hash1")]:
        assert not memory.is_proven(*other)


def test_keeps_no_password_in_the_clear():
    memory = VerifiedCredentials()
    memory.remember("/acl_users", "alice", "Secret-Password", "hash1")
    assert all(b"Secret-Password" not in digest for digest in memory._proven)


def test_each_memory_has_its_own_key():
    first, second = VerifiedCredentials(), VerifiedCredentials()
    first.remember("/", "alice", "pw", "h")
    second.remember("/", "alice", "pw", "h")
    assert list(first._proven) != list(second._proven)


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
