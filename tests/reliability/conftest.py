"""Fixtures of the reliability suites: sites whose servers are crashed on purpose."""

import pytest

from crash_site import CrashSite


@pytest.fixture
def crash_site(tmp_path):
    """Return a function making a `CrashSite` in a temporary home; its servers stop after."""
    made = []

    def make(**options) -> CrashSite:
        site = CrashSite(tmp_path / f"home-{len(made)}", **options)
        made.append(site)
        return site
    yield make
    for site in made:
        site.stop()
