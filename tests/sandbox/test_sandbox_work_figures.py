"""The figures of the cost model, read where a manager reads them: in a refusal.

At a limit one below an operation's measure, the operation is refused, and
the refusal says what it measured: the whole measure, as only the last step
of the measuring passes the limit. Each row pins one figure
of `sandbox/costs.py`: a figure too low lets work through that the limits
were set to stop; one too high refuses what they were set to allow. The
values come in as arguments, so that nothing in the code builds them first.
"""

import pytest

from objweb.sandbox import CodeLimitError, Limits

WORK = "about {:,} units of work at once (at most {:,};"
SIZE = "of {} characters (at most {})"


def refused_one_under(run_script, body, params, args, units) -> str:
    """Return the refusal of running `body` at a work limit one unit under `units`."""
    with pytest.raises(CodeLimitError) as refused:
        run_script(body, params, args=args, limits=Limits(max_operation_cost=units - 1))
    return str(refused.value)


def run_at(run_script, body, params, args, units):
    """Return what `body` returns at a work limit of exactly `units`."""
    return run_script(body, params, args=args, limits=Limits(max_operation_cost=units))

# value -> (characters of its text, units of work of writing it), as measured
TEXTS = [
    (12345, 6, 73),
    (-7, 3, 70),
    (2 ** 200, 69, 120),
    (1.5, 25, 450),
    (1j, 50, 900),
    (True, 5, 10),
    (None, 5, 10),
    ("ab" * 50, 103, 100),
    (b"ab" * 50, 103, 100),
    ([], 2, 50),
    ([1, 2, 3], 15, 291),
    ([2 ** 100, 1], 44, 235),
    (["ab", "c"], 15, 171),
    (("x", b"yy"), 15, 171),
    ({"a": "b"}, 14, 171),
    ({1: 2, 3: 4}, 20, 372),
    ([1.5, None], 56, 970),
    ([True, None], 16, 90),
    ([[1], "a"], 16, 250),
    ({"a": [1]}, 16, 250),
    ([[["x"]]], 16, 230),
    # a container holding every kind of a flat class is still measured flat
    (["a", b"b", bytearray(b"c")], 20, 231),
    ([1, True], 10, 210),
    ([1.5, 1j, True, None], 210, 3690),
]


@pytest.mark.parametrize("value, chars, units", TEXTS, ids=[repr(row[0])[:20] for row in TEXTS])
def test_writing_a_value_is_charged_its_measure(run_script, value, chars, units):
    assert "tried to write a text, " + WORK.format(units, units - 1) in \
        refused_one_under(run_script, "return str(value)", "value", (value,), units)
    assert run_at(run_script, "return str(value)", "value", (value,), units) == str(value)
    with pytest.raises(CodeLimitError) as size:
        run_script("return str(value)", "value", args=(value,),
                   limits=Limits(output_limit=chars - 1))
    assert "tried to build a text " + SIZE.format(chars, chars - 1) in str(size.value)


# (base, exponent, modulus) -> units of work of pow(base, exponent, modulus)
POWERS = [
    ((2, 28, 2 ** 100), 10),          # a power of 29 bits: one 30-bit digit
    ((2, 29, 2 ** 100), 40),          # of 30 bits: two digits
    ((0, 5, 7), 6),                   # a base of 0 counts as one bit
    ((0, 40, 2 ** 100), 12),          # ... however large the exponent
    ((3, 2 ** 63 - 1, 2 ** 200 + 1), 6_174),   # 63 exponent bits: the power's size
    ((3, 2 ** 63, 2 ** 200 + 1), 6_272),       # 64 bits: the modulus's size
    ((1, 2 ** 63, 2 ** 200 + 1), 6_272),       # ... even for a base of 1
    ((3, 2 ** 63, 7), 128),
    ((3, -1, 7), 6),                  # an inverse first
    ((3, -1, 2 ** 200 + 1), 198),
]


@pytest.mark.parametrize("arguments, units", POWERS, ids=[str(row[0][:2]) for row in POWERS])
def test_a_power_with_a_modulus_is_charged_its_measure(run_script, arguments, units):
    body, params = "return pow(base, exponent, modulus)", "base, exponent, modulus"
    assert "tried a power with a modulus, " + WORK.format(units, units - 1) in \
        refused_one_under(run_script, body, params, arguments, units)
    assert run_at(run_script, body, params, arguments, units) == pow(*arguments)


def test_a_power_to_the_exponent_zero_costs_nothing(run_script):
    assert run_script("return pow(3, 0, 7)", limits=Limits(max_operation_cost=1)) == 1


def test_writing_content_is_charged_as_a_value_of_unknown_size(root, run_script):
    assert "tried to write a text, " + WORK.format(200, 199) in \
        refused_one_under(run_script, "return str(value)", "value", (root["news"],), 200)


# items -> units of work of putting them into a set
FILLS = [
    (["abcdefgh", b"ijklmnop"], 402),       # texts: a unit per 8 bytes hashed
    (["abcdefgh", b"ijklmnop", bytearray(b"qrstuvwx")], 603),   # of every kind
    (["abcde", "fgh"], 401),
    ([(1, 2), "abcdefghijklmnopqrstuvwxyz" * 4], 440),   # beside tuples, any item is one step
]


