"""Fixtures of the extension tests: a package written on the fly, loaded and later removed."""

import pytest
from webtest import TestApp

import objweb
from objweb.extensions import activate, deactivate
from extension_support import load_named, write_package
from recipes_package import MODULES


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
