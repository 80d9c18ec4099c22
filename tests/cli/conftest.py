"""Fixtures of the command-line tests."""

import pytest


@pytest.fixture
def home(tmp_path):
    """An empty instance home: the directory `objweb` runs in."""
    return tmp_path
