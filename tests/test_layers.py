"""Imports flow downward through objweb's rooms; this test keeps them so.

The rooms and their levels are written once, in docs/layers.toml, which
docs/ARCHITECTURE.md explains. Every module of objweb is read with `ast`
(tests/layer_rules.py): a module imports its own room and the rooms below it,
never a room on its level or above; a module no room holds fails; a
third-party library is imported only from the level the table names (WebOb
from web/ up, Chameleon from sandbox/ up); only the modules the table lists
load code by name (import_module, __import__, runpy), and what they load by
a written name is judged as an import; modules that import one another in a
circle are reported.

The second half builds small packages in a temporary directory, each with
one trick in it, and proves the rules catch it.
"""

import dataclasses
import re
import textwrap
from pathlib import Path

import pytest

from layer_rules import LAYERS_FILE, Layers, Room, imports_of, module_names, violations

PACKAGE = Path(__file__).resolve().parent.parent / "objweb"
ARCHITECTURE = LAYERS_FILE.parent / "ARCHITECTURE.md"
LAYERS = Layers.read()


def test_objweb_keeps_every_rule():
    assert violations(PACKAGE, LAYERS) == []


def test_every_module_the_table_places_exists():
    modules = module_names(PACKAGE)
    for placed in LAYERS.rooms:
        assert any(name == placed or name.startswith(placed + ".") for name in modules), \
            f"docs/layers.toml places {placed}, which objweb does not have"


def test_the_architecture_document_shows_every_room_at_its_level():
    rows = [line for line in ARCHITECTURE.read_text().splitlines() if line.startswith("| ")]
    for module, room in LAYERS.rooms.items():
        if module == LAYERS.package:
            continue
        written = "`" + module.removeprefix("objweb.").replace(".", "/")
        level = f"{room.level:g}"
        assert any(re.match(rf"\| {re.escape(level)} \|", row) and written in row
                   for row in rows), f"docs/ARCHITECTURE.md has no level-{level} row naming {module}"


def test_the_lowest_rooms_import_nothing_of_objweb():
    modules = module_names(PACKAGE)
    lowest = min(room.level for room in LAYERS.rooms.values())
    for module, room in LAYERS.rooms.items():
        if room.level == lowest:
            found, _ = imports_of(modules[module], modules)
            assert [imported.target for imported in found
                    if imported.target.split(".")[0] == "objweb"] == [], module


# A fixture package named objweb, judged by the real table: a clean one first.
CLEAN_TREE = {
    "__init__.py": "from objweb.app import configure\n",
    "errors.py": "class ObjwebError(Exception):\n    pass\n",
    "names.py": "import re\n",
    "traversal/__init__.py": "from objweb.errors import ObjwebError\n",
    "security/__init__.py": "import argon2\nfrom objweb import traversal\n",
    "sandbox/__init__.py": "import chameleon\nfrom objweb.security import policy\n",
    "security/policy.py": "from objweb.traversal import location\n",
    "traversal/location.py": "import transaction\n",
    "content/__init__.py": "from objweb.content import folder\n",
    "content/folder.py": "from persistent import Persistent\nfrom objweb.sandbox import run\n",
    "sandbox/run.py": "",
    "storage/__init__.py": "import ZODB\n",
    "web/__init__.py": "import webob\nfrom objweb.storage import undo\n",
    "storage/undo.py": "from objweb.content.folder import Persistent\n",
    "views/__init__.py": "from objweb.web import request\n",
    "web/request.py": "",
    "zmi/__init__.py": "import chameleon\nfrom objweb.web.request import Request\n",
    "app.py": "from objweb import views, zmi\n\ndef configure():\n    pass\n",
    "wsgi.py": "from objweb.app import configure\n",
    "cli/__init__.py": "from objweb.instance import server\n",
    "instance/__init__.py": "",
    "instance/server.py": "import waitress\nfrom objweb.wsgi import configure\n",
}


def build(tmp_path: Path, **changes: str) -> Path:
    """Write the clean fixture package with `changes` (path with `__` for `/`: text) applied."""
    files = dict(CLEAN_TREE)
    files.update({name.replace("__", "/") + ".py": text for name, text in changes.items()})
    package = tmp_path / "objweb"
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(textwrap.dedent(text))
    return package


def test_the_clean_fixture_package_keeps_every_rule(tmp_path):
    # The tests below each add one fault to this tree: it has none of its own.
    assert violations(build(tmp_path), LAYERS) == []


def only_violation(tmp_path: Path, **changes: str) -> str:
    found = violations(build(tmp_path, **changes), LAYERS)
    assert len(found) == 1, found
    return found[0]


