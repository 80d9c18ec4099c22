"""A ZEO server killed and started again hands out no object id twice.

ZEO clients fetch new object ids ahead, 100 at a time, and a FileStorage
counts the ids it hands out in memory only: a restarted server counts on from
the highest id stored. objweb's ZEO clients drop the ids they fetched ahead
when they reconnect, so a new object never gets an id another one has.
"""

import pytest

import objweb
from crash_site import kill
from objweb import Page
from ops.ops_servers import ZeoProcess, make_site
from support import wait_for

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("crash-zeo-ids")]


def add_pages(db, names) -> dict:
    """Add a Page for each name at the root of the site in `db`; return {name: oid}."""
    with objweb.site(db) as root:
        pages = {name: root.add(name, Page(title=name)) for name in names}
    return {name: page._p_oid for name, page in pages.items()}


def test_a_client_reconnected_to_a_restarted_server_gives_out_fresh_ids(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the ZEO clients keep their blob cache in var/
    make_site(tmp_path)
    zeo = ZeoProcess(tmp_path)
    first = objweb.open_db(zeo.uri)
    second = None
    try:
        add_pages(first, ["before"])  # the first client fetches ids ahead
        kill(zeo)
        zeo = ZeoProcess(tmp_path, port=zeo.port, name="zeo-again")
        wait_for(first.storage.is_connected, timeout=30, message="no reconnection")
        second = objweb.open_db(zeo.uri)
        theirs = add_pages(second, [f"second-{number}" for number in range(5)])
        mine = add_pages(first, ["after"])
        assert mine["after"] not in theirs.values()
        with objweb.site(second) as root:
            assert [root[name].title for name in ("before", "after", "second-4")] == [
                "before", "after", "second-4"]
    finally:
        for db in (first, second):
            if db is not None:
                db.close()
        zeo.stop()
