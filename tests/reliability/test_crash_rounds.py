"""Crash safety: every write acknowledged with a 2xx survives a SIGKILL.

Eight writers add and change Pages through the JSON API while a server is
killed with SIGKILL: `objweb serve` over a FileStorage, `objweb serve` over
ZEO, and the ZEO server itself. After each restart the site must hold every
acknowledged write, and ZODB's checkers must find the data file sound.
`bench/crash_rounds.py` runs the same rounds many more times.
"""

import re

import pytest

pytestmark = pytest.mark.server

# A created Page, a changed Page, or (rarely) a conflict that outlasted the retries.
ANSWERS_TO_WRITES = {201, 204, 503}
BUSY = (503, "The site is busy with conflicting changes; try again.")
# What a write answers while the ZEO server is away, and if it went away during the commit.
UNAVAILABLE = (503, "The database is not answering; try again shortly.")
UNKNOWN_OUTCOME = (503, "The database stopped answering while this change was being saved: "
                        "it may or may not have been kept. Check before trying again.")


def assert_nothing_lost(site, result) -> None:
    assert result.lost == [], f"acknowledged writes missing after a restart: {result.lost}"
    assert result.unexplained == []
    assert result.pages >= len(site.ledger.acknowledged)


@pytest.mark.xdist_group("crash-filestorage")
def test_acknowledged_writes_survive_sigkill_of_serve_over_a_file_storage(crash_site):
    site = crash_site()
    for _ in range(3):
        assert_nothing_lost(site, site.crash_serve())
    assert set(site.ledger.statuses) <= ANSWERS_TO_WRITES
    assert set(site.ledger.refusals) <= {BUSY}
    site.stop()
    assert site.check_storage() == []


@pytest.mark.xdist_group("crash-zeo-serve")
def test_acknowledged_writes_survive_sigkill_of_serve_over_zeo(crash_site):
    site = crash_site(zeo=True)
    assert_nothing_lost(site, site.crash_serve())
    assert set(site.ledger.statuses) <= ANSWERS_TO_WRITES
    assert set(site.ledger.refusals) <= {BUSY}
    site.stop()
    assert site.check_storage() == []


@pytest.mark.xdist_group("crash-zeo-server")
def test_acknowledged_writes_survive_sigkill_of_the_zeo_server(crash_site):
    site = crash_site(zeo=True)
    result = site.crash_zeo()
    assert_nothing_lost(site, result)
    # While ZEO was away, writes were refused with a 503 that says why, never a 500;
    # once it was back, the same serve process acknowledged writes again.
    assert set(site.ledger.statuses) <= ANSWERS_TO_WRITES
    assert set(site.ledger.refusals) & {UNAVAILABLE, UNKNOWN_OUTCOME}
    assert set(site.ledger.refusals) <= {UNAVAILABLE, UNKNOWN_OUTCOME, BUSY}
    assert site.ledger.errored == 0
    log = site.server_log()
    assert re.search(r"the database is not answering( during the commit of \S+ \S+)?: "
                     r"ClientDisconnected", log)
    assert "incident" not in log
    site.stop()
    assert site.check_storage() == []
