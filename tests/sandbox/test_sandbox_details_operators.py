"""Operators at the edges of their checks, with the exact refusals a manager reads."""

import pytest

from objweb.sandbox import CodeError
from sandbox_support import built_past_limit, outcome, worked_past_limit


PAIRS = [(number, number) for number in range(20)]


@pytest.mark.parametrize("body, limits, expected", [
    # A shift by nothing builds nothing new; a shift by one adds a bit to the value's.
    ("return 100 << 0", {"max_int_bits": 4}, 100),
    ("return 100 << 1", {"max_int_bits": 7},
     built_past_limit("an integer of about 8 bits (at most 7)")),
    ("return 100 << 1", {"max_int_bits": 8}, 200),
])
def test_left_shift_is_measured_from_one_bit(run_script, body, limits, expected):
    assert outcome(run_script, body, **limits) == expected


@pytest.mark.parametrize("items, expected", [
    (list(range(20)), built_past_limit("a list of 20 items (at most 10)")),
    (list(range(6)), built_past_limit("a list of 12 items (at most 10)")),
    (list(range(4)), 10),
])
def test_adding_to_a_list_in_place_names_the_list(run_script, items, expected):
    body = "values = [1] * 6\nvalues += items\nreturn len(values)"
    assert outcome(run_script, body, args=(items,), max_items=10) == expected


@pytest.mark.parametrize("big, limits, expected", [
    # A difference is checked past 64 bits, at one bit more than its wider operand.
    (2 ** 63, {"max_int_bits": 64}, 2 ** 63 - 1),
    (2 ** 64, {"max_int_bits": 65}, built_past_limit("an integer of about 66 bits (at most 65)")),
    (2 ** 64, {"max_int_bits": 66}, 2 ** 64 - 1),
])
def test_a_difference_of_integers_is_measured_past_64_bits(run_script, big, limits, expected):
    # Taken away from a constant, a value is not guarded: the one here is a variable.
    assert outcome(run_script, "one = 1\nreturn items - one", args=(big,), **limits) == expected


def test_or_never_grows_an_integer_past_its_wider_operand(run_script):
    assert outcome(run_script, "one = 1\nreturn items | one", args=(2 ** 64,), max_int_bits=65) \
        == 2 ** 64 + 1


@pytest.mark.parametrize("body, limits, expected", [
    # ** estimates exponent * log2(base) + 1 bits, for integers only.
    ("return 2 ** 10", {"max_int_bits": 10},
     built_past_limit("an integer of about 11 bits (at most 10)")),
    ("return 100 ** 1", {"max_int_bits": 4},
     built_past_limit("an integer of about 7 bits (at most 4)")),
    ("return [5 ** 0, 1 ** 5]", {"max_int_bits": 0}, [1, 1]),
    ("return 2 ** 100.0", {"max_int_bits": 64}, 2 ** 100.0),
    ("return pow(2, 3, 5.0)", {},
     ("TypeError", "pow() 3rd argument not allowed unless all arguments are integers")),
    ("return pow(2.0, 3, 5)", {},
     ("TypeError", "pow() 3rd argument not allowed unless all arguments are integers")),
    ("return pow(2, 3.0, 5)", {},
     ("TypeError", "pow() 3rd argument not allowed unless all arguments are integers")),
    ("return pow(3, 10 ** 6, 10 ** 300)", {"max_operation_cost": 1000},
     worked_past_limit("a power with a modulus", "46,240", "1,000")),
])
def test_integer_operators_answer_and_refuse_exactly(run_script, body, limits, expected):
    assert outcome(run_script, body, **limits) == expected


FOLDER_OPERAND = ("TypeError", "code cannot use a Folder as an operand")


