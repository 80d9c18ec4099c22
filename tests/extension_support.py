"""Packages built on the fly for the extension tests: real modules, with a real entry point.

`write_package` writes an importable package and, beside it, the
`.dist-info` directory pip would have made, so `importlib.metadata` finds
the distribution and its `objweb.extensions` entry point on `sys.path`
(or `PYTHONPATH`) without anything being installed into the test
environment. Removing the directory uninstalls it.
"""

import importlib
import sys
import textwrap
from pathlib import Path

from objweb.extensions import load
from objweb.extensions.loading import discover


def write_package(site_dir: Path, name: str, modules: dict[str, str], *,
                  version: str = "1.0", entry_point: str | None = "include",
                  distribution: str | None = None) -> Path:
    """Write package `name` (modules by file name) and its distribution metadata; return its folder.

    `entry_point` is the callable in `name/__init__.py` named in the
    `objweb.extensions` group under `name` (None: no entry point).
    """
    distribution = distribution or name
    package = site_dir / name
    package.mkdir(parents=True, exist_ok=True)
    for file_name, source in modules.items():
        path = package / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    info = site_dir / f"{distribution.replace('-', '_')}-{version}.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n")
    entry_points = f"[objweb.extensions]\n{name} = {name}:{entry_point}\n" if entry_point else ""
    (info / "entry_points.txt").write_text(entry_points)
    (info / "top_level.txt").write_text(name + "\n")
    return package


def forget_modules(name: str) -> None:
    """Drop package `name` and its modules from `sys.modules`, as a new process would not have them."""
    for module in [module for module in sys.modules
                   if module == name or module.startswith(name + ".")]:
        del sys.modules[module]
    importlib.invalidate_caches()


def load_named(*names):
    """Load the installed extensions called `names`, as `objweb` would find them."""
    return load([point for point in discover() if point.name in names])
