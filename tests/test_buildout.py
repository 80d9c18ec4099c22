"""buildout.cfg builds a working instance: bin/objweb serves, bin/test runs the tests.

The build is real: a fresh virtual environment gets zc.buildout from pip, and
buildout fetches every dependency itself, with the ranges of pyproject.toml.
Buildout reads its own index (PyPI, which this machine reaches) rather than
pip's settings, so the test hands it pip's configured `index-url` and
`find-links`, when there are any, as buildout's `index` and `find-links`.
Eggs are kept in pytest's cache between runs: the first build downloads
them, later builds reuse them.
"""

import configparser
import os
import shutil
import subprocess
import sys
import urllib.request
from importlib.metadata import version
from pathlib import Path

import pytest

from support import free_port, wait_for

# One worker builds once and runs every test on the build.
pytestmark = [pytest.mark.server, pytest.mark.xdist_group("buildout")]

PROJECT = Path(__file__).resolve().parent.parent
NOT_COPIED = shutil.ignore_patterns(
    ".venv", ".git", "var", "bin", "eggs", "parts", "develop-eggs", ".installed.cfg",
    "__pycache__", ".pytest_cache", "*.egg-info", ".coverage*", "test-artifacts", "htmlcov",
    # What `make bench` keeps: its sites and Zope 5's environment, 200 MB between them.
    ".cache", ".zope5-venv", "node_modules")


def pip_settings() -> dict:
    """Return pip's configured index-url and find-links, as `pip config list` shows them."""
    listing = subprocess.run([sys.executable, "-m", "pip", "config", "list"],
                             capture_output=True, text=True, check=True).stdout
    found = {}
    for line in listing.splitlines():
        key, _, value = line.partition("=")
        name = key.rsplit(".", 1)[-1]
        if name in ("index-url", "find-links"):
            found[name] = value.strip().strip("'\"")
    return found


def run(args, cwd, **options):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=1500,
                          **options)


@pytest.fixture(scope="module")
def built(request, tmp_path_factory):
    """A copy of the project, built by buildout with its own virtual environment."""
    copy = tmp_path_factory.mktemp("buildout") / "objweb"
    shutil.copytree(PROJECT, copy, ignore=NOT_COPIED)
    cache = Path(request.config.cache.mkdir("buildout"))
    venv = cache / f"venv-{sys.version_info[0]}.{sys.version_info[1]}"
    if not (venv / "bin" / "buildout").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        installed = run([str(venv / "bin" / "pip"), "install", "-q",
                         f"zc.buildout=={version('zc.buildout')}"], copy)
        assert installed.returncode == 0, installed.stderr
    settings = pip_settings()
    options = [f"buildout:eggs-directory={cache / 'eggs'}"]
    if "index-url" in settings:
        options.append(f"buildout:index={settings['index-url']}")
    if "find-links" in settings:
        options.append(f"buildout:find-links={settings['find-links']}")
    result = run([str(venv / "bin" / "buildout"), *options], copy)
    assert result.returncode == 0, result.stdout + result.stderr
    return copy


def test_buildout_pins_nothing_of_its_own():
    config = configparser.ConfigParser(interpolation=None)
    config.read(PROJECT / "buildout.cfg")
    assert config["buildout"]["develop"].strip() == "."
    assert "versions" not in config and "versions" not in config["buildout"]
    parts = config["buildout"]["parts"].split()
    assert all(config[part]["recipe"] == "zc.recipe.egg" for part in parts)
    assert "test" in parts


def test_bin_objweb_runs_the_project_it_was_built_from(built, tmp_path):
    objweb = str(built / "bin" / "objweb")
    (tmp_path / "where.py").write_text("import objweb; print(objweb.__file__)\n")
    where = run([objweb, "run", "where.py"], tmp_path)
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip().splitlines()[-1] == str(built / "objweb" / "__init__.py")


def test_bin_objweb_serves(built, tmp_path):
    objweb = str(built / "bin" / "objweb")
    port = free_port()
    server = subprocess.Popen([objweb, "serve", "--port", str(port)], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        def answers():
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).status
            except OSError:
                assert server.poll() is None, "bin/objweb serve exited"
                return None
        assert wait_for(answers, timeout=120) == 200
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0
    assert "Log in as 'admin' with the password" in output and "Stopped." in output


def test_bin_test_runs_the_tests(built):
    result = run([str(built / "bin" / "test"), "-q", "-p", "no:cacheprovider",
                  "tests/test_names.py"], built)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
