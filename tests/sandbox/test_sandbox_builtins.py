"""The builtins of restricted code: the guarded types, the consumers of iterables, the rest."""

import pytest

from objweb.sandbox import CodeLimitError, Limits
from objweb.sandbox.builtins import GUARDS, SAFE_BUILTINS, GuardedType


@pytest.mark.parametrize("expression, expected", [
    ("isinstance('x', str)", True), ("isinstance([], (dict, list))", True),
    ("isinstance(1, str)", False), ("issubclass(bool, int)", True),
    ("issubclass(str, str)", True), ("issubclass(1, str) if False else True", True),
    ("str(12)", "12"), ("str(b'x', 'ascii')", "x"), ("str()", ""), ("repr('x')", "'x'"),
    ("ascii('é')", "'\\xe9'"), ("list('ab')", ["a", "b"]), ("list()", []),
    ("tuple([1])", (1,)), ("set('aa')", {"a"}), ("frozenset([1])", frozenset({1})),
    ("dict(a=1)", {"a": 1}), ("dict({'a': 1}, b=2)", {"a": 1, "b": 2}),
    ("dict([('a', 1)])", {"a": 1}), ("bytes(3)", b"\x00\x00\x00"), ("bytes('é', 'utf-8')", b"\xc3\xa9"),
    ("bytes([65])", b"A"), ("bytes(b'x')", b"x"), ("list(range(3))", [0, 1, 2]),
    ("sorted([3, 1], reverse=True)", [3, 1]), ("sorted('ba', key=str.upper if False else None)", ["a", "b"]),
    ("list(reversed([1, 2]))", [2, 1]), ("list(enumerate('ab', 1))", [(1, "a"), (2, "b")]),
    ("list(zip('ab', [1, 2]))", [("a", 1), ("b", 2)]), ("list(map(abs, [-1]))", [1]),
    ("list(filter(None, [0, 1]))", [1]), ("min([3, 1])", 1), ("max(3, 1)", 3),
    ("max([], default=0)", 0), ("sum([1, 2])", 3), ("sum([0.5], 1)", 1.5), ("any([0, 1])", True),
    ("all([])", True), ("next(iter([5]))", 5), ("round(2.5)", 2), ("round(1234, -2)", 1200),
    ("round(1.25, 1)", 1.2), ("format(3.14159, '.2f')", "3.14"), ("pow(2, 3)", 8),
    ("getattr(context, 'title')", "Code"), ("getattr(context, 'nope', 'dflt')", "dflt"),
    ("hasattr(context, 'title')", True), ("hasattr(context, 'nope')", False),
    ("hasattr(context, 'keys')", True), ("divmod(7, 2)", (3, 1)), ("hex(255)", "0xff"),
    ("chr(65) + str(ord('A'))", "A65"), ("len('abc')", 3), ("abs(-2)", 2),
    ("callable(len)", True), ("int('7') + float('0.5')", 7.5),
])
def test_builtins(run_script, expression, expected):
    assert run_script("return " + expression) == expected


def test_guarded_types_print_like_the_real_ones():
    assert repr(SAFE_BUILTINS["str"]) == "<class 'str'>"
    assert isinstance(SAFE_BUILTINS["dict"], GuardedType)
    assert not issubclass(1 if False else int, SAFE_BUILTINS["str"])


def test_issubclass_of_a_non_class_is_false(run_script):
    assert run_script("return issubclass(bool, list)") is False


@pytest.mark.parametrize("expression, kind", [
    ("reversed({1: 2})", TypeError), ("reversed(x for x in [])", TypeError),
    ("sum(['a'], '')", TypeError), ("sum([[1]], [])", TypeError), ("sum([1], True)", TypeError),
    ("iter([], None)", TypeError), ("iter(len, 1)", TypeError), ("list(len)", TypeError),
    ("hasattr(context, '_p_jar') or getattr(context, '_p_jar', None)", AttributeError),
])
def test_builtin_refusals(refused, expression, kind):
    assert isinstance(refused("return " + expression), kind)


def test_hasattr_is_false_for_denials(root, run_script):
    assert run_script("return hasattr(context.private, 'title')", user="alice", context=root) is False


@pytest.mark.parametrize("expression", [
    "list(x for x in range(10**7))", "tuple(range(10**7))", "bytes(10**8)",
    "dict((i, i) for i in range(10**7))", "sorted(x for x in range(10**7))",
    "round(5, -10**7)", "pow(7, 10**9)"])
def test_builtins_refuse_huge_values(run_script, expression):
    with pytest.raises(CodeLimitError):
        run_script("return " + expression, limits=Limits(output_limit=10**6, max_items=10**5))


def test_consumers_tick_the_budget(run_script):
    body = "def forever():\n    while True:\n        yield 1\nreturn sum(forever())"
    with pytest.raises(CodeLimitError) as caught:
        run_script(body, limits=Limits(time_budget=0.2))
    assert caught.value.kind == "time"


def test_guard_names_are_the_compilers():
    from objweb.sandbox.compiler import BINARY_GUARDS, FORMAT_VALUE, GET_ITER, TICK
    assert set(BINARY_GUARDS.values()) | {FORMAT_VALUE, GET_ITER, TICK} <= set(GUARDS)


def test_no_dangerous_builtins():
    for name in ("type", "vars", "dir", "globals", "locals", "open", "eval", "exec", "compile",
                 "object", "super", "BaseException", "SystemExit", "KeyboardInterrupt",
                 "GeneratorExit", "setattr", "delattr", "memoryview", "bytearray",
                 "classmethod", "staticmethod", "property", "input", "breakpoint", "help",
                 "exit", "quit", "id"):
        assert name not in SAFE_BUILTINS, name
