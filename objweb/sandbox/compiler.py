"""Compiling Script bodies and Template expressions into restricted code.

RestrictedPython's policy does the heavy lifting: names starting with `_`
are refused, and every attribute, item, iteration, unpacking and write is
rewritten into a call of a guard. objweb tightens it further:

- a `_tick_()` call opens every loop body, function and lambda, so the time
  budget is checked however the code loops;
- `*`, `**`, `<<`, `%` and `+` call guards that refuse results too large to
  build (work done in C cannot be interrupted), and the other binary
  operators one guard that refuses operands of the site;
- comparisons call a guard (`in` on a folder needs the right to list it); a
  chain `a < b < c` passes its later operands as thunks, evaluated as Python
  would;
- each value formatted in an f-string goes through a guard that checks its
  size and format spec, like `str.format` does;
- `*args`, `**kwargs`, `[*x]`, `{**x}` and `yield from x` iterate through the
  guards too, and a bare `except:` is compiled as `except Exception:` so that
  a stopped run stays stopped;
- every function, lambda and generator expression is wrapped in `_own_`,
  which binds it to the run that made it (see `functions`);
- the keys of dict and set displays and comprehensions go through `_key_`,
  and what an `except` clause matches through `_exceptions_`: hashing a
  tuple, or matching against one, recurses in C without a limit;
- lists, tuples, dicts and sets built by displays and comprehensions are
  charged to the allocation allowance (`_built_`), and integer literals are
  held to the size arithmetic may build;
- classes are refused, and so is `try/except*` (CVE-2025-22153).

Errors carry the line and column of the offending code.
"""

import ast
import copy
from dataclasses import dataclass

from RestrictedPython.transformer import RestrictingNodeTransformer, copy_locations

from objweb.errors import SourceError
from objweb.sandbox.budget import Limits

TICK = "_tick_"
OWN = "_own_"
KEY = "_key_"
KEYS = "_keys_"
EXCEPTIONS = "_exceptions_"
BUILT = "_built_"
LITERAL_INT_BITS = Limits().max_int_bits
GET_ITER = "_getiter_"
STARRED = "_starred_"
GET_MAPPING = "_getmapping_"
FORMAT_VALUE = "_format_value_"
BINARY_GUARDS = {ast.Mult: "_mul_", ast.Pow: "_pow_", ast.LShift: "_lshift_",
                 ast.Mod: "_mod_", ast.Add: "_add_"}
BINARY_OPERATION = "_binop_"
OTHER_OPERATORS = {ast.Sub: "-", ast.Div: "/", ast.FloorDiv: "//", ast.RShift: ">>",
                   ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.MatMult: "@"}
COMPARE = "_compare_"
COMPARE_CHAIN = "_compare_chain_"
COMPARISON_OPERATORS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=",
                        ast.Gt: ">", ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in",
                        ast.Is: "is", ast.IsNot: "is not"}
# What a thunk of a chained comparison cannot hold: it would change meaning in a lambda.
_NOT_IN_THUNKS = (ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await)
# Compared with, or taken away from, such a constant, a value costs one step
# and lists nothing: `i == 0`, `n - 1` and `x < 2.5` need no guard.
_SCALAR_CONSTANTS = (int, float, complex, bool, type(None))
_SHORT_TEXT = 64


def _is_scalar_constant(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    if not isinstance(node, ast.Constant):
        return False
    value = node.value
    return isinstance(value, _SCALAR_CONSTANTS) or (
        isinstance(value, (str, bytes)) and len(value) <= _SHORT_TEXT)
# Chameleon's own names inside a compiled template; an expression may not name them.
TEMPLATE_INTERNALS = frozenset({
    "econtext", "rcontext", "translate", "decode", "convert", "getname", "get",
    "on_error_handler", "target_language", "print", "printed"})
# Template variables the template machinery calls or relies on: an expression
# may read them but never bind them. Chameleon stores every name an expression
# binds (a comprehension's, a :='s) in the template's variables, and
# `tal:repeat` calls `repeat` to iterate: rebound, it would iterate anything
# unguarded.
TEMPLATE_MACHINERY = frozenset({"repeat", "default", "nothing"})


@dataclass(frozen=True)
class Problem:
    """Where restricted source breaks a rule, counted from 1."""

    message: str
    line: int | None
    column: int | None


def _keyed(node):
    """Return `node` (a key, None for `**`, or `*x`) checked through `_key_` unless a constant."""
    if node is None or isinstance(node, ast.Constant):
        return node
    if isinstance(node, ast.Starred):
        node.value = _call(KEYS, [node.value], node)
        return node
    return _call(KEY, [node], node)


def _no_arguments() -> ast.arguments:
    return ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[],
                         kw_defaults=[], kwarg=None, defaults=[])


