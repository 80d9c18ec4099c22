"""Compiling and calling Script code.

A Script's parameters and body compile into a restricted function once per
version of its source. Each call runs that function in fresh globals: the
safe builtins, the guards, and the bound names `context`, `container`,
`script`, `request` and `traverse_subpath`.
"""

import ast
import itertools
from dataclasses import dataclass

from objweb.sandbox.builtins import GUARDS, SAFE_BUILTINS
from objweb.sandbox.compiler import compile_function, parse_parameters
from objweb.sandbox.run import Location, Run, execute
from objweb.traversal.location import path_of

FUNCTION_NAME = "_objweb_script"
REQUIRED = object()
# A default that is not a literal: known only when the function is defined.
COMPUTED_DEFAULT = object()
_serial = itertools.count(1)


@dataclass(frozen=True)
class Parameter:
    """One parameter of a Script: its name, kind and literal default (or a marker)."""

    name: str
    default: object = REQUIRED
    keyword_only: bool = False
    positional_only: bool = False


def _literal(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return COMPUTED_DEFAULT


def parameters_of(params: str) -> tuple[Parameter, ...]:
    """Return the named parameters of a Script's parameter list (no `*args` or `**kw`).

    Raises `SourceError` for a list that does not compile.
    """
    arguments = parse_parameters(params)
    positional = arguments.posonlyargs + arguments.args
    defaults = [REQUIRED] * (len(positional) - len(arguments.defaults)) + [
        _literal(node) for node in arguments.defaults]
    only = len(arguments.posonlyargs)
    found = [Parameter(arg.arg, default, positional_only=index < only)
             for index, (arg, default) in enumerate(zip(positional, defaults))]
    for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        found.append(Parameter(arg.arg, REQUIRED if default is None else _literal(default),
                               keyword_only=True))
    return tuple(found)


@dataclass(frozen=True)
class CompiledScript:
    """A Script's code, ready to run, and what is needed to say where it failed."""

    code: object
    filename: str
    params: str
    body: str
    parameters: tuple[Parameter, ...]


def compile_script(params: str, body: str) -> CompiledScript:
    """Return the compiled form of a Script's parameters and body.

    Raises `SourceError` with the line and column of the first problem.
    """
    filename = f"<script {next(_serial)}>"
    code = compile_function(params, body, filename=filename, name=FUNCTION_NAME)
    return CompiledScript(code, filename, params, body, parameters_of(params))


def _locator(compiled: CompiledScript, script):
    def locate(error: BaseException) -> Location | None:
        line = None
        traceback = error.__traceback__
        while traceback is not None:
            if traceback.tb_frame.f_code.co_filename == compiled.filename:
                line = traceback.tb_lineno
            traceback = traceback.tb_next
        if line is None:
            return None
        return Location(path_of(script), "Script", line, None, compiled.body)
    return locate


def run_script(compiled: CompiledScript, run: Run, *, script, context, args=(), kwargs=None,
               subpath=()):
    """Return what the Script returns when called in `run` (the run's boundary is the caller's)."""
    run.locate = _locator(compiled, script)
    namespace = {"__builtins__": SAFE_BUILTINS, "__name__": "script", **GUARDS,
                 "context": context, "container": script.__parent__, "script": script,
                 "request": run.context.request, "traverse_subpath": list(subpath)}
    exec(compiled.code, namespace)  # noqa: S102 (restricted code, compiled by the sandbox)
    return namespace[FUNCTION_NAME](*args, **(kwargs or {}))


def call_script(compiled: CompiledScript, *, script, context, args=(), kwargs=None,
                subpath=(), request=None, user_policy=None, limits=None):
    """Return what the Script returns, called in `context` as its own run.

    See `objweb.sandbox.run.execute` for who it acts for and what
    it raises.
    """
    return execute(script, lambda run: run_script(
        compiled, run, script=script, context=context, args=args, kwargs=kwargs,
        subpath=subpath), request=request, user_policy=user_policy, limits=limits)
