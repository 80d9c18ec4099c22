"""One of each primitive: the modules that may do each, found by reading every module.

docs/ARCHITECTURE.md names them: one signing construction, one CSRF
check, one batching helper, one set of value converters, one pack path.
"""

import ast
from pathlib import Path

from layer_rules import imports_of, module_names

PACKAGE = Path(__file__).resolve().parent.parent / "objweb"
MODULES = module_names(PACKAGE)


def modules_where(found) -> set[str]:
    """Return the modules of objweb whose syntax tree holds a node `found` accepts."""
    return {name for name, path in MODULES.items()
            if any(found(node) for node in ast.walk(ast.parse(path.read_text())))}


def importers_of(library: str) -> set[str]:
    return {name for name, path in MODULES.items()
            if any(imported.target.split(".")[0] == library
                   for imported in imports_of(path, MODULES)[0])}


def calls_named(*names: str):
    """Accept a call of a function or method named one of `names`."""
    def found(node) -> bool:
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        return (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)) \
            in names
    return found


def calls_method(name: str):
    """Accept a call of a method `name` (`db.pack(...)`), not of a function so named."""
    return lambda node: isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr == name


def defines(*names: str):
    """Accept a module whose top level defines a function named one of `names`."""
    return lambda node: isinstance(node, ast.Module) and any(
        isinstance(statement, ast.FunctionDef) and statement.name in names
        for statement in node.body)


def test_one_signing_construction():
    assert importers_of("hmac") == {"objweb.security.signing"}


def test_one_csrf_check():
    assert modules_where(defines("check_csrf", "check_token")) == {
        "objweb.web.identity", "objweb.security.csrf"}
    assert modules_where(calls_named("check_token")) == {"objweb.web.identity"}


def test_one_pack_path():
    # A database is packed by DB.pack in storage/pack.py alone; the command
    # line and the Control panel call its `pack`.
    assert modules_where(calls_method("pack")) == {"objweb.storage.pack"}
    assert {"objweb.cli.operations", "objweb.zmi.control"} <= {
        name for name, path in MODULES.items()
        if any(imported.target == "objweb.storage.pack"
               for imported in imports_of(path, MODULES)[0])}


def test_one_batching_helper():
    assert modules_where(defines("read_batch_parameters", "next_start",
                                 "previous_start")) == {"objweb.web.batching"}


def test_one_set_of_value_converters():
    # Dates, numbers and lines are parsed from text in content/values.py alone.
    assert modules_where(calls_named("fromisoformat")) <= {"objweb.content.values"}