def _call(name: str, args: list, node: ast.AST) -> ast.Call:
    call = ast.Call(func=ast.Name(name, ast.Load()), args=args, keywords=[])
    copy_locations(call, node)
    return call


class CodeTransformer(RestrictingNodeTransformer):
    """RestrictedPython's policy plus objweb's ticks, size guards and refusals."""

    template_mode = False

    def __init__(self):
        super().__init__()
        self.problems: list[Problem] = []

    def error(self, node: ast.AST, info: str) -> None:
        """Record a refusal with its position."""
        super().error(node, info)
        column = getattr(node, "col_offset", None)
        self.problems.append(Problem(info, getattr(node, "lineno", None),
                                     None if column is None else column + 1))

    # -- refusals -----------------------------------------------------------------

    def visit_ClassDef(self, node: ast.ClassDef):
        """Refuse class statements: restricted code defines functions only."""
        self.error(node, "class statements are not allowed")
        return node

    def visit_Name(self, node: ast.Name):
        """Refuse, in a template expression, the names the template machinery uses."""
        if self.template_mode and node.id in TEMPLATE_INTERNALS:
            self.error(node, f'"{node.id}" is not available in a template expression')
            return node
        if self.template_mode and node.id in TEMPLATE_MACHINERY \
                and not isinstance(node.ctx, ast.Load):
            self.error(node, f'a template expression cannot bind "{node.id}"')
            return node
        return super().visit_Name(node)

    def visit_NamedExpr(self, node: ast.NamedExpr):
        """Refuse `:=` in a template expression: Chameleon cannot compile it there."""
        if self.template_mode:
            self.error(node, "':=' is not available in a template expression; "
                             "use tal:define")
            return node
        return super().visit_NamedExpr(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler):
        """Compile a bare `except:` as `except Exception:`; check what others match."""
        node = super().visit_ExceptHandler(node)
        if node.type is None:
            node.type = ast.Name("Exception", ast.Load())
            copy_locations(node.type, node)
        else:
            node.type = _call(EXCEPTIONS, [node.type], node.type)
        return node

    def visit_Constant(self, node: ast.Constant):
        """Refuse an integer literal larger than arithmetic may build."""
        node = super().visit_Constant(node)
        if isinstance(node.value, int) and node.value.bit_length() > LITERAL_INT_BITS:
            self.error(node, f"an integer literal has at most {LITERAL_INT_BITS} bits")
        return node

    # -- keys and memory ---------------------------------------------------------------

    def visit_Dict(self, node: ast.Dict):
        """Unpack `{**x}` through the mapping guard, check each key, charge the dict."""
        node = super().visit_Dict(node)
        node.values = [_call(GET_MAPPING, [value], value) if key is None else value
                       for key, value in zip(node.keys, node.values)]
        node.keys = [_keyed(key) for key in node.keys]
        return _call(BUILT, [node], node)

    def visit_Set(self, node: ast.Set):
        """Check each element of a set display, and charge the set."""
        node = super().visit_Set(node)
        node.elts = [_keyed(element) for element in node.elts]
        return _call(BUILT, [node], node)

    def visit_DictComp(self, node: ast.DictComp):
        """Check each key a dict comprehension makes, and charge the dict."""
        node = super().visit_DictComp(node)
        node.key = _keyed(node.key)
        return _call(BUILT, [node], node)

    def visit_SetComp(self, node: ast.SetComp):
        """Check each element a set comprehension makes, and charge the set."""
        node = super().visit_SetComp(node)
        node.elt = _keyed(node.elt)
        return _call(BUILT, [node], node)

    def visit_List(self, node: ast.List):
        """Charge a list display."""
        node = super().visit_List(node)
        return _call(BUILT, [node], node) if isinstance(node.ctx, ast.Load) else node

    def visit_ListComp(self, node: ast.ListComp):
        """Charge the list a comprehension makes."""
        node = super().visit_ListComp(node)
        return _call(BUILT, [node], node)

    def visit_Tuple(self, node: ast.Tuple):
        """Charge a tuple display, unless Python makes it once, from constants."""
        node = super().visit_Tuple(node)
        if not isinstance(node.ctx, ast.Load) \
                or all(isinstance(element, ast.Constant) for element in node.elts):
            return node
        return _call(BUILT, [node], node)

    # -- the time budget ------------------------------------------------------------

    def visit_While(self, node: ast.While):
        """Tick at the start of every iteration."""
        node = super().visit_While(node)
        node.body.insert(0, self._tick_statement(node))
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef):
        """Tick at every call, and bind the function to the run that defines it."""
        node = super().visit_FunctionDef(node)
        node.body.insert(0, self._tick_statement(node))
        # Decorators apply from the last: the function is bound before any other sees it.
        owner = ast.Name(OWN, ast.Load())
        copy_locations(owner, node)
        node.decorator_list.append(owner)
        return node

    def visit_Lambda(self, node: ast.Lambda):
        """Tick at every call and bind to the run: `_own_(lambda: _tick_() or x)`."""
        node = super().visit_Lambda(node)
        node.body = ast.BoolOp(ast.Or(), [_call(TICK, [], node), node.body])
        copy_locations(node.body, node)
        return _call(OWN, [node], node)

    def visit_GeneratorExp(self, node: ast.GeneratorExp):
        """Bind a generator expression to the run that makes it: its steps run later."""
        node = super().visit_GeneratorExp(node)
        return _call(OWN, [node], node)

    @staticmethod
    def _tick_statement(node: ast.AST) -> ast.Expr:
        statement = ast.Expr(_call(TICK, [], node))
        copy_locations(statement, node)
        return statement

    # -- sizes and formats ------------------------------------------------------------

    def visit_BinOp(self, node: ast.BinOp):
        """Send every binary operator through a guard."""
        node = super().visit_BinOp(node)
        guard = BINARY_GUARDS.get(type(node.op))
        if guard is None:
            if _is_scalar_constant(node.left) or _is_scalar_constant(node.right):
                return node
            symbol = ast.Constant(OTHER_OPERATORS[type(node.op)])
            return _call(BINARY_OPERATION, [symbol, node.left, node.right], node)
        return _call(guard, [node.left, node.right], node)

    def visit_Compare(self, node: ast.Compare):
        """Send comparisons through the guard; a chain passes later operands as thunks."""
        node = super().visit_Compare(node)
        symbols = [COMPARISON_OPERATORS[type(op)] for op in node.ops]
        if all(symbol in ("is", "is not") for symbol in symbols):
            return node
        if len(symbols) == 1:
            right = node.comparators[0]
            if symbols[0] not in ("in", "not in") and (
                    _is_scalar_constant(node.left) or _is_scalar_constant(right)):
                return node
            return _call(COMPARE, [ast.Constant(symbols[0]), node.left, right], node)
        thunks = []
        for operand in node.comparators:
            if any(isinstance(inner, _NOT_IN_THUNKS) for inner in ast.walk(operand)):
                self.error(operand, "a chained comparison cannot hold :=, yield or await "
                                    "after its first operand")
            thunks.append(ast.Lambda(args=_no_arguments(), body=operand))
        chain = [node.left, ast.Tuple([ast.Constant(symbol) for symbol in symbols],
                                      ast.Load())] + thunks
        call = _call(COMPARE_CHAIN, chain, node)
        ast.fix_missing_locations(call)
        return call

    def visit_FormattedValue(self, node: ast.FormattedValue):
        """Format each f-string value through the guard, conversion and spec included."""
        node = super().visit_FormattedValue(node)
        spec = node.format_spec if node.format_spec is not None else ast.Constant("")
        copy_locations(spec, node)
        node.value = _call(FORMAT_VALUE, [node.value, ast.Constant(node.conversion), spec],
                           node)
        node.conversion = -1
        node.format_spec = None
        return node

    # -- iterations Python does in C ----------------------------------------------------

    def visit_Starred(self, node: ast.Starred):
        """Unpack `*x` in calls and displays through the guard, within the item limit."""
        node = super().visit_Starred(node)
        if isinstance(node.ctx, ast.Load):
            node.value = _call(STARRED, [node.value], node)
        return node

    def visit_keyword(self, node: ast.keyword):
        """Unpack `**x` in calls through the mapping guard."""
        node = super().visit_keyword(node)
        if node.arg is None:
            node.value = _call(GET_MAPPING, [node.value], node.value)
        return node


    def visit_YieldFrom(self, node: ast.YieldFrom):
        """Delegate `yield from x` through the iteration guard."""
        node = super().visit_YieldFrom(node)
        node.value = _call(GET_ITER, [node.value], node)
        return node


