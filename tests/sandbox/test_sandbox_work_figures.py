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
]


@pytest.mark.parametrize("value, chars, units", TEXTS, ids=[repr(row[0])[:20] for row in TEXTS])
def test_writing_a_value_is_charged_its_measure(run_script, value, chars, units):
    with pytest.raises(CodeLimitError) as work:
        run_script("return str(value)", "value", args=(value,),
                   limits=Limits(max_operation_cost=units - 1))
    assert "tried to write a text, " + WORK.format(units, units - 1) in str(work.value)
    assert run_script("return str(value)", "value", args=(value,),
                      limits=Limits(max_operation_cost=units)) == str(value)
    with pytest.raises(CodeLimitError) as size:
        run_script("return str(value)", "value", args=(value,),
                   limits=Limits(output_limit=chars - 1))
    assert "tried to build a text " + SIZE.format(chars, chars - 1) in str(size.value)


# (base, exponent, modulus) -> units of work of pow(base, exponent, modulus)
POWERS = [
    ((2, 28, 2 ** 100), 10),          # a power of 29 bits: one 30-bit digit
    ((2, 29, 2 ** 100), 40),          # of 30 bits: two digits
    ((0, 5, 7), 6),                   # a base of 0 counts as one bit
    ((3, 2 ** 63 - 1, 2 ** 200 + 1), 6_174),   # 63 exponent bits: the power's size
    ((3, 2 ** 63, 2 ** 200 + 1), 6_272),       # 64 bits: the modulus's size
    ((3, 2 ** 63, 7), 128),
    ((3, -1, 7), 6),                  # an inverse first
    ((3, -1, 2 ** 200 + 1), 198),
]


@pytest.mark.parametrize("arguments, units", POWERS, ids=[str(row[0][:2]) for row in POWERS])
def test_a_power_with_a_modulus_is_charged_its_measure(run_script, arguments, units):
    with pytest.raises(CodeLimitError) as work:
        run_script("return pow(base, exponent, modulus)", "base, exponent, modulus",
                   args=arguments, limits=Limits(max_operation_cost=units - 1))
    assert "tried a power with a modulus, " + WORK.format(units, units - 1) in str(work.value)
    assert run_script("return pow(base, exponent, modulus)", "base, exponent, modulus",
                      args=arguments, limits=Limits(max_operation_cost=units)) == pow(*arguments)


def test_a_power_to_the_exponent_zero_costs_nothing(run_script):
    assert run_script("return pow(3, 0, 7)", limits=Limits(max_operation_cost=1)) == 1
