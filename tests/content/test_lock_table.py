"""The WebDAV lock table: paths, depth, expiry, and the conflict a concurrent lock causes."""

import pytest
import transaction
from ZODB.POSException import ConflictError

import objweb
from objweb.content.locks import Locks, clamp_timeout, is_below, lock_table, sweep

HOLDER = ("/acl_users", "admin")


def take(locks, path="/docs", **options):
    values = dict(path=path, scope="exclusive", depth="0", owner_xml="", holder=HOLDER,
                  timeout=60)
    values.update(options)
    return locks.add(**values)


def test_a_lock_applies_to_its_path_and_below_only_at_depth_infinity(db):
    with objweb.site(db) as root:
        locks = Locks(root._p_jar, now=1000.0)
        shallow = take(locks, "/a")
        deep = take(locks, "/b", depth="infinity")
        assert locks.covering("/a") == [shallow]
        assert locks.covering("/a/x") == []
        assert locks.covering("/b/x/y") == [deep]
        assert locks.below("/") == [shallow, deep]
        assert locks.by_token(deep.token, "/b/x") == deep
        assert locks.by_token(shallow.token, "/b") is None


def test_paths_that_share_a_prefix_are_not_below_each_other():
    assert is_below("/ab/c", "/ab")
    assert not is_below("/abc", "/ab")
    assert not is_below("/ab", "/ab")
    assert is_below("/x", "/")


def test_an_expired_lock_no_longer_holds_and_sweep_drops_it(db):
    with objweb.site(db) as root:
        take(Locks(root._p_jar, now=1000.0), timeout=10)
    with objweb.site(db) as root:
        assert Locks(root._p_jar, now=1005.0).covering("/docs") != []
        assert Locks(root._p_jar, now=1011.0).covering("/docs") == []
        assert sweep(root._p_jar, now=1011.0) == 1
        assert len(lock_table(root._p_jar).by_path) == 0


def test_timeouts_are_bounded():
    assert clamp_timeout(0) == 1
    assert clamp_timeout(10 ** 12) == 7 * 24 * 3600


def test_refresh_remove_and_remove_tree(db):
    with objweb.site(db) as root:
        locks = Locks(root._p_jar, now=1000.0)
        lock = take(locks, "/a")
        assert locks.refresh(lock, 100).expires == 1100.0
        take(locks, "/a/b", scope="shared")
        take(locks, "/ab")
        locks.remove_tree("/a")
        assert [found.path for found in locks.everything()] == ["/ab"]
        locks.remove(locks.at("/ab")[0])
        assert locks.everything() == []


def test_a_bad_scope_or_a_long_owner_is_refused(db):
    with objweb.site(db) as root:
        locks = Locks(root._p_jar)
        with pytest.raises(ValueError):
            take(locks, scope="bogus")
        with pytest.raises(ValueError):
            take(locks, owner_xml="x" * 5000)


def test_a_lock_taken_meanwhile_makes_a_checked_write_conflict(db):
    with objweb.site(db) as root:
        take(Locks(root._p_jar), "/other")
    checker_manager = transaction.TransactionManager()
    checker = db.open(transaction_manager=checker_manager)
    checker_locks = Locks(checker)
    assert checker_locks.covering("/docs") == []
    checker_locks.mark_read()
    with objweb.site(db) as root:
        take(Locks(root._p_jar), "/docs")
    checker.root()["touched"] = 1
    with pytest.raises(ConflictError):
        checker_manager.commit()
    checker_manager.abort()
    checker.close()
