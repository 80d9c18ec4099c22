"""The TALES expression types of restricted Templates, for Chameleon.

`path:` (the default), `nocall:`, `exists:`, `not:`, `string:`,
`structure:` and `python:`; Chameleon's `import:` and `load:` are not
offered. A Python expression compiles with the same policy as a Script, and
every name it uses resolves among the template's variables, then the safe
builtins, never Python's. A path walks attribute first, then item, each step
through the guards; names starting with `_` are refused (CVE-2021-32633).
"""

import ast
import re

from chameleon.astutil import Symbol
from chameleon.codegen import template
from chameleon.exc import ExpressionError
from chameleon.tales import ExistsExpr, TalesExpr

from objweb.errors import AccessDenied, SourceError
from objweb.sandbox.builtins import GUARDS, SAFE_BUILTINS
from objweb.sandbox.compiler import transform_expression
from objweb.sandbox.failures import NotPublishedError
from objweb.sandbox.formatting import measured
from objweb.sandbox.guards import guarded_getattr, guarded_getitem
from objweb.sandbox.operators import guarded_mul
from objweb.sandbox.run import current_budget

MISSING = object()
_VARIABLE = re.compile(r"[A-Za-z][-\w]*\Z")
# A name after a slash: no spaces, quotes, braces or dollars, so that a path
# inside `string:${...}` ends where it should.
_SEGMENT = re.compile(r"[^\s/{}$|'\"<>]+\Z")
# Values whose text is written in one short step (a repeat's number is an int
# of Chameleon's); anything else is measured first.
_PLAIN_OUTPUT = (str, int, float, type(None))
_PLAIN_TYPES = frozenset(_PLAIN_OUTPUT)
_POSITION = re.compile(r" \(line \d+, column [\dNone]+\)$")


def template_name(econtext, name: str):
    """Return the value of `name` in a template: a variable, else a safe builtin.

    Raises `NameError` for any other name.
    """
    # The template's own variables are the Scope's dict: one call in C
    # before Chameleon's `get`, which also looks in the outer scope.
    value = dict.get(econtext, name, MISSING)
    if value is MISSING:
        value = econtext.get(name, MISSING)
    if value is not MISSING:
        return value
    if name in SAFE_BUILTINS:
        return SAFE_BUILTINS[name]
    raise NameError(f"name {name!r} is not defined")


def checked_value(value):
    """Return an expression's value once its text is known to be bearable."""
    current_budget().tick()
    if type(value) not in _PLAIN_TYPES and not isinstance(value, _PLAIN_OUTPUT):
        measured(value)
    return value


def checked_product(left, right):
    """Return `checked_value(guarded_mul(left, right))`, two plain integers in one step."""
    if type(left) is int and type(right) is int:
        budget = current_budget()
        budget.tick()
        bits = left.bit_length() + right.bit_length()
        if bits > budget.limits.max_int_bits:
            budget.check_int_bits(bits)
        return left * right
    return checked_value(guarded_mul(left, right))


def variable_value(value, call: bool):
    """Return what a path of one variable (`row`, `options`) gives: `traverse_path` with no names."""
    if call and callable(value):
        value = value()
    # `checked_value`, written out: this runs for most values a loop writes.
    current_budget().tick()
    if type(value) not in _PLAIN_TYPES and not isinstance(value, _PLAIN_OUTPUT):
        measured(value)
    return value


def make_slice(lower, upper, step) -> slice:
    """Return `slice(lower, upper, step)` (a builtin type cannot be a Chameleon symbol)."""
    return slice(lower, upper, step)


def plain_dict(value):
    """Return `value` if it is a dict (`tal:attributes` given a whole mapping)."""
    if type(value) is not dict:
        raise TypeError("tal:attributes without a name takes a dict")
    return value


def _step(obj, name: str):
    try:
        return guarded_getattr(obj, name)
    except NotPublishedError:
        pass
    key = name
    if isinstance(obj, (list, tuple, str)) and name.isdigit():
        key = int(name)
    return guarded_getitem(obj, key)


def traverse_path(base, names: tuple, call: bool):
    """Return what a path expression reaches from `base` through `names`.

    Each name is tried as an attribute (declared names, items of a
    container, acquired Templates and Scripts), then as an item. The object
    reached is called unless `call` is false (`nocall:`).
    """
    obj = base
    for name in names:
        current_budget().tick()
        if not isinstance(name, str) or name.startswith("_"):
            raise NotPublishedError(f"{name!r} is not accessible to code")
        obj = _step(obj, name)
    if call and callable(obj):
        obj = obj()
    return checked_value(obj)


