"""Opening databases by URI, bootstrapping a site, the `site()` block, and restarts."""

import pytest
import transaction
import ZODB

import objweb
from objweb import File, Folder, Page, ValidationError
from objweb.security.passwords import verify_password
from objweb.storage.db import DatabaseURIError, has_users, resolve_db_uri


def text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


@pytest.fixture
def file_uri(tmp_path):
    return f"file://{tmp_path}/var/Data.fs?blobstorage_dir={tmp_path}/var/blobs"


def test_memory_databases_keep_blobs_and_are_separate():
    first, second = objweb.open_db("memory://"), objweb.open_db("memory://")
    try:
        with objweb.site(first) as root:
            root["f"] = File(data=b"in memory")
        with objweb.site(first) as root:
            assert root["f"].data == b"in memory"
        with objweb.site(second) as root:
            assert "f" not in root
    finally:
        first.close()
        second.close()


def test_a_file_database_creates_its_folders_and_survives_a_restart(tmp_path, file_uri):
    db = objweb.open_db(file_uri)
    with objweb.site(db) as root:
        root["news"] = Folder(title="News")
        root["news"]["report"] = File(data=b"%PDF kept", content_type="application/pdf")
        root["news"]["hello"] = Page(title="Hello", body="<p>Hi</p>")
    db.close()
    assert (tmp_path / "var" / "Data.fs").is_file() and (tmp_path / "var" / "blobs").is_dir()
    reopened = objweb.open_db(file_uri)
    try:
        with objweb.site(reopened) as root:
            assert root["news"]["hello"].body == "<p>Hi</p>"
            assert root["news"]["report"].data == b"%PDF kept"
            assert objweb.path_of(root["news"]["report"]) == "/news/report"
    finally:
        reopened.close()


def test_a_relative_file_uri_is_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = objweb.open_db()
    db.close()
    assert (tmp_path / "var" / "Data.fs").is_file() and (tmp_path / "var" / "blobs").is_dir()


@pytest.mark.parametrize("uri, fragment", [
    ("nonsense", "not a database URI"),
    (None, "not a database URI"),
    ("gopher://host/x", "unknown database scheme 'gopher'"),
    ("file://", "a file:// URI names a file"),
    ("file:///tmp/x.fs?bogus=1", "bogus"),
    ("file:///tmp/x.fs?connection_cache_size=many", "invalid literal"),
])
def test_bad_uris_are_value_errors_that_say_why(uri, fragment):
    with pytest.raises(DatabaseURIError) as caught:
        resolve_db_uri(uri)
    assert isinstance(caught.value, ValueError) and fragment in str(caught.value)


def test_a_storage_is_closed_when_the_database_cannot_be_made(tmp_path, file_uri):
    with pytest.raises(ValueError, match="already in databases"):
        objweb.open_db(file_uri, databases={"unnamed": object()})
    objweb.open_db(file_uri).close()  # the file lock was released


def test_bootstrap_is_idempotent():
    db = ZODB.DB(None)
    try:
        assert objweb.bootstrap(db, admin="admin", password="s3cret") is True
        assert objweb.bootstrap(db, admin="admin", password="other") is False
        assert objweb.bootstrap(db) is False
        with objweb.site(db) as root:
            users = root["acl_users"]
            assert users.user_names() == ["admin"]
            assert users.get_user("admin").roles == ("Manager",)
            assert verify_password(users.get_user("admin").password_hash, "s3cret")
        assert objweb.bootstrap(db, admin="second", password="pw") is True
        assert has_users(db)
    finally:
        db.close()


def test_bootstrap_without_a_user_makes_the_site_only():
    db = ZODB.DB(None)
    try:
        assert objweb.bootstrap(db) is True
        assert not has_users(db)
        with objweb.site(db) as root:
            assert list(root.keys()) == ["acl_users"]
    finally:
        db.close()


def test_has_users_of_an_empty_database():
    db = ZODB.DB(None)
    try:
        assert has_users(db) is False
    finally:
        db.close()


def test_bootstrap_refuses_a_bad_admin_and_creates_nothing():
    db = ZODB.DB(None)
    try:
        with pytest.raises(ValidationError):
            objweb.bootstrap(db, admin="bad:name", password="pw")
        with db.transaction() as connection:
            assert "objweb" not in connection.root()
    finally:
        db.close()


def test_passwords_are_never_stored_in_clear(tmp_path, file_uri):
    db = objweb.open_db(file_uri)
    objweb.bootstrap(db, admin="admin", password="very-secret-words")
    db.close()
    assert b"very-secret-words" not in (tmp_path / "var" / "Data.fs").read_bytes()


def test_site_commits_on_a_clean_exit_and_aborts_on_an_error():
    db = ZODB.DB(None)
    try:
        with objweb.site(db) as root:
            root["kept"] = Page()
        with pytest.raises(RuntimeError):
            with objweb.site(db) as root:
                root["dropped"] = Page()
                raise RuntimeError("boom")
        with objweb.site(db) as root:
            assert "kept" in root and "dropped" not in root
        assert len(db.pool.all) == len(db.pool.available)  # every connection was closed
    finally:
        db.close()


def test_site_as_a_user_owns_and_notes_the_change(tmp_path, file_uri):
    db = objweb.open_db(file_uri)
    try:
        with objweb.site(db, user="editor") as root:
            root["mine"] = Page()
        [record] = db.undoLog(0, 1)
        assert text(record["user_name"]) == "/ editor"
        assert text(record["description"]) == "changed with objweb.site()"
        with objweb.site(db) as root:
            assert root["mine"].owner == "editor"
    finally:
        db.close()


def test_site_uses_its_own_transaction_manager():
    db = ZODB.DB(None)
    try:
        transaction.begin()
        with objweb.site(db) as root:
            root["independent"] = Page()
        transaction.abort()  # the thread's transaction knows nothing of the block
        with objweb.site(db) as root:
            assert "independent" in root
    finally:
        db.close()


def test_make_app_bootstraps_a_bare_database():
    db = ZODB.DB(None)
    try:
        objweb.make_app(db)
        with objweb.site(db) as root:
            assert "acl_users" in root
    finally:
        db.close()