@pytest.mark.parametrize("body, args, limits, expected", [
    ("one = 1\nreturn context - one", (), {}, FOLDER_OPERAND),
    ("one = 1\nreturn one - context", (), {}, FOLDER_OPERAND),
    # Set operators draw a plain iterable operand through the guard and check its keys.
    ("values = {}\nvalues |= items\nreturn values", PAIRS, {"max_items": 10},
     built_past_limit("a dict of 20 items (at most 10)")),
    ("values = {}\nvalues |= items\nreturn values", PAIRS[:10], {"max_operation_cost": 1000},
     worked_past_limit("to fill a dict with 10 items", "2,000", "1,000")),
    ("return {}.keys() | items", list(range(20)), {"max_items": 10},
     built_past_limit("an operand of 20 items (at most 10)")),
    ("return {}.keys() | items", list(range(10)), {"max_operation_cost": 1000},
     worked_past_limit("to fill a set with 10 items", "2,000", "1,000")),
    ("return items | {}.keys()", list(range(20)), {"max_items": 10},
     built_past_limit("an operand of 20 items (at most 10)")),
    ("return items | {}.keys()", list(range(10)), {"max_operation_cost": 1000},
     worked_past_limit("to fill a set with 10 items", "2,000", "1,000")),
    # A set or dict operand is hashed already: only the sizes count.
    ("return len(items | {}.keys())", set(range(20)), {"max_items": 10}, 20),
    ("return {} | items", list(range(20)), {"max_items": 10},
     ("TypeError", "unsupported operand type(s) for |: 'dict' and 'list'")),
    ("return items | {1}", list(range(20)), {"max_items": 10},
     ("TypeError", "unsupported operand type(s) for |: 'list' and 'set'")),
    ("return items | {1}", set(range(10)), {"max_operation_cost": 1000},
     worked_past_limit("a set operation", "2,200", "1,000")),
])
def test_set_operators_answer_and_refuse_exactly(run_script, body, args, limits, expected):
    args = (args,) if len(args) else ()
    assert outcome(run_script, body, args=args, **limits) == expected


@pytest.mark.parametrize("body, args, limits, expected", [
    # A repeated sequence is measured as a text or a list, a count below one as nothing.
    ("return items * 0", ("abc",), {"output_limit": 2}, ""),
    ("return 0 * items", ("abc",), {"output_limit": 2}, ""),
    ("return 3 * items", ("abcd",), {"output_limit": 10},
     built_past_limit("a text of 12 characters (at most 10)")),
    # What it builds is charged: 10,000 slots of a list.
    ("return len(items * 2)", (list(range(5000)),), {"max_allocation": 50000},
     ("limit", "built more than 50000 bytes of values and was stopped; "
               "its changes were not kept.")),
    # A bool is an integer too: its bits count.
    ("flag = True\nreturn flag * 5", (), {"max_int_bits": 3},
     built_past_limit("an integer of about 4 bits (at most 3)")),
])
def test_repetition_answers_and_refuses_exactly(run_script, body, args, limits, expected):
    assert outcome(run_script, body, args=args, **limits) == expected


def test_a_view_handed_to_code_is_refused_as_an_operand_by_its_name(render):
    with pytest.raises(CodeError) as caught:
        render("<p tal:define='one python: 1'>${python: modules - one}</p>")
    assert type(caught.value.__cause__) is TypeError
    assert str(caught.value.__cause__) == "code cannot use a ModulesView as an operand"


@pytest.mark.parametrize("body, args, expected", [
    # Past 64 bits either way, a sum is measured: one bit more than its wider operand.
    ("return items + 1", (-(2 ** 64),),
     built_past_limit("an integer of about 66 bits (at most 65)")),
    ("return items + 1", (2 ** 64,), built_past_limit("an integer of about 66 bits (at most 65)")),
    ("return 1 + items", (-(2 ** 64),),
     built_past_limit("an integer of about 66 bits (at most 65)")),
    ("return 1 + items", (2 ** 64,), built_past_limit("an integer of about 66 bits (at most 65)")),
    # A text and a number do not add up, and Python says so.
    ("return 'a' + 1", (), ("TypeError", 'can only concatenate str (not "int") to str')),
    ("return 1 + 'a'", (), ("TypeError", "unsupported operand type(s) for +: 'int' and 'str'")),
])
def test_a_sum_answers_and_refuses_exactly(run_script, body, args, expected):
    assert outcome(run_script, body, args=args, max_int_bits=65) == expected


def test_a_repeated_sequence_past_the_item_limit_is_refused_saying(run_script):
    assert outcome(run_script, "return [0] * 20", max_items=10) == \
        built_past_limit("a collection of 20 items (at most 10)")
