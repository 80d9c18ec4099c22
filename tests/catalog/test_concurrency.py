"""The catalog under concurrent writers: the queue merges, and no stale state is ever indexed.

Two or more connections on one FileStorage, interleaved by hand where
the order matters: writers adding to one folder never conflict through
the catalog; a drainer racing a later edit leaves the edit queued; a
drainer racing a folder rename fails and retries (whichever commits first)
rather than index an object under a path that is gone. Then real threads:
four writers over HTTP with a drainer running, every 201 found.
"""

import threading

import pytest
import transaction
from ZODB.POSException import ConflictError
from webtest import TestApp

import objweb
from objweb import Folder, Page
from objweb.catalog import Drainer, drain_all, queue_length
from objweb.catalog.drain import drain_batch
from objweb.catalog.store import catalog_of
from support import ADMIN_AUTH, ADMIN_PASSWORD


@pytest.fixture
def db(tmp_path):
    database = objweb.open_db(f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs")
    objweb.bootstrap(database, admin="admin", password=ADMIN_PASSWORD)
    with objweb.site(database) as root:
        root["news"] = Folder(title="News")
        root["news"]["hello"] = Page(title="Hello", body="<p>first</p>")
    drain_all(database)
    yield database
    database.close()


class Session:
    """One connection with its own transaction manager, as one thread of a server has."""

    def __init__(self, db):
        self.manager = transaction.TransactionManager(explicit=True)
        self.manager.begin()
        self.connection = db.open(transaction_manager=self.manager)

    @property
    def root(self):
        return self.connection.root()["objweb"]

    def commit(self) -> None:
        self.manager.commit()
        self.manager.begin()

    def close(self) -> None:
        self.manager.abort()
        self.connection.close()


def paths(db, **query) -> list[str]:
    with objweb.site(db) as root:
        return sorted(result.path for result in objweb.search(root, **query))


def test_writers_adding_to_one_folder_never_conflict_through_the_catalog(db):
    sessions = [Session(db) for _ in range(4)]
    for number, session in enumerate(sessions):
        session.root["news"].add(f"p{number}", Page(title=f"Page {number}", body="<p>x</p>"))
    for session in sessions:
        session.commit()
        session.close()
    assert queue_length(db) == 4
    assert paths(db, type="Page") == ["/news/hello", "/news/p0", "/news/p1", "/news/p2",
                                      "/news/p3"]
    drain_all(db)
    assert paths(db, text="page") == ["/news/p0", "/news/p1", "/news/p2", "/news/p3"]


def test_an_edit_committed_during_a_drain_stays_queued(db):
    writer = Session(db)
    writer.root["news"]["hello"].edit(title="One")
    writer.commit()
    drainer = Session(db)
    assert drain_batch(drainer.connection) == 1
    writer.root["news"]["hello"].edit(title="Two")
    writer.commit()
    drainer.commit()  # the queue's shard merges: the newer entry survives
    writer.close(), drainer.close()
    assert queue_length(db) == 1
    drain_all(db)
    assert paths(db, text="two") == ["/news/hello"]
    assert paths(db, text="one") == []


def _queue_fresh_page(db) -> None:
    with objweb.site(db) as root:
        root["news"]["fresh"] = Page(title="Fresh", body="<p>new</p>")


def test_a_rename_committed_during_a_drain_makes_the_drain_retry(db):
    _queue_fresh_page(db)
    drainer = Session(db)
    drain_batch(drainer.connection)  # indexes /news/fresh, not yet committed
    with objweb.site(db) as root:
        root.rename("news", "press")
    with pytest.raises(ConflictError):
        drainer.commit()
    drainer.close()
    drain_all(db)
    assert paths(db, text="fresh") == ["/press/fresh"]
    assert paths(db, path="/news") == []


def test_a_drain_committed_during_a_rename_makes_the_rename_retry(db):
    _queue_fresh_page(db)
    renamer = Session(db)
    renamer.root.rename("news", "press")  # reads what the indexes hold below /news
    drain_all(db)  # indexes /news/fresh and commits first
    with pytest.raises(ConflictError):
        renamer.commit()
    renamer.close()
    with objweb.site(db) as root:  # the retry a request gets
        root.rename("news", "press")
    assert paths(db, text="fresh") == ["/press/fresh"]
    drain_all(db)
    assert paths(db, text="fresh") == ["/press/fresh"]
    assert paths(db, path="/news") == []


def test_four_writers_over_http_with_a_drainer(db):
    app = TestApp(objweb.make_app(db))
    created, failures = [], []
    with objweb.site(db) as root:
        indexed_before = len(catalog_of(root._p_jar).metadata)

    def write(writer: int) -> None:
        for number in range(15):
            name = f"w{writer}n{number}"
            response = app.post_json("/news", {"@type": "Page", "id": name, "title": name,
                                               "body": "<p>written</p>"},
                                     headers=ADMIN_AUTH, expect_errors=True)
            if response.status_int == 201:
                created.append("/news/" + name)
            elif response.status_int != 503:
                failures.append((name, response.status))

    drainer = Drainer(db, interval=0.01, limit=7).start()
    try:
        threads = [threading.Thread(target=write, args=(writer,)) for writer in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        drainer.stop()
    assert failures == []
    assert len(created) >= 50
    assert paths(db, text="written") == sorted(created)
    drain_all(db)
    assert paths(db, text="written") == sorted(created)
    with objweb.site(db) as root:
        assert sorted("/news/" + name for name in root["news"].keys()
                      if name.startswith("w")) == sorted(created)
        assert len(catalog_of(root._p_jar).metadata) == indexed_before + len(created)