class ExpressionTransformer(CodeTransformer):
    """The policy for Template expressions: as for Scripts, minus the template's internals."""

    template_mode = True


def _first_problem(transformer: CodeTransformer, field: str, prefix: str = "") -> SourceError:
    problem = transformer.problems[0]
    return SourceError(prefix + problem.message, line=problem.line, column=problem.column,
                       field=field)


def _syntax_error(error: Exception, field: str, prefix: str = "",
                  column_shift: int = 0) -> SourceError:
    column = max(1, (getattr(error, "offset", None) or 1) - column_shift)
    message = getattr(error, "msg", None) or str(error)
    return SourceError(f"{prefix}{message}", line=getattr(error, "lineno", None) or 1,
                       column=column, field=field)


_SIGNATURE_PREFIX = "def f("


def parse_parameters(params: str) -> ast.arguments:
    """Return the parsed parameter list of a Script (`name='world', n=1`).

    Raises `SourceError` (field `params`) for a list that does not parse,
    or that breaks the restricted policy.
    """
    if "\n" in params or "\r" in params:
        raise SourceError("the parameters must be one line", line=1, column=1, field="params")
    source = f"{_SIGNATURE_PREFIX}{params}):\n    pass\n"
    try:
        module = ast.parse(source, "<parameters>", "exec")
    except SyntaxError as error:
        raise _syntax_error(error, "params", "the parameters do not parse: ",
                            len(_SIGNATURE_PREFIX)) from None
    # Only the parameter list of this function is used: whatever else a
    # crafted list might make the line say is dropped here.
    function = module.body[0]
    transformer = CodeTransformer()
    transformer.visit(copy.deepcopy(module))
    if transformer.problems:
        problem = transformer.problems[0]
        raise SourceError(problem.message, line=1, column=1, field="params")
    return function.args


