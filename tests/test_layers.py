"""Imports flow downward through objweb's rooms; this test keeps them so.

Each module's objweb imports are read with `ast`. A module may import its own
room and the rooms below it, never one above, and nothing imports the
`objweb` package itself from inside it.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "objweb"

# Lower numbers are lower rooms. A module may import rooms at its level or below.
LEVELS = {
    "objweb.errors": 1,
    "objweb.names": 1,
    "objweb.events": 1,
    "objweb.traversal": 2,
    "objweb.security": 3,
    "objweb.content": 4,
    "objweb.catalog": 5,
    "objweb.zmi": 6,
    "objweb.publisher": 7,
    "objweb.db": 8,
    "objweb.cli": 8,
    "objweb.command": 8,
    "objweb.server": 8,
    "objweb.wsgi": 8,
    "objweb.ops": 8,
    "objweb.__main__": 8,
    "objweb": 8,
}


def room_of(module: str) -> str:
    """Return the room a dotted module name belongs to."""
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        candidate = ".".join(parts[:length])
        if candidate in LEVELS:
            return candidate
    raise AssertionError(f"{module} is in no room; add it to LEVELS")


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def objweb_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: use absolute imports")
    return [name for name in found if name == "objweb" or name.startswith("objweb.")]


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: module_name(path))
def test_imports_only_flow_downward(path):
    importer = module_name(path)
    level = LEVELS[room_of(importer)]
    for imported in objweb_imports(path):
        if importer != "objweb":
            assert imported != "objweb", f"{importer} imports the objweb package itself"
        imported_level = LEVELS[room_of(imported)]
        assert imported_level <= level, (
            f"{importer} (level {level}) imports {imported} (level {imported_level})")


def test_every_room_is_present():
    for room in ("traversal", "security", "zmi", "content", "publisher"):
        assert (PACKAGE / room / "__init__.py").exists(), room


def test_lowest_rooms_import_nothing_of_objweb():
    for name in ("errors.py", "names.py", "events.py"):
        assert objweb_imports(PACKAGE / name) == []
