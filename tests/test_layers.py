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
    "objweb.sandbox": 4,
    "objweb.content": 5,
    "objweb.catalog": 5.5,
    "objweb.storage": 6,
    "objweb.web": 7,
    "objweb.views": 8,
    "objweb.zmi": 8,
    "objweb.app": 9,
    "objweb.wsgi": 10,
    "objweb.ops": 10,
    "objweb": 10,
    "objweb.cli": 10,
    "objweb.cli.common": 10,
    "objweb.server": 10,
    "objweb.__main__": 10,
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
        elif isinstance(node, ast.ImportFrom) and node.module == "objweb":
            found += [f"objweb.{alias.name}" for alias in node.names]
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
    for room in ("traversal", "security", "sandbox", "content", "storage", "web", "views", "zmi"):
        assert (PACKAGE / room / "__init__.py").exists(), room


def test_lowest_rooms_import_nothing_of_objweb():
    for name in ("errors.py", "names.py", "events.py"):
        assert objweb_imports(PACKAGE / name) == []
