"""Reindexing: a database made before the catalog becomes searchable, and stale entries go.

`reindex` is what `objweb reindex` runs: a walk in batches, each its own
transaction, then a sweep of what the indexes hold that the walk did not meet.
"""

import pytest

import objweb
from objweb import Folder, Page, events
from objweb.catalog import ensure_catalog, is_built, queue_length, reindex
from objweb.catalog.store import CATALOG_KEY, catalog_of
from objweb.catalog.subscribers import on_event
from objweb.errors import NotFoundError


def paths(db, **query) -> list[str]:
    with objweb.site(db) as root:
        return sorted(result.path for result in objweb.search(root, **query))


def below(db, path: str) -> int:
    """How many entries the indexes hold below `path`."""
    with objweb.site(db) as root:
        return len(catalog_of(root._p_jar).below(path))


@pytest.fixture
def old_db(tmp_path):
    """A site whose objects were made before it had a catalog."""
    db = objweb.open_db(f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs")
    objweb.bootstrap(db)
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        for number in range(25):
            root["news"][f"p{number:02d}"] = Page(title=f"Page {number}", body="<p>old</p>")
    with db.transaction() as connection:
        del connection.root()[CATALOG_KEY]
    yield db
    db.close()


def test_an_old_site_is_searched_by_walking_until_reindexed(old_db):
    assert ensure_catalog(old_db) is True
    with objweb.site(old_db) as root:
        assert not is_built(root)
    walked = paths(old_db, text="old", path="/news")
    assert len(walked) == 25
    progress = []
    assert reindex(old_db, batch=10, progress=lambda done, total: progress.append(
        (done, total))) >= 27
    assert progress[-1][0] == progress[-1][1] and len(progress) >= 3
    with objweb.site(old_db) as root:
        assert is_built(root)
        assert len(catalog_of(root._p_jar).metadata) >= 27
    assert paths(old_db, text="old", path="/news") == walked
    with objweb.site(old_db) as root:
        first = objweb.search(root, path="/news", sort_on="title", sort_order="descending")[0]
        assert first.path == "/news/p09"


def test_reindex_forgets_what_is_gone_and_reads_what_changed_unseen(old_db):
    ensure_catalog(old_db)
    reindex(old_db)
    events.unsubscribe(events.ObjectEvent, on_event)
    try:
        with objweb.site(old_db) as root:
            del root["news"]["p00"]
            root["news"]["p01"].title = "Renamed quietly"
    finally:
        events.subscribe(events.ObjectEvent, on_event)
    assert below(old_db, "/news") == 25
    reindex(old_db, "/news")
    assert below(old_db, "/news") == 24
    assert "/news/p00" not in paths(old_db, path="/news")
    assert paths(old_db, text="quietly") == ["/news/p01"]
    assert queue_length(old_db) == 0


def test_reindex_of_a_missing_path(old_db):
    ensure_catalog(old_db)
    with pytest.raises(NotFoundError):
        reindex(old_db, "/nowhere")
