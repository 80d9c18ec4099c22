"""The sample site the hostile-input tests share: built once, copied for each request."""

import pytest

from hostile_site import HostileSite


@pytest.fixture(scope="session")
def hostile_site():
    """The sample site; each request sent through it meets a fresh copy."""
    return HostileSite()
