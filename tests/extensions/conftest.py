"""Fixtures of the extension tests: a package written on the fly, loaded and later removed."""

import sys

import pytest
from webtest import TestApp

import objweb
from objweb.extensions import activate, deactivate
from extension_support import forget_modules, load_named, write_package
from recipes_package import MODULES


@pytest.fixture
def site_dir(tmp_path):
    """A directory on sys.path where tests write packages and their metadata."""
    folder = tmp_path / "site"
    folder.mkdir()
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))
    for child in folder.iterdir():
        if child.is_dir() and not child.name.endswith(".dist-info"):
            forget_modules(child.name)


@pytest.fixture
def recipes(site_dir):
    """The `recipes` extension, installed, loaded and active for the test."""
    write_package(site_dir, "recipes", MODULES, version="1.2", distribution="objweb-recipes")
    extensions = load_named("recipes")
    activate(extensions)
    yield extensions
    deactivate(extensions)


@pytest.fixture
def recipes_app(db, recipes):
    """A WebTest client over `db` serving the `recipes` extension's views."""
    return TestApp(objweb.Application(db, installed=recipes))
