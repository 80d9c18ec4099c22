"""Operators at the edges of their checks, with the exact refusals a manager reads."""

import re

import pytest

from objweb.sandbox import CodeError, CodeLimitError, Limits


def outcome(run_script, body, *, args=(), **limits):
    """Return what the Script answers, or (error type, message) for what stopped it."""
    params = "items" if args else ""
    try:
        return run_script(body, params, args=args, limits=Limits(**limits))
    except CodeLimitError as error:
        return ("limit", re.sub(r"^The Script at \S+ ", "", str(error)))
    except CodeError as error:
        return (type(error.__cause__).__name__, str(error.__cause__))


def _stopped(what: str) -> tuple:
    return ("limit", f"tried to build {what} and was stopped; its changes were not kept.")


@pytest.mark.parametrize("body, limits, expected", [
    # A shift by nothing builds nothing new; a shift by one adds a bit to the value's.
    ("return 100 << 0", {"max_int_bits": 4}, 100),
    ("return 100 << 1", {"max_int_bits": 7}, _stopped("an integer of about 8 bits (at most 7)")),
    ("return 100 << 1", {"max_int_bits": 8}, 200),
])
def test_left_shift_is_measured_from_one_bit(run_script, body, limits, expected):
    assert outcome(run_script, body, **limits) == expected


@pytest.mark.parametrize("items, expected", [
    (list(range(20)), _stopped("a list of 20 items (at most 10)")),
    (list(range(6)), _stopped("a list of 12 items (at most 10)")),
    (list(range(4)), 10),
])
def test_adding_to_a_list_in_place_names_the_list(run_script, items, expected):
    body = "values = [1] * 6\nvalues += items\nreturn len(values)"
    assert outcome(run_script, body, args=(items,), max_items=10) == expected
