"""Fixtures shared by every suite: a fresh site in memory and a WebTest client."""

import sys

import pytest
import transaction
from webtest import TestApp

import objweb
from objweb.extensions import installed
from extension_support import forget_modules
from support import ADMIN, ADMIN_AUTH, ADMIN_PASSWORD


@pytest.fixture(scope="session", autouse=True)
def installed_extensions():
    """The extensions installed in the test environment, active from the first test on.

    A server process loads them before it serves anything; so does the
    suite, so that no test sees a world that depends on which ran before it.
    """
    return installed()


@pytest.fixture
def db():
    """A fresh in-memory database (with blobs) holding a bootstrapped site."""
    database = objweb.open_db("memory://")
    objweb.bootstrap(database, admin=ADMIN, password=ADMIN_PASSWORD)
    yield database
    transaction.abort()
    database.close()


@pytest.fixture
def app(db):
    """A WebTest client for the site in `db`."""
    return TestApp(objweb.make_app(db))


@pytest.fixture
def admin_auth():
    """Basic-auth headers of the site's Manager."""
    return dict(ADMIN_AUTH)


@pytest.fixture
def reopen(db):
    """Return a function that reads the site through a new connection."""
    def read(path: str = "/"):
        with objweb.site(db) as root:
            return objweb.find(root, path)
    return read


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
