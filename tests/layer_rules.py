"""The rules of docs/layers.toml, applied to a package tree: what tests/test_layers.py runs.

`violations(package_dir, layers)` parses every module of the tree with `ast`
and returns one sentence per broken rule. It works on any tree, so that the
tests can prove it on small fixture packages as well as on objweb.
"""

import ast
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

LAYERS_FILE = Path(__file__).resolve().parent.parent / "docs" / "layers.toml"

# Names that load a module chosen at run time, which no import statement shows.
DYNAMIC_NAMES = frozenset({"import_module", "__import__", "run_module", "run_path"})
DYNAMIC_MODULES = frozenset({"importlib", "importlib.util", "importlib.machinery", "runpy"})


@dataclass(frozen=True)
class Room:
    """One room of the table: its name and its level."""

    name: str
    level: float


@dataclass(frozen=True)
class Layers:
    """The table of docs/layers.toml: rooms, libraries and allowed dynamic imports."""

    package: str
    rooms: dict[str, Room]
    libraries: dict[str, float]
    dynamic_imports: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path = LAYERS_FILE) -> "Layers":
        """Return the table written in the TOML file at `path`."""
        data = tomllib.loads(path.read_text())
        rooms = {module: Room(name, spec["level"])
                 for name, spec in data["rooms"].items() for module in spec["modules"]}
        return cls(data["package"], rooms, data["libraries"], data.get("dynamic_imports", {}))

    def room_of(self, module: str) -> Room | None:
        """Return the room holding `module`, or None if the table places it nowhere.

        The package's own name places its `__init__` alone: a module the table
        forgets is never filed under the package.
        """
        parts = module.split(".")
        for length in range(len(parts), 1, -1):
            room = self.rooms.get(".".join(parts[:length]))
            if room is not None:
                return room
        return self.rooms.get(module) if module == self.package else None

    def library_level(self, module: str) -> float | None:
        """Return the lowest level that may import the library `module`, or None if unnamed."""
        parts = module.split(".")
        for length in range(len(parts), 0, -1):
            level = self.libraries.get(".".join(parts[:length]))
            if level is not None:
                return level
        return None


@dataclass(frozen=True)
class Import:
    """One import a module makes: its target, line, and whether it is made by name at run time."""

    target: str
    line: int
    dynamic: bool = False


def module_names(package_dir: Path) -> dict[str, Path]:
    """Return every module of the package at `package_dir`, by dotted name."""
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports_of(path: Path, modules: dict[str, Path]) -> tuple[list[Import], list[str]]:
    """Return the imports the module at `path` makes and the sentences of what it may not do.

    `from a import b` imports the module `a.b` when the package has one, else `a`.
    """
    tree = ast.parse(path.read_text(), str(path))
    found, problems = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            problems.append(f"line {node.lineno}: a relative import; write it absolute")
        elif isinstance(node, ast.ImportFrom):
            found += [_from_import(node, alias.name, modules) for alias in node.names]
        elif isinstance(node, ast.Call) and _called_name(node.func) in DYNAMIC_NAMES:
            target = node.args[0] if node.args else None
            if isinstance(target, ast.Constant) and isinstance(target.value, str) \
                    and _called_name(node.func) != "run_path":
                found.append(Import(target.value, node.lineno, dynamic=True))
    return found, problems


def _from_import(node: ast.ImportFrom, name: str, modules: dict[str, Path]) -> Import:
    submodule = f"{node.module}.{name}"
    return Import(submodule if submodule in modules else node.module, node.lineno)


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def dynamic_uses(path: Path) -> list[int]:
    """Return the lines of the module at `path` that load code by name at run time.

    Every mention counts, not only calls: `load = importlib.import_module`
    hides the call it makes later.
    """
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Name) and node.id in DYNAMIC_NAMES \
                or isinstance(node, ast.Attribute) and node.attr in DYNAMIC_NAMES:
            lines.append(node.lineno)
        elif isinstance(node, ast.Import) and any(
                alias.name in DYNAMIC_MODULES for alias in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module in DYNAMIC_MODULES | {"builtins"} \
                and any(alias.name in DYNAMIC_NAMES | {"util", "machinery"}
                        for alias in node.names):
            lines.append(node.lineno)
    return sorted(set(lines))


def judge_import(layers: Layers, importer: str, room: Room, imported: Import) -> str | None:
    """Return the sentence saying why `importer` may not make `imported`, or None if it may."""
    target, package = imported.target, layers.package
    how = "loads by name" if imported.dynamic else "imports"
    where = f"{importer} (line {imported.line}, level {room.level:g})"
    if target == package or target.startswith(package + "."):
        if target == package and importer != package:
            return f"{where} {how} the {package} package itself; import the defining module"
        found = layers.room_of(target)
        if found is None:
            return f"{where} {how} {target}, which no room of docs/layers.toml holds"
        if found == room:
            return None
        if found.level == room.level:
            return f"{where} {how} {target}, a room on its own level ({found.name})"
        if found.level > room.level:
            return f"{where} {how} {target}, a room above it ({found.name}, level {found.level:g})"
        return None
    if target.split(".")[0] in sys.stdlib_module_names:
        return None
    lowest = layers.library_level(target)
    if lowest is None:
        return f"{where} {how} {target}, a library docs/layers.toml does not name"
    if lowest > room.level:
        return f"{where} {how} {target}, which only level {lowest:g} and above may import"
    return None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return each set of modules that import one another in a circle, sorted (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            members = []
            while not members or members[-1] != node:
                members.append(stack.pop())
                on_stack.discard(members[-1])
            if len(members) > 1:
                found.append(sorted(members))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def violations(package_dir: Path, layers: Layers) -> list[str]:
    """Return one sentence per rule of docs/layers.toml the package at `package_dir` breaks."""
    modules = module_names(package_dir)
    problems, graph = [], {}
    for importer, path in modules.items():
        room = layers.room_of(importer)
        if room is None:
            problems.append(f"{importer} is in no room: place it in docs/layers.toml")
            continue
        found, own_problems = imports_of(path, modules)
        problems += [f"{importer}: {problem}" for problem in own_problems]
        if importer not in layers.dynamic_imports:
            problems += [f"{importer} (line {line}) loads code by name at run time; only the "
                         f"modules docs/layers.toml lists under [dynamic_imports] may"
                         for line in dynamic_uses(path)]
        for imported in found:
            problems += filter(None, [judge_import(layers, importer, room, imported)])
        graph[importer] = {imported.target for imported in found
                           if imported.target in modules and imported.target != importer}
    problems += [f"these modules import one another in a circle: {', '.join(members)}"
                 for members in cycles(graph)]
    return problems
