"""Counting failed logins per user name and per address, with a clock the test turns."""

import threading

import pytest

from objweb.security.throttle import MAX_KEY_LENGTH, LoginThrottle, LoginThrottledError


class Clock:
    """A clock that moves only when the test says so."""

    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def throttle(clock, users=3, addresses=10, window=60, **options) -> LoginThrottle:
    return LoginThrottle(attempts_per_user=users, attempts_per_address=addresses, window=window,
                         clock=clock, **options)


def test_allows_attempts_below_the_limit():
    limiter = throttle(Clock())
    for _ in range(2):
        limiter.record_failure("alice", "10.0.0.1")
    assert limiter.retry_after("alice", "10.0.0.1") == 0
    assert limiter.check("alice", "10.0.0.1") is None


def test_refuses_a_user_after_the_limit_from_any_address():
    clock = Clock()
    limiter = throttle(clock)
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        limiter.record_failure("alice", address)
    assert limiter.retry_after("alice", "10.9.9.9") == 60
    with pytest.raises(LoginThrottledError) as caught:
        limiter.check("alice", "10.9.9.9")
    assert caught.value.retry_after == 60
    assert "60 seconds" in str(caught.value)
    assert limiter.retry_after("bob", "10.9.9.9") == 0


def test_refuses_an_address_after_its_limit_for_any_user():
    limiter = throttle(Clock(), users=100, addresses=4)
    for index in range(4):
        limiter.record_failure(f"user{index}", "10.0.0.1")
    assert limiter.retry_after("someone-else", "10.0.0.1") == 60
    assert limiter.retry_after("someone-else", "10.0.0.2") == 0


def test_retry_after_counts_down_until_the_oldest_failure_leaves_the_window():
    clock = Clock()
    limiter = throttle(clock)
    for step in range(3):
        clock.now = 1000.0 + step * 10
        limiter.record_failure("alice", None)
    clock.now = 1030.5
    assert limiter.retry_after("alice", None) == 30
    clock.now = 1060.0
    assert limiter.retry_after("alice", None) == 0


def test_old_failures_are_forgotten():
    clock = Clock()
    limiter = throttle(clock)
    limiter.record_failure("alice", "10.0.0.1")
    clock.now += 61
    for _ in range(2):
        limiter.record_failure("alice", "10.0.0.1")
    assert limiter.retry_after("alice", "10.0.0.1") == 0


def test_success_forgets_the_users_failures_but_not_the_addresses():
    limiter = throttle(Clock(), users=2, addresses=2)
    limiter.record_failure("alice", "10.0.0.1")
    limiter.record_failure("alice", "10.0.0.1")
    limiter.record_success("alice")
    assert limiter.retry_after("alice", None) == 0
    assert limiter.retry_after(None, "10.0.0.1") == 60


def test_nameless_and_addressless_attempts_are_not_counted():
    limiter = throttle(Clock(), users=1, addresses=1)
    limiter.record_failure("", None)
    assert limiter.retry_after("", None) == 0


def test_keys_are_bounded_in_number_and_length():
    limiter = throttle(Clock(), users=1, addresses=1000, max_keys=5)
    for index in range(20):
        limiter.record_failure(f"user{index}", None)
    assert len(limiter._failures) == 5
    long_name = "x" * (MAX_KEY_LENGTH + 50)
    limiter.record_failure(long_name, None)
    assert limiter.retry_after(long_name[:MAX_KEY_LENGTH] + "different", None) == 60


def test_by_default_the_ten_thousand_latest_names_are_remembered():
    limiter = throttle(Clock(), users=1)
    for index in range(10_000):
        limiter.record_failure(f"user{index}", None)
    assert limiter.retry_after("user0", None) == 60
    limiter.record_failure("one more", None)
    assert limiter.retry_after("user0", None) == 0
    assert limiter.retry_after("user1", None) == 60


def test_limits_are_at_least_one():
    limiter = throttle(Clock(), users=0, addresses=0)
    assert limiter.limits == {"user": 1, "address": 1}


def test_uses_a_monotonic_clock_by_default():
    limiter = LoginThrottle(attempts_per_user=1, attempts_per_address=1, window=60)
    limiter.record_failure("alice", None)
    assert 59 <= limiter.retry_after("alice", None) <= 60


def test_counts_every_failure_from_many_threads():
    limiter = throttle(Clock(), users=10**6, addresses=10**6)

    def fail():
        for _ in range(200):
            limiter.record_failure("alice", "10.0.0.1")
    threads = [threading.Thread(target=fail) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(limiter._failures[("user", "alice")]) == 800


def test_the_null_throttle_allows_everything():
    from objweb.security.throttle import UNTHROTTLED
    for _ in range(100):
        UNTHROTTLED.record_failure("alice", "10.0.0.1")
    assert UNTHROTTLED.check("alice", "10.0.0.1") is None
    assert UNTHROTTLED.record_success("alice") is None


def test_after_a_burst_past_the_limit_the_wait_counts_from_the_last_failures():
    # Requests checked at once may all fail: the wait is until fewer than
    # the limit are left in the window, not until the first one leaves it.
    clock = Clock()
    limiter = throttle(clock)
    for step in range(5):
        clock.now = 1000.0 + step * 10
        limiter.record_failure("alice", None)
    assert limiter.retry_after("alice", None) == 40


def test_the_last_fraction_of_a_second_is_still_a_second_to_wait():
    clock = Clock()
    limiter = throttle(clock)
    for _ in range(3):
        limiter.record_failure("alice", None)
    clock.now = 1059.5
    assert limiter.retry_after("alice", None) == 1
