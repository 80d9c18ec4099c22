"""A fresh site per test, layered over one bootstrapped in memory for the session."""

import functools

import pytest
import transaction
from webtest import TestApp

import objweb
from objweb import File, Folder, Image, Page
from objweb.app import configure
from objweb.traversal.views import ViewRegistry

from sample_site import REPORT, png_bytes
from support import bootstrapped_storage, layered_db


@pytest.fixture(scope="session")
def site_template():
    """The bootstrapped site every test of this suite starts from."""
    return bootstrapped_storage()


@pytest.fixture
def db(site_template):
    """A fresh database holding a bootstrapped site (Manager `admin`), with blobs."""
    database = layered_db(site_template)
    yield database
    transaction.abort()
    database.close()

@pytest.fixture
def sample(db):
    """The contract's example site: /news with a page, an image and a file."""
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
        root["news"]["logo"] = Image(title="Logo", data=png_bytes(), content_type="image/png")
        root["news"]["report"] = File(title="Q3", data=REPORT, content_type="application/pdf")
    return db


@functools.cache
def application_views() -> ViewRegistry:
    """The views every application serves, configured once for the suite.

    Configured on first use, not on import: importing this file runs no objweb
    code, so `make mutation` can check that its mutants fail the tests they reach.
    """
    return configure(ViewRegistry())


class LayeredViews(ViewRegistry):
    """Views a test registers for itself, over the application's (which stay untouched)."""

    def candidates(self, obj, name):
        return super().candidates(obj, name) + application_views().candidates(obj, name)

    def registrations_for(self, obj):
        yield from super().registrations_for(obj)
        yield from application_views().registrations_for(obj)


@pytest.fixture
def test_views():
    """A registry for test-only views; `app_with(test_views)` serves them."""
    return LayeredViews()


@pytest.fixture
def app_with(db):
    """Return a function making a WebTest client over `db` with a registry and settings."""
    def make(registry=None, settings=None):
        return TestApp(objweb.Application(db, settings, registry))
    return make
