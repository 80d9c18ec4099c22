"""The position samples of big folders: per database, per committed state, bounded."""

import gc
import weakref

import ZODB

from objweb.content.positions import PositionSamples


def test_samples_are_kept_for_the_state_they_were_made_from():
    samples = PositionSamples()
    db = ZODB.DB(None)
    samples.keep(db, b"oid", b"serial-1", ("a", "m"))
    assert samples.get(db, b"oid", b"serial-1") == ("a", "m")
    assert samples.get(db, b"oid", b"serial-2") is None
    assert samples.get(db, b"other", b"serial-1") is None
    db.close()


def test_a_database_never_sees_another_ones_samples():
    samples = PositionSamples()
    first, second = ZODB.DB(None), ZODB.DB(None)
    samples.keep(first, b"oid", b"serial", ("a",))
    assert samples.get(second, b"oid", b"serial") is None
    assert samples.count(second) == 0
    first.close(), second.close()


def test_no_more_folders_than_the_capacity_are_kept_per_database():
    samples = PositionSamples(capacity=2)
    db = ZODB.DB(None)
    for oid in (b"1", b"2", b"3"):
        samples.keep(db, oid, b"serial", (oid,))
        assert samples.count(db) <= 2
    assert samples.get(db, b"3", b"serial") == (b"3",)
    samples.keep(db, b"3", b"newer", ("x",))  # a new state of a kept folder drops nothing
    assert samples.count(db) == 1 and samples.get(db, b"3", b"newer") == ("x",)
    db.close()


def test_kept_samples_never_keep_a_database_alive():
    samples = PositionSamples()
    db = ZODB.DB(None)
    samples.keep(db, b"oid", b"serial", ("a",))
    gone = weakref.ref(db)
    db.close()
    del db
    gc.collect()
    assert gone() is None
