"""An undo joins the caller's transaction: kept on commit, gone on abort, refused early when blocked."""

import pytest
import transaction
from ZODB.POSException import UndoError

import objweb
from objweb import Page
from objweb.catalog.store import is_catalog_note
from objweb.storage.history import text_of
from objweb.storage.undo import blockers, check_undoable, undo


@pytest.fixture
def file_db(tmp_path):
    """A site in a FileStorage (which keeps history) with a page edited once."""
    db = objweb.open_db(f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs")
    objweb.bootstrap(db)
    with objweb.site(db) as root:
        root["doc"] = Page(title="First")
    with objweb.site(db) as root:
        root["doc"].edit(title="Second")
    yield db
    db.close()


def latest_ids(db, count: int = 1) -> list[str]:
    return [text_of(entry["id"]) for entry in db.undoLog(0, count)]


def title(db) -> str:
    with objweb.site(db) as root:
        return root["doc"].title


class Request:
    """A connection in a transaction of its own, as a request has."""

    def __init__(self, db):
        self.manager = transaction.TransactionManager(explicit=True)
        self.connection = db.open(transaction_manager=self.manager)
        self.manager.begin()

    def close(self):
        self.connection.close()


def test_an_undo_is_kept_when_its_transaction_commits(file_db):
    request = Request(file_db)
    undo(request.connection, latest_ids(file_db))
    request.manager.commit()
    request.close()
    assert title(file_db) == "First"


def test_an_undo_is_dropped_when_its_transaction_aborts(file_db):
    before = file_db.lastTransaction()
    request = Request(file_db)
    undo(request.connection, latest_ids(file_db))
    request.manager.abort()
    request.close()
    assert title(file_db) == "Second"
    assert file_db.lastTransaction() == before


def test_the_undo_is_written_as_the_callers_transaction(file_db):
    request = Request(file_db)
    undo(request.connection, latest_ids(file_db))
    request.manager.get().note("undone by a request")
    request.manager.get().setUser("admin", "/")
    request.manager.commit()
    request.close()
    # After it, the catalog queues what the undo wrote back, in a transaction the Undo tab hides.
    newest = [entry for entry in file_db.undoLog(0, 5)
              if not is_catalog_note(entry["description"])][0]
    assert text_of(newest["description"]) == "undone by a request"
    assert text_of(newest["user_name"]) == "/ admin"
    assert title(file_db) == "First"


def test_a_blocked_undo_is_refused_before_it_joins(file_db):
    with objweb.site(file_db) as root:
        root["doc"].edit(title="Third")
    older = latest_ids(file_db, 2)[1]
    before = file_db.lastTransaction()
    with pytest.raises(UndoError):
        check_undoable(file_db, [older])
    request = Request(file_db)
    with pytest.raises(UndoError):
        undo(request.connection, [older])
    # Nothing joined: committing the request writes no transaction at all.
    request.manager.commit()
    request.close()
    assert (title(file_db), file_db.lastTransaction()) == ("Third", before)
    with objweb.site(file_db) as root:
        assert [change.note for change in blockers(root._p_jar, [older])] == [""]


def test_a_trial_that_passes_writes_nothing(file_db):
    before = file_db.lastTransaction()
    check_undoable(file_db, latest_ids(file_db))
    assert (title(file_db), file_db.lastTransaction()) == ("Second", before)
