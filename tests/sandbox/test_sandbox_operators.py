"""The operators of code: their results, the huge values they refuse, what they take."""

import datetime

import pytest

from objweb.content import Script
from objweb.errors import SourceError
from objweb.sandbox import CodeLimitError, Limits, ResponseView
from objweb.sandbox.operators import guarded_binop


@pytest.mark.parametrize("expression, expected", [
    ("'ab' * 2", "abab"), ("2 * 'ab'", "abab"), ("[1] * 3", [1, 1, 1]), ("3 * (1,)", (1, 1, 1)),
    ("'x' * -1", ""), ("6 * 7", 42), ("1.5 * 2", 3.0), ("2 ** 10", 1024), ("2 ** -1", 0.5),
    ("1 ** 10**10", 1), ("(-1) ** 10**10", 1), ("0 ** 10**10", 0), ("2.0 ** 3", 8.0),
    ("pow(3, 4, 5)", 1), ("pow(3, 4, 5.0) if False else 1", 1), ("1 << 10", 1024),
    ("0 << 10**10", 0), ("5 << 0", 5), ("'a' + 'b'", "ab"), ("[1] + [2]", [1, 2]),
    ("1 + 2", 3), ("'%s-%d' % ('a', 1)", "a-1"), ("b'%s' % b'x'", b"x"), ("7 % 3", 1),
    ("True * 3", 3), ("2 ** 40 * 2 ** 40", 2 ** 80),
])
def test_results(run_script, expression, expected):
    assert run_script("return " + expression) == expected


def test_timedelta_arithmetic(run_script):
    body = "import datetime\nreturn datetime.timedelta(days=1) * 2 + datetime.timedelta(days=1)"
    assert run_script(body) == datetime.timedelta(days=3)


@pytest.mark.parametrize("expression", [
    "'x' * 10**10", "10**10 * [0]", "(1,) * 10**7", "2 ** 10 ** 10", "3 ** 200000",
    "(2 ** 100000) * (2 ** 100000)", "1 << 10**10", "'x' * 10**6 + 'y' * 10**7",
    "[0] * 10**6 + [1]", "pow(2, 10**10)"])
def test_refusals(run_script, expression):
    with pytest.raises(CodeLimitError) as caught:
        run_script("return " + expression)
    assert caught.value.kind == "size"


def test_pow_with_a_huge_modulus_is_refused(run_script):
    with pytest.raises(CodeLimitError):
        run_script("return pow(3, 2 ** 100000 * 2 ** 100000, 7)", limits=Limits(max_int_bits=64))


@pytest.mark.parametrize("body, expected", [
    ("x = 'a'\nx += 'b'\nreturn x", "ab"),
    ("x = [1]\ny = x\nx += (2, 3)\nreturn [x, y is x]", [[1, 2, 3], True]),
    ("x = [1]\ny = x\nx *= 2\nreturn [x, y is x]", [[1, 1], True]),
    ("x = 'ab'\nx *= 2\nreturn x", "abab"),
    ("x = 2\nx **= 3\nreturn x", 8),
    ("x = 1\nx <<= 3\nreturn x", 8),
    ("x = '%s'\nx %= 'y'\nreturn x", "y"),
    ("x = 10\nx -= 1\nx //= 2\nx /= 2\nreturn x", 2.0),
    ("x = 6\nx >>= 1\nx &= 7\nx |= 8\nx ^= 1\nreturn x", 10),
    ("x = {1}\nx |= {2}\nreturn x", {1, 2}),
])
def test_augmented_assignments(run_script, body, expected):
    assert run_script(body) == expected


def test_augmented_list_extension_is_limited(run_script):
    with pytest.raises(CodeLimitError):
        run_script("x = [0] * 900000\nx += [1] * 200000")


def test_augmented_list_extension_guards_what_it_iterates(root, run_script):
    with pytest.raises(Exception) as caught:
        run_script("x = []\nx += context.private\nreturn x", user="alice", context=root)
    assert type(caught.value).__name__ == "Forbidden"


def test_matrix_multiplication_is_refused_for_plain_values(refused):
    assert isinstance(refused("x = 1\nx @= 2"), TypeError)


@pytest.mark.parametrize("expression", ["pow(2, 3, 5.0)", "pow(2.0, 3, 5)"])
def test_pow_with_a_modulus_needs_integers(refused, expression):
    assert isinstance(refused("return " + expression), TypeError)


@pytest.mark.parametrize("expression, expected", [
    ("1 < 2", True), ("2 <= 1", False), ("'a' == 'a'", True), ("[1] != [1]", False),
    ("1 in [1, 2]", True), ("3 not in (1, 2)", True), ("None is None", True),
    ("1 < 2 < 3", True), ("1 < 3 < 2", False), ("1 < 2 is not None", True),
    ("0 == 0.0 >= -1 > -2", True), ("'b' > 'a' in 'xy'", False),
])
def test_comparisons(run_script, expression, expected):
    assert run_script("return " + expression) is expected


def test_chained_comparisons_evaluate_later_operands_only_while_the_chain_holds(run_script):
    body = """
seen = []
def value(n):
    seen.append(n)
    return n
result = [value(1) < value(0) < value(5), value(1) < value(2) <= value(2), 2 > 1 in [y for y in [1]]]
return [result, seen]
"""
    assert run_script(body) == [[False, True, True], [1, 0, 1, 2, 2]]


@pytest.mark.parametrize("body", [
    "return 1 < (y := 2) < 3", "def f():\n    return 1 < (yield 2) < 3\nreturn 1"])
def test_chained_comparisons_refuse_walrus_and_yield_after_their_first_operand(root, body):
    with pytest.raises(SourceError) as caught:
        Script(body=body)
    assert "chained comparison" in str(caught.value)


def test_walrus_in_the_first_operand_of_a_chain_is_fine(run_script):
    assert run_script("return [(y := 2) < 3 < 4, y]") == [True, 2]


@pytest.mark.parametrize("expression, expected", [
    ("7 - 2", 5), ("7 / 2", 3.5), ("7 // 2", 3), ("8 >> 2", 2), ("6 & 3", 2), ("6 | 1", 7),
    ("6 ^ 3", 5), ("8 - -1", 9), ("-1 - 8", -9), ("[1][0] - 1", 0), ("{1, 2} - {2}", {1}), ("{'a': 1}.keys() | {'b'}", {"a", "b"}),
    ("{'a': 1} | {'b': 2}", {"a": 1, "b": 2}),
])
def test_other_binary_operators(run_script, expression, expected):
    assert run_script("return " + expression) == expected


@pytest.mark.parametrize("body", [
    "return {}.keys() | context", "return context - context", "x = {}\nx |= context\nreturn x",
    "return {}.keys() ^ script"])
def test_objects_of_the_site_are_no_operands(root, refused, body):
    caught = refused(body, context=root)
    assert isinstance(caught, TypeError)
    assert "as an operand" in str(caught)


def test_views_handed_to_code_are_no_operands(within, refusal):
    caught = refusal(lambda run: guarded_binop("|", {}.keys(), ResponseView()))
    assert isinstance(caught, TypeError)
    assert within(lambda run: guarded_binop("|", {}.keys(), {"a"})) == {"a"}
