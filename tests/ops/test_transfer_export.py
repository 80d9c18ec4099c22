"""Export, import and copy of subtrees in ZODB's export format (objweb.storage.transfer)."""

import io
import pickle

import pytest
import transaction
import ZODB
from ZODB.utils import p64

from BTrees.OOBTree import OOBTree

import objweb
from objweb import File, Folder, Image, Page, UserFolder
from objweb.errors import NameInUseError, StorageError, ValidationError
from objweb.security.rolemap import local_roles_of, permission_setting
from objweb.storage.transfer import (
    check_export_file, copy_of, copy_to, export_subtree, import_subtree)

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
BLOB_BYTES = b"%PDF-" + bytes(range(256)) * 200


@pytest.fixture
def site_db():
    """A site whose /news holds a page, a file, an image, users and local roles."""
    db = objweb.open_db("memory://")
    objweb.bootstrap(db, admin="admin", password="s3cret")
    with objweb.site(db, user="admin") as root:
        news = root.add("news", Folder(title="News"))
        news.add("hello", Page(title="Hello", body="<p>Hi</p>"))
        news.add("report", File(title="Q3", data=BLOB_BYTES, content_type="application/pdf"))
        news.add("logo", Image(title="Logo", data=PNG, content_type="image/png"))
        users = news.add("acl_users", UserFolder())
        users.add_user("editor", "editor-pw", roles=["Editor"])
        news.manage_setLocalRoles("editor", ["Owner"])
        news.manage_permission("View", roles=["Manager", "Editor"], acquire=False)
        news["hello"].change_owner("editor")
    yield db
    transaction.abort()
    db.close()


def export_bytes(db, path="/news") -> bytes:
    buffer = io.BytesIO()
    with objweb.site(db) as root:
        export_subtree(objweb.find(root, path), buffer)
    return buffer.getvalue()


def fresh_site():
    db = objweb.open_db("memory://")
    objweb.bootstrap(db)
    return db


def test_export_round_trips_content_blobs_owners_and_local_roles(site_db):
    data = export_bytes(site_db)
    target = fresh_site()
    with objweb.site(target) as root:
        import_subtree(root, io.BytesIO(data), keep_owners=True)
    with objweb.site(target) as root:
        news = root["news"]
        assert sorted(news.keys()) == ["acl_users", "hello", "logo", "report"]
        assert news.__parent__ is root and news.__name__ == "news"
        assert news["hello"].body == "<p>Hi</p>" and news["hello"].owner == "editor"
        assert news["report"].data == BLOB_BYTES and news["report"].size == len(BLOB_BYTES)
        assert news["logo"].data == PNG and (news["logo"].width, news["logo"].height) == (1, 1)
        assert news.owner == "admin"
        assert local_roles_of(news)["editor"] == {"Owner"}
        assert permission_setting(news, "View").roles == {"Manager", "Editor"}
        assert permission_setting(news, "View").acquire is False
        assert news["acl_users"].get_user("editor").roles == ("Editor",)
    target.close()


def test_export_carries_no_password_hash_and_imported_users_need_a_new_password(site_db):
    data = export_bytes(site_db)
    assert b"argon2" not in data
    target = fresh_site()
    with objweb.site(target) as root:
        import_subtree(root, io.BytesIO(data))
    with objweb.site(target) as root:
        users = root["news"]["acl_users"]
        assert users.user_names() == ["editor"]
        assert users.check_password("editor", "editor-pw") is False
        users.set_password("editor", "new-pw")
    with objweb.site(target) as root:
        assert root["news"]["acl_users"].check_password("editor", "new-pw") is True
    target.close()


def test_export_leaves_the_site_unchanged(site_db):
    last = site_db.lastTransaction()
    export_bytes(site_db)
    assert site_db.lastTransaction() == last
    with objweb.site(site_db) as root:
        assert root["news"].__parent__ is root
        assert root["news"]["acl_users"].check_password("editor", "editor-pw") is True


def test_export_holds_only_the_subtree(site_db):
    with objweb.site(site_db) as root:
        root.add("other", Page(title="Elsewhere", body="<p>not exported</p>"))
    data = export_bytes(site_db)
    assert b"not exported" not in data
    assert b"Elsewhere" not in data
    contents = check_export_file(io.BytesIO(data))
    assert contents.blobs == 2 and contents.objects < 40


