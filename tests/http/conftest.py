"""A fresh site per test, layered over one bootstrapped in memory for the session."""

import io

import pytest
import transaction
from PIL import Image as PILImage
from webtest import TestApp

import objweb
from objweb import File, Folder, Image, Page
from objweb.traversal.views import ViewRegistry, views as global_views

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

REPORT = b"%PDF-1.4 quarterly report " * 40


def png_bytes(width: int = 3, height: int = 2, fmt: str = "PNG") -> bytes:
    """Return a small image made by Pillow."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (10, 20, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def sample(db):
    """The contract's example site: /news with a page, an image and a file."""
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
        root["news"]["logo"] = Image(title="Logo", data=png_bytes(), content_type="image/png")
        root["news"]["report"] = File(title="Q3", data=REPORT, content_type="application/pdf")
    return db


class LayeredViews(ViewRegistry):
    """Views a test registers for itself, over the global registry (which stays untouched)."""

    def candidates(self, obj, name):
        return super().candidates(obj, name) + global_views.candidates(obj, name)


@pytest.fixture
def test_views():
    """A registry for test-only views; `app_with(test_views)` serves them."""
    return LayeredViews()


@pytest.fixture
def app_with(db):
    """Return a function making a WebTest client over `db` with a registry and settings."""
    def make(registry=global_views, settings=None):
        return TestApp(objweb.Application(db, settings, registry))
    return make
