"""Packing keeps current data and the undo history younger than N days."""

import time
from pathlib import Path

import pytest
import transaction

import objweb
from objweb import File, Page
from objweb.storage.pack import DAY, pack, pack_time
from ops_servers import make_site
from support import ADMIN, ADMIN_PASSWORD, wait_for


def open_site(tmp_path):
    db = objweb.open_db(f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs")
    objweb.bootstrap(db, admin=ADMIN, password=ADMIN_PASSWORD)
    return db


def commit_change(db, function, note: str) -> None:
    with objweb.site(db, user=ADMIN) as root:
        function(root)
        root._p_jar.transaction_manager.get().note(note)



@pytest.fixture
def history(tmp_path):
    """A page and a file changed twice before a moment `cut`, and once after it."""
    db = open_site(tmp_path)
    commit_change(db, lambda root: (root.add("page", Page(title="v1")),
                                    root.add("doc", File(data=b"r1", content_type="text/plain"))),
                  "first")
    commit_change(db, lambda root: (root["page"].edit(title="v2"), root["doc"].write(b"r2")),
                  "second")
    cut = time.time()
    wait_for(lambda: time.time() > cut + 0.01)
    commit_change(db, lambda root: (root["page"].edit(title="v3"), root["doc"].write(b"r3")),
                  "third")
    with objweb.site(db) as root:
        oids = {"page": root["page"]._p_oid, "blob": root["doc"]._blob._p_oid}
    yield db, cut, oids
    transaction.abort()
    db.close()


def revisions(db, oid) -> int:
    return len(db.history(oid, size=100))


def test_pack_keeps_the_history_younger_than_the_given_days(history):
    db, cut, oids = history
    assert revisions(db, oids["page"]) == 3  # v1, v2, v3
    packed_to = pack(db, days=1, now=cut + DAY)
    assert packed_to == pytest.approx(cut)
    notes = [entry["description"].split("\n")[0] for entry in db.undoLog(0, 100)]
    assert "third" in notes and "first" not in notes
    assert revisions(db, oids["page"]) == 2  # v2 (current at the cut) and v3
    with objweb.site(db) as root:
        assert root["page"].title == "v3" and root["doc"].data == b"r3"
    third = next(entry for entry in db.undoLog(0, 100)
                 if entry["description"].startswith("third"))
    db.undo(third["id"])
    transaction.commit()
    with objweb.site(db) as root:
        assert root["page"].title == "v2" and root["doc"].data == b"r2"


def test_pack_removes_blob_files_older_than_the_cut_and_keeps_the_rest(history):
    db, cut, oids = history
    blob_dir = db.storage.fshelper.getPathForOID(oids["blob"])
    assert len(list(_blobs(blob_dir))) == 3
    pack(db, days=1, now=cut + DAY)
    assert len(list(_blobs(blob_dir))) == 2
    with objweb.site(db) as root:
        assert root["doc"].data == b"r3"


def _blobs(directory):
    return Path(directory).glob("*.blob")


def test_pack_with_no_days_keeps_only_current_data(history):
    db, cut, oids = history
    pack(db)
    assert revisions(db, oids["page"]) == 1
    with objweb.site(db) as root:
        assert (root["page"].title, root["doc"].data) == ("v3", b"r3")
        assert root["acl_users"].check_password(ADMIN, ADMIN_PASSWORD)


def test_pack_refuses_negative_days():
    with pytest.raises(ValueError, match="cannot keep -1 days"):
        pack_time(-1)


def test_objweb_pack_days_keeps_recent_history(tmp_path, objweb_command):
    uri = make_site(tmp_path)
    db = objweb.open_db(uri)
    for title in ("a", "b", "c"):
        commit_change(db, lambda root, title=title: (
            root["acl_users"].edit(title=title)), f"title {title}")
    before = len(db.undoLog(0, 100))
    db.close()
    kept = objweb_command(["pack", "--days", "1"], tmp_path)
    assert kept.returncode == 0, kept.stderr
    assert kept.stdout.startswith("Packed file://var/Data.fs")
    db = objweb.open_db(uri)
    assert len(db.undoLog(0, 100)) == before
    db.close()
    everything = objweb_command(["pack"], tmp_path)
    assert everything.returncode == 0, everything.stderr
    db = objweb.open_db(uri)
    try:
        assert len(db.undoLog(0, 100)) < before
        with objweb.site(db) as root:
            assert root["acl_users"].title == "c"
    finally:
        db.close()


@pytest.mark.parametrize("days", ["-2", "nan", "inf", "1e400", "36501", "soon"])
def test_objweb_pack_refuses_days_that_are_not_a_span(tmp_path, objweb_command, days):
    result = objweb_command(["pack", "--days", days], tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"argument --days: --days is a number of days from 0 to 36500, not {days!r}" \
        in result.stderr
    assert not (tmp_path / "var" / "Data.fs").exists()