def test_import_under_a_new_name_into_a_subfolder_of_the_same_site(site_db):
    data = export_bytes(site_db)
    with objweb.site(site_db) as root:
        archive = root.add("archive", Folder(title="Archive"))
        import_subtree(archive, io.BytesIO(data), name="news-2025")
    with objweb.site(site_db) as root:
        copy = root["archive"]["news-2025"]
        assert objweb.path_of(copy["hello"]) == "/archive/news-2025/hello"
        assert copy["report"].data == BLOB_BYTES
        assert root["news"]["report"]._p_oid != copy["report"]._p_oid


def test_import_refuses_a_name_in_use_and_imports_nothing(site_db):
    data = export_bytes(site_db)
    with objweb.site(site_db) as root:
        root["news"].edit(title="Current news")
    with pytest.raises(NameInUseError, match="'news' is already in use"):
        with objweb.site(site_db) as root:
            import_subtree(root, io.BytesIO(data))
    with objweb.site(site_db) as root:
        assert root["news"].title == "Current news"
        assert sorted(root.keys()) == ["acl_users", "news"]


def test_failed_import_rolls_back_even_if_the_caller_commits(site_db, tmp_path):
    path = tmp_path / "news.zexp"
    with objweb.site(site_db) as root:
        export_subtree(root["news"], path)
    last = site_db.lastTransaction()
    with objweb.site(site_db) as root:
        with pytest.raises(NameInUseError):
            import_subtree(root, path)
    assert site_db.lastTransaction() == last
    with objweb.site(site_db) as root:
        assert sorted(root.keys()) == ["acl_users", "news"]


def test_import_reads_from_a_path_and_a_stream_that_cannot_seek(site_db, tmp_path):
    data = export_bytes(site_db)

    class OneWay(io.RawIOBase):
        def __init__(self):
            self._inner = io.BytesIO(data)

        def readable(self):
            return True

        def seekable(self):
            return False

        def readinto(self, buffer):
            chunk = self._inner.read(len(buffer))
            buffer[:len(chunk)] = chunk
            return len(chunk)

    target = fresh_site()
    with objweb.site(target) as root:
        import_subtree(root, io.BufferedReader(OneWay()), name="streamed")
    with objweb.site(target) as root:
        assert root["streamed"]["report"].data == BLOB_BYTES
    target.close()


@pytest.mark.parametrize("damage, message", [
    (lambda data: b"PK\x03\x04" + data[4:], "not an export file"),
    (lambda data: data[:-40], "truncated"),
    (lambda data: data[:30], "truncated"),
    (lambda data: data[:-8], "truncated"),
    (lambda data: data[:4] + p64(1) + p64(5) + b"\x80\x03K\x01." + data[4:], "damaged"),
])
def test_import_refuses_a_damaged_file_with_a_clear_message(site_db, damage, message):
    data = damage(export_bytes(site_db))
    target = fresh_site()
    with pytest.raises(ValidationError, match=message):
        with objweb.site(target) as root:
            import_subtree(root, io.BytesIO(data))
    with objweb.site(target) as root:
        assert "news" not in root
    target.close()


def test_import_refuses_a_file_whose_blob_data_is_cut(site_db):
    data = export_bytes(site_db)
    marker = data.index(b"\x00BLOBSTART")
    with pytest.raises(ValidationError, match="data is missing"):
        check_export_file(io.BytesIO(data[:marker + 3]))
    with pytest.raises(ValidationError, match="data is missing"):
        check_export_file(io.BytesIO(data[:marker + 20]))


class Exploit:
    """A pickle that would run a shell command when loaded."""

    def __reduce__(self):
        import os
        return (os.system, ("touch /tmp/objweb-exploit",))


@pytest.mark.parametrize("payload", [
    pickle.dumps(Exploit(), protocol=3),
    pickle.dumps(Exploit(), protocol=4),
    pickle.dumps((Folder, None), protocol=3) + pickle.dumps(Exploit(), protocol=3),
    pickle.dumps(objweb.storage.transfer.import_subtree, protocol=3) * 2,
    b"\x80\x03cobjweb.nothing\nThing\nq\x00." * 2,
    b"\x80\x03cobjweb.content.folder\nNothing\nq\x00." * 2,
])
def test_import_refuses_a_file_naming_code_outside_a_site(payload, tmp_path):
    data = b"ZEXP" + p64(1) + p64(len(payload)) + payload + b"\377" * 16
    target = fresh_site()
    with pytest.raises(ValidationError) as raised:
        with objweb.site(target) as root:
            import_subtree(root, io.BytesIO(data))
    assert "not" in str(raised.value)
    with objweb.site(target) as root:
        assert sorted(root.keys()) == ["acl_users"]
    target.close()