def test_an_import_between_rooms_of_one_level_fails(tmp_path):
    found = only_violation(tmp_path, zmi__screens="from objweb.views import pages\n",
                           views__pages="")
    assert found == "objweb.zmi.screens (line 1, level 8) imports objweb.views.pages, " \
                    "a room on its own level (views)"


def test_an_upward_import_fails(tmp_path):
    found = only_violation(tmp_path, traversal__walk="from objweb.web import request\n")
    assert found == "objweb.traversal.walk (line 1, level 2) imports objweb.web.request, " \
                    "a room above it (web, level 7)"


def test_an_upward_import_deferred_into_a_function_fails(tmp_path):
    found = only_violation(tmp_path, content__types="""
        def screens():
            from objweb import zmi
            return zmi
        """)
    assert found.startswith("objweb.content.types (line 3, level 5) imports objweb.zmi, a room above")


@pytest.mark.parametrize("trick", [
    "import importlib\nimportlib.import_module('objweb.zmi')\n",
    "from importlib import import_module\nimport_module('objweb.zmi')\n",
    "__import__('objweb.zmi')\n",
    "import importlib\nload = importlib.import_module\n",
])
def test_loading_by_name_outside_the_listed_modules_fails(tmp_path, trick):
    package = build(tmp_path, content__types=trick)
    found = violations(package, LAYERS)
    assert found[0].startswith("objweb.content.types (line ")
    assert "loads code by name at run time; only the modules docs/layers.toml lists" in found[0]


def test_an_upward_import_through_importlib_fails_even_where_loading_by_name_is_allowed(
        tmp_path):
    layers = dataclasses.replace(LAYERS, dynamic_imports={"objweb.content.types": "a test"})
    package = build(tmp_path, content__types="import importlib\n"
                                              "importlib.import_module('objweb.zmi.contents')\n")
    assert violations(package, layers) == [
        "objweb.content.types (line 2, level 5) loads by name objweb.zmi.contents, "
        "a room above it (zmi, level 8)"]


def test_webob_below_the_web_room_fails(tmp_path):
    found = only_violation(tmp_path, storage__undo="from webob import Response\n")
    assert found == "objweb.storage.undo (line 1, level 6) imports webob, " \
                    "which only level 7 and above may import"


def test_chameleon_below_the_sandbox_fails(tmp_path):
    found = only_violation(tmp_path, security__policy="from chameleon.zpt import template\n")
    assert found == "objweb.security.policy (line 1, level 3) imports chameleon.zpt, " \
                    "which only level 4 and above may import"


def test_a_library_the_table_does_not_name_fails(tmp_path):
    found = only_violation(tmp_path, content__folder="import requests\n")
    assert found == "objweb.content.folder (line 1, level 5) imports requests, " \
                    "a library docs/layers.toml does not name"


def test_an_unknown_top_level_module_fails(tmp_path):
    found = only_violation(tmp_path, helpers="import os\n")
    assert found == "objweb.helpers is in no room: place it in docs/layers.toml"


def test_importing_a_module_no_room_holds_fails(tmp_path):
    (tmp_path / "objweb" / "ops").mkdir(parents=True)
    found = violations(build(tmp_path, cli__pack="from objweb.ops import pack\n"), LAYERS)
    assert "objweb.cli.pack (line 1, level 10) imports objweb.ops, " \
           "which no room of docs/layers.toml holds" in found


def test_a_cycle_inside_a_room_fails(tmp_path):
    found = only_violation(tmp_path, content__first="from objweb.content import second\n",
                           content__second="def later():\n"
                                           "    from objweb.content.first import x\n")
    assert found == "these modules import one another in a circle: " \
                    "objweb.content.first, objweb.content.second"


def test_a_relative_import_fails(tmp_path):
    found = only_violation(tmp_path, content__folder="from . import base\n")
    assert found == "objweb.content.folder: line 1: a relative import; write it absolute"


def test_importing_the_package_itself_from_inside_fails(tmp_path):
    found = only_violation(tmp_path, views__pages="import objweb\n")
    assert found == "objweb.views.pages (line 1, level 8) imports the objweb package itself; " \
                    "import the defining module"


def test_a_room_added_to_the_table_is_judged_at_its_level(tmp_path):
    # A floor between two others is one line, and its neighbours see it at once.
    layers = dataclasses.replace(LAYERS, rooms={**LAYERS.rooms,
                                                "objweb.catalog": Room("catalog", 5.5)})
    package = build(tmp_path, catalog__index="from objweb.content import folder\n",
                    content__types="from objweb.catalog import index\n")
    assert violations(package, layers) == [
        "objweb.content.types (line 1, level 5) imports objweb.catalog.index, "
        "a room above it (catalog, level 5.5)"]
