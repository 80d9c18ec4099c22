"""The restricted compiler: refusals with their positions, and what it rewrites."""

import ast

import pytest

from objweb.errors import SourceError
from objweb.sandbox.compiler import (
    CodeTransformer, compile_function, parse_parameters, transform_expression)


def compile_body(body: str, params: str = ""):
    return compile_function(params, body, filename="<test>", name="f")


@pytest.mark.parametrize("body, line, column", [
    ("x = 1\ny = (", 2, 5),
    ("return _x", 1, 8),
    ("x = 1\nclass A:\n    pass", 2, 1),
    ("return obj.__class__", 1, 8),
    ("try:\n    pass\nexcept* Exception:\n    pass", 1, 1),
    ("exec('x')", 1, 1),
    ("import os as _os", 1, 1),
    ("def f(_a, /):\n    pass", 1, 1),
    ("async def f():\n    pass", 1, 1),
    ("x = [*y for y in z]", 1, 6),
])
def test_refusals_carry_their_position(body, line, column):
    with pytest.raises(SourceError) as caught:
        compile_body(body)
    assert (caught.value.line, caught.value.column, caught.value.field) == (line, column, "body")


def test_refusal_by_python_after_the_transformation():
    with pytest.raises(SourceError) as caught:
        compile_body("x = 1\nbreak")
    assert (caught.value.line, caught.value.field) == (2, "body")


def test_a_body_with_a_nul_is_refused():
    with pytest.raises(SourceError):
        compile_body("x = 1\x00")


def test_an_empty_body_compiles():
    namespace = {"_tick_": lambda: None, "_own_": lambda function: function}
    exec(compile_body(""), namespace)
    assert namespace["f"]() is None


@pytest.mark.parametrize("params, column", [
    ("a,, b", 3), ("a=", 3), ("a b", 1), ("(", 1), ("a): pass\ndef g(", 1), ("a\rb", 1),
    ("_secret", 1), ("a=_x", 1), ("a=1): return 1\nif x:(", 1)])
def test_parameter_refusals(params, column):
    with pytest.raises(SourceError) as caught:
        parse_parameters(params)
    assert caught.value.field == "params"
    assert caught.value.line == 1
    assert caught.value.column >= 1


def test_parameters_that_smuggle_a_body_are_refused():
    with pytest.raises(SourceError):
        parse_parameters("a=1): return 1 #")
    with pytest.raises(SourceError):
        parse_parameters("a=1): pass\n    ")


def test_parameters_parse():
    arguments = parse_parameters("name='world', n=1, *rest, key=None, **more")
    assert [arg.arg for arg in arguments.args] == ["name", "n"]
    assert arguments.vararg.arg == "rest" and arguments.kwarg.arg == "more"


def test_expressions_are_transformed():
    tree = transform_expression("context.title + 'x' * 2")
    source = ast.unparse(tree)
    assert "_getattr_(context, 'title')" in source
    assert "_mul_('x', 2)" in source
    assert "_add_(" in source


@pytest.mark.parametrize("expression", ["econtext", "rcontext['x']", "print(1)", "printed",
                                        "translate", "getname('x')", "_x", "1 +", "a\x00"])
def test_expression_refusals(expression):
    with pytest.raises(SourceError) as caught:
        transform_expression(expression)
    assert caught.value.field == "source"


@pytest.mark.parametrize("body, fragment", [
    ("while x:\n    pass", "_tick_()"),
    ("def g():\n    return 1", "_tick_()"),
    ("g = lambda: 1", "_tick_() or 1"),
    ("f(*a)", "_starred_(a)"),
    ("f(**k)", "_getmapping_(k)"),
    ("x = {**k}", "_getmapping_(k)"),
    ("x = [*a]", "_starred_(a)"),
    ("def g():\n    yield from a", "_getiter_(a)"),
    ("x = f'{a!r:>{w}}'", "_format_value_(a, 114, f\">{_format_value_(w, -1, '')}\")"),
    ("x = 2 ** 3 << 1", "_lshift_(_pow_(2, 3), 1)"),
    ("x = 'a' % b", "_mod_('a', b)"),
    ("try:\n    pass\nexcept:\n    pass", "except Exception:"),
    ("try:\n    pass\nexcept E:\n    pass", "except _exceptions_(E):"),
    ("x = a < b", "_compare_('<', a, b)"),
    ("x = a < b < c", "_compare_chain_(a, ('<', '<'), lambda: b, lambda: c)"),
    ("x = a is None", "a is None"),
    ("x = a == 0", "a == 0"),
    ("x = a - b", "_binop_('-', a, b)"),
    ("x = a - 1", "a - 1"),
    ("x = {a: 1, 'b': c}", "_built_({_key_(a): 1, 'b': c})"),
    ("x = {a}", "_built_({_key_(a)})"),
    ("x = [a]", "_built_([a])"),
    ("x = (a, 1)", "_built_((a, 1))"),
    ("x = (1, 2)", "x = (1, 2)"),
    ("x = {a: 1 for a in b}", "_built_({_key_(a): 1 for a in _getiter_(b)})"),
    ("g = lambda: 1", "_own_(lambda: _tick_() or 1)"),
    ("def g():\n    return 1", "@_own_"),
    ("x = (a for a in b)", "_own_((a for a in _getiter_(b)))"),
])
def test_rewrites(body, fragment):
    module = ast.parse(body)
    transformer = CodeTransformer()
    module = transformer.visit(module)
    assert not transformer.problems
    assert fragment in ast.unparse(module)