def test_import_refuses_a_file_that_ZODB_cannot_load_and_changes_nothing(site_db):
    # A folder whose state is a number: every global is fine, the object cannot be loaded.
    payload = pickle.dumps((Folder, None), protocol=3) + pickle.dumps(5, protocol=3)
    data = b"ZEXP" + p64(1) + p64(len(payload)) + payload + b"\377" * 16
    last = site_db.lastTransaction()
    with pytest.raises(ValidationError, match="cannot be read"):
        with objweb.site(site_db) as root:
            import_subtree(root, io.BytesIO(data), name="broken")
    assert site_db.lastTransaction() == last


def test_import_refuses_an_export_of_something_else_than_content():
    source = ZODB.DB(None)
    buffer = io.BytesIO()
    with source.transaction() as connection:
        connection.root()["plain"] = OOBTree({"a": 1})
        connection.savepoint()
        connection.exportFile(connection.root()["plain"]._p_oid, buffer)
    target = fresh_site()
    with pytest.raises(ValidationError, match="no objweb object"):
        with objweb.site(target) as root:
            import_subtree(root, io.BytesIO(buffer.getvalue()))
    target.close()
    source.close()


def test_import_of_a_site_root_needs_a_name(site_db):
    data = export_bytes(site_db, "/")
    target = fresh_site()
    with pytest.raises(ValidationError, match="give the name"):
        with objweb.site(target) as root:
            import_subtree(root, io.BytesIO(data))
    with objweb.site(target) as root:
        import_subtree(root, io.BytesIO(data), name="old-site")
    with objweb.site(target) as root:
        assert root["old-site"]["news"]["report"].data == BLOB_BYTES
        assert root["old-site"]["acl_users"].user_names() == ["admin"]
    target.close()


def test_import_of_files_into_a_database_without_blobs_is_refused(site_db):
    data = export_bytes(site_db)
    target = ZODB.DB(None)
    objweb.bootstrap(target)
    with pytest.raises(StorageError, match="keeps no blobs"):
        with objweb.site(target) as root:
            import_subtree(root, io.BytesIO(data))
    with objweb.site(target) as root:
        assert "news" not in root
    target.close()


def test_export_of_an_object_in_no_database_is_refused():
    with pytest.raises(ValidationError, match="not stored in a database"):
        export_subtree(Folder(title="Loose"), io.BytesIO())


def test_copy_of_keeps_everything_including_passwords(site_db):
    with objweb.site(site_db, user="admin") as root:
        copy = copy_of(root["news"])
        assert copy.__parent__ is None and copy.__name__ == "news"
        root.add("news-copy", copy)
    with objweb.site(site_db) as root:
        original, copy = root["news"], root["news-copy"]
        assert copy["hello"].owner == "editor"
        assert copy["report"].data == BLOB_BYTES
        assert copy["report"]._p_oid != original["report"]._p_oid
        assert copy["acl_users"].check_password("editor", "editor-pw") is True
        assert local_roles_of(copy)["editor"] == {"Owner"}
        assert original.__parent__ is root


def test_a_trusted_copy_to_a_folder_keeps_owners_and_passwords(site_db):
    with objweb.site(site_db) as root:
        copy = copy_to(root["news"], root, "news-copy")
        assert copy.__parent__ is root and copy.__name__ == "news-copy"
    with objweb.site(site_db) as root:
        copy = root["news-copy"]
        assert copy.owner == "admin" and copy["hello"].owner == "editor"
        assert copy["acl_users"].check_password("editor", "editor-pw") is True


def test_copy_is_independent_of_the_original(site_db):
    with objweb.site(site_db) as root:
        root.add("copy", copy_of(root["news"]["hello"]))
    with objweb.site(site_db) as root:
        root["copy"].edit(title="Changed copy")
        root["news"]["report"].write(b"new data")
    with objweb.site(site_db) as root:
        assert root["news"]["hello"].title == "Hello"
        assert root["copy"].title == "Changed copy"


def test_copy_of_an_object_added_in_the_same_transaction(site_db):
    with objweb.site(site_db) as root:
        fresh = root.add("fresh", Folder(title="Fresh"))
        fresh.add("doc", File(title="Doc", data=b"unsaved", content_type="text/plain"))
        root.add("fresh-copy", copy_of(fresh))
    with objweb.site(site_db) as root:
        assert root["fresh-copy"]["doc"].data == b"unsaved"
        assert root["fresh"]["doc"].data == b"unsaved"
