"""A fresh site per test, layered over one bootstrapped in memory for the session."""

import pytest
import transaction

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
