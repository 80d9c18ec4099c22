"""`objweb reindex` and the drainer of `objweb serve`, through the real command."""

import json
import re
import urllib.request

import pytest
import transaction

import objweb
from objweb import Folder, Page
from objweb.catalog.store import CATALOG_KEY
from support import ADMIN, ADMIN_PASSWORD, ServeProcess, basic_auth, run_objweb, wait_for

from cli_support import one_sentence

pytestmark = pytest.mark.server

PAGES = 25


def open_home(home):
    return objweb.open_db(f"file://{home}/var/Data.fs?blobstorage_dir={home}/var/blobs")


@pytest.fixture
def old_site(home):
    """A site whose objects were made before it had a catalog: it has none yet."""
    (home / "var").mkdir()
    db = open_home(home)
    with objweb.site(db) as root:
        news = root.add("news", Folder(title="News"))
        for number in range(PAGES):
            news.add(f"p{number:02d}", Page(title=f"Page {number}", body="<p>launch</p>"))
    with db.transaction() as connection:
        del connection.root()[CATALOG_KEY]
    db.close()
    return home


def catalog_facts(home) -> tuple[bool, int, list]:
    """Whether the catalog is built, how many objects it holds, and what a search finds."""
    db = open_home(home)
    try:
        manager = transaction.TransactionManager(explicit=True)
        connection = db.open(transaction_manager=manager)
        manager.begin()
        catalog = connection.root()[CATALOG_KEY]
        built, count = catalog.built, len(catalog)
        manager.abort()
        connection.close()
        with objweb.site(db) as root:
            found = [result.path for result in objweb.search(root, text="launch", sort_on="id")]
        return built, count, found
    finally:
        db.close()


def test_reindex_makes_an_old_site_searchable_with_a_progress_bar(old_site):
    result = run_objweb(["reindex"], old_site)
    assert result.returncode == 0, result.stderr
    done = int(re.search(r"Reindexed (\d+) objects at and below / in file://",
                         result.stdout).group(1))
    bars = [line for line in result.stderr.splitlines() if line.startswith("Reindexing / [")]
    assert bars[-1].endswith(f"] 100% {done}/{done}") and done >= PAGES + 2
    built, count, found = catalog_facts(old_site)
    assert built is True and count >= PAGES + 2
    assert found == [f"/news/p{number:02d}" for number in range(PAGES)]


def test_reindex_of_a_subtree_reads_only_that_subtree(old_site):
    result = run_objweb(["reindex", "/news"], old_site)
    assert result.returncode == 0, result.stderr
    assert f"Reindexed {PAGES + 1} objects at and below /news" in result.stdout
    built, count, _ = catalog_facts(old_site)
    # Only a reindex of the whole site makes searches trust the indexes.
    assert built is False and count == PAGES + 1


def test_reindex_of_a_missing_path_is_one_sentence(old_site):
    result = run_objweb(["reindex", "/nowhere"], old_site)
    assert result.returncode == 1
    assert one_sentence(result.stderr, "reindex") == "there is no object at /nowhere"
    assert result.stdout == ""


def test_serve_drains_the_queue_without_waiting_for_a_backlog(home):
    assert run_objweb(["adduser", ADMIN, ADMIN_PASSWORD], home).returncode == 0
    server = ServeProcess(home, extra=["--threads", "2"])
    auth = basic_auth(ADMIN, ADMIN_PASSWORD)
    try:
        body = json.dumps({"@type": "Page", "id": "fresh", "title": "Fresh news"}).encode()
        request = urllib.request.Request(
            server.url + "/", data=body, method="POST",
            headers=dict(auth, **{"Content-Type": "application/json",
                                  "Accept": "application/json"}))
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201

        def queued() -> str:
            request = urllib.request.Request(server.url + "/manage_catalog", headers=auth)
            with urllib.request.urlopen(request, timeout=30) as response:
                page = response.read().decode()
            return re.search(r'id="catalog-queued">([^<]*)<', page).group(1)
        wait_for(lambda: queued() == "0", timeout=60, message="the queue was not drained")
    finally:
        assert server.stop() == 0
    assert "Stopped." in server.stdout
    db = open_home(home)
    try:
        connection = db.open()
        catalog = connection.root()[CATALOG_KEY]
        assert "/fresh" in catalog.paths
        assert sum(len(shard) for shard in catalog.queue) == 0
        connection.close()
    finally:
        db.close()