@pytest.mark.parametrize("items, units", FILLS, ids=[str(row[1]) for row in FILLS])
def test_filling_a_set_is_charged_its_measure(run_script, items, units):
    assert f"to fill a set with {len(items)} items, about {units} units of work" \
        in refused_one_under(run_script, "return set(items)", "items", (items,), units)


@pytest.mark.parametrize("container, item, units", [
    ({(1, 2, 3)}, (1, 2, 3), 40),
    ({1}, "x" * 1000, 135),           # a text is hashed whole to be looked for
    ({1}, ((1, 2), 3), 50),           # a tuple is walked, part by part
    ({1}, ((1,),) * 4100, 82_010),    # for long enough to look at the clock
    ([1, (1, 2, 3)], (1, 2, 3), 100),
], ids=["tuple in a set", "text in a set", "nested tuple in a set", "long tuple in a set",
        "tuple in a list"])
def test_looking_for_a_value_is_charged_its_measure(run_script, container, item, units):
    body, params = "return item in container", "item, container"
    assert f"about {units:,} units of work" in \
        refused_one_under(run_script, body, params, (item, container), units)
    assert run_at(run_script, body, params, (item, container), units) is (item in container)


def test_hashing_a_tuple_counts_the_texts_inside_it(run_script):
    # The tuple a step, its text a step and a unit per 8 bytes.
    assert "tried to hash an item of a set, " + WORK.format(120, 119) in \
        refused_one_under(run_script, "return set(items)", "items", ([("abcdefgh" * 100,)],), 120)


def test_a_flat_tuple_is_a_key_one_level_deep(run_script):
    assert run_script("return len({(1, 2): 'x'})", limits=Limits(max_nesting=1)) == 1


# An item's share of the limit is limit // count + 1; its walk stops at the first total past
# it: 10 for the list, then 20 for each `[0]` (30, 50, 70).
@pytest.mark.parametrize("limit, units", [(98, 160), (96, 120)])
def test_looking_for_a_large_value_stops_measuring_it_past_its_share(run_script, limit, units):
    with pytest.raises(CodeLimitError) as refused:
        run_script("return item in container", "item, container", args=([[0]] * 5, [0, 0]),
                   limits=Limits(max_operation_cost=limit))
    assert f"about {units:,} units of work" in str(refused.value)


# value -> units of work of comparing it, once the other side is over the limit
COMPARED = [
    (["abcd", b"abcd", bytearray(b"abcd")], 41),    # every text kind: still a unit per 8 bytes
    ([2 ** 200, 2 ** 200, True], 41),               # integers and a bool: a unit per 256 bits
]


@pytest.mark.parametrize("value, units", COMPARED, ids=[str(row[1]) for row in COMPARED])
def test_comparing_is_charged_the_measure_of_the_second_value(run_script, value, units):
    body, params, args = "return other == value", "other, value", (list(range(100)), value)
    assert "tried to compare two values, " + WORK.format(units, units - 1) in \
        refused_one_under(run_script, body, params, args, units)
    assert run_at(run_script, body, params, args, units) is False


# items -> units of work of finding the least of them: each compared as a whole
SCANNED = [
    ([1.5, True, 1j, None], 40),                    # plain numbers: a step each
    ([1, True], 20),                                # small integers and a bool
    (["abcd", b"abcd", bytearray(b"abcd")], 30),    # the longest text: 4 bytes, no unit
    (["abcdefghij"], 11),                           # 10 bytes: one unit, never a fraction
]


@pytest.mark.parametrize("items, units", SCANNED, ids=[str(row[1]) for row in SCANNED])
def test_finding_the_least_is_charged_its_measure(run_script, items, units):
    assert f"tried to compare values ({len(items)} items), " + WORK.format(units, units - 1) in \
        refused_one_under(run_script, "return min(items)", "items", (items,), units)


# A measure stops at its first total past the limit: the refusal reports that total.
# A text's walk: 8 characters for the list, 8 for each `["a"]` (16 is not past 16).
# A sort: 20 units a comparison, then a share of the limit for comparing the largest item.
STOPPED = [
    ("return str(items)", [["a"], ["a"], ["a"]], Limits(output_limit=16),
     "tried to build a text of 24 characters (at most 16)"),
    ("return sorted(items)", ["abcdefgh" * 100] * 4, Limits(max_operation_cost=100),
     "tried to sort a list of 4 items, " + WORK.format(160, 100)),
    ("return sorted(items)", ["abcdefgh" * 100] * 4, Limits(max_operation_cost=160),
     "tried to sort a list of 4 items, " + WORK.format(960, 160)),
    ("return sorted(items)", [[[0]] * 5, [[0]] * 5], Limits(max_operation_cost=98),
     "tried to sort a list of 2 items, " + WORK.format(180, 98)),
    ("return sorted(items)", [[[0]] * 5, [[0]] * 5], Limits(max_operation_cost=96),
     "tried to sort a list of 2 items, " + WORK.format(140, 96)),
]


@pytest.mark.parametrize("body, items, limits, refusal", STOPPED,
                         ids=["text", "sort past its steps", "sort at its steps",
                              "sort, share 50", "sort, share 49"])
def test_a_measure_past_the_limit_reports_where_it_stopped(run_script, body, items, limits,
                                                           refusal):
    with pytest.raises(CodeLimitError) as refused:
        run_script(body, "items", args=(items,), limits=limits)
    assert refusal in str(refused.value)