def _is_segment(part: str) -> bool:
    if part.startswith("?"):
        return bool(_VARIABLE.match(part[1:]))
    return bool(_SEGMENT.match(part)) and not part.startswith("_")


def _load(name: str) -> ast.expr:
    return ast.Call(func=Symbol(template_name),
                    args=[ast.Name("econtext", ast.Load()), ast.Constant(name)], keywords=[])


class _NameResolver(ast.NodeTransformer):
    """Route a restricted expression's names to the guards and the template's variables."""

    def __init__(self):
        self.scopes: list[set] = []

    def visit_Lambda(self, node: ast.Lambda):
        """Resolve a lambda's defaults outside it and its body with its parameters local."""
        arguments = node.args
        names = {arg.arg for arg in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}
        names |= {arg.arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None}
        arguments.defaults = [self.visit(default) for default in arguments.defaults]
        arguments.kw_defaults = [None if default is None else self.visit(default)
                                 for default in arguments.kw_defaults]
        self.scopes.append(names)
        node.body = self.visit(node.body)
        self.scopes.pop()
        return node

    def visit_Slice(self, node: ast.Slice):
        """Make `a:b:c` a call of `slice`: Chameleon writes the tree back as source text,
        where a bare slice outside brackets does not parse."""
        bounds = [ast.Constant(None) if part is None else self.visit(part)
                  for part in (node.lower, node.upper, node.step)]
        return ast.Call(func=Symbol(make_slice), args=bounds, keywords=[])

    def visit_Name(self, node: ast.Name):
        """Turn a guard's name into the guard, any other free name into a lookup."""
        if not isinstance(node.ctx, ast.Load):
            return node
        if node.id in GUARDS:
            return Symbol(GUARDS[node.id])
        if any(node.id in scope for scope in self.scopes):
            return node
        return _load(node.id)


class PythonExpr(TalesExpr):
    """`python:` a restricted Python expression."""

    def translate(self, expression, target):
        """Return statements that assign the expression's value to `target`."""
        source = " ".join(expression.strip().splitlines())
        try:
            tree = transform_expression(source)
        except SourceError as error:
            # The template's error points at the expression; drop the inner position.
            message = _POSITION.sub("", str(error))
            raise ExpressionError(message, expression) from None
        value = _NameResolver().visit(tree)
        checked = ast.Call(func=Symbol(checked_value), args=[value], keywords=[])
        if _is_call_of(value, guarded_mul) and len(value.args) == 2 and not value.keywords:
            # A product, as loops write them (`row * 2`): guarded and checked in one call.
            checked = ast.Call(func=Symbol(checked_product), args=value.args, keywords=[])
        return [ast.Assign(targets=[target], value=checked)]


def _is_call_of(node: ast.expr, function) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, Symbol)
            and node.func.value is function)


class PathExpr(TalesExpr):
    """`path:` (the default): `context/news/hello/title`, `request/form/q`, `a/?name`."""

    call = True
    # Alternatives (`a | b`) also pass over a refusal, as in Zope.
    exceptions = TalesExpr.exceptions + (AccessDenied,)

    def translate(self, expression, target):
        """Return statements that assign what the path reaches to `target`."""
        path = expression.strip()
        first, *rest = [part.strip() for part in path.split("/")]
        if not _VARIABLE.match(first) or not all(map(_is_segment, rest)):
            raise ExpressionError(f"not a valid path: {path!r}", expression)
        if not rest:
            # A variable alone, the commonest path in a loop: no walk to set up.
            call = ast.Call(func=Symbol(variable_value),
                            args=[_load(first), ast.Constant(self.call)], keywords=[])
            return [ast.Assign(targets=[target], value=call)]
        names = [_load(part[1:]) if part.startswith("?") else ast.Constant(part)
                 for part in rest]
        call = ast.Call(func=Symbol(traverse_path),
                        args=[_load(first), ast.Tuple(names, ast.Load()),
                              ast.Constant(self.call)], keywords=[])
        return [ast.Assign(targets=[target], value=call)]


class NocallExpr(PathExpr):
    """`nocall:` a path whose end is not called."""

    call = False


class GuardedExistsExpr(ExistsExpr):
    """`exists:` true when the expression evaluates, false when it fails or is refused."""

    exceptions = ExistsExpr.exceptions + (AccessDenied,)


class DictAttributesExpr:
    """The value of a nameless `tal:attributes`, which must be a plain dict."""

    def __init__(self, expression):
        self.expression = expression

    def __call__(self, target, engine):
        """Return statements that assign the checked dict to `target`."""
        body = engine.parse(self.expression).assign_value(target)
        return body + template("target = check(target)", target=target,
                               check=Symbol(plain_dict))