def compile_function(params: str, body: str, *, filename: str, name: str):
    """Return the code of a module defining the restricted function `name`.

    The body's lines keep their numbers. Raises `SourceError` with the line
    and column of the first problem, in field `params` or `body`.
    """
    arguments = parse_parameters(params)
    try:
        statements = ast.parse(body, filename, "exec").body
    except (SyntaxError, ValueError) as error:  # ValueError: a NUL before Python 3.11.4
        raise _syntax_error(error, "body") from None
    function = ast.FunctionDef(name="function", args=arguments, body=statements or [ast.Pass()],
                               decorator_list=[], returns=None, type_comment=None,
                               lineno=1, col_offset=0)
    module = ast.Module(body=[function], type_ignores=[])
    ast.fix_missing_locations(module)
    transformer = CodeTransformer()
    transformer.visit(module)
    if transformer.problems:
        raise _first_problem(transformer, "body")
    # Named only now: restricted code cannot name it, so it shadows no bound name.
    function.name = name
    try:
        return compile(module, filename, "exec")
    except SyntaxError as error:
        raise _syntax_error(error, "body") from None


def transform_expression(source: str) -> ast.expr:
    """Return the restricted syntax tree of a Template's Python expression.

    Raises `SourceError` (with the position inside the expression) for an
    expression that does not parse or breaks the restricted policy.
    """
    try:
        tree = ast.parse(source, "<expression>", "eval")
    except (SyntaxError, ValueError) as error:  # ValueError: a NUL before Python 3.11.4
        raise _syntax_error(error, "source") from None
    transformer = ExpressionTransformer()
    tree = transformer.visit(tree)
    if transformer.problems:
        raise _first_problem(transformer, "source")
    return tree.body
