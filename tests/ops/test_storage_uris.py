"""objweb's defaults for zeo:// and postgresql:// URIs (objweb.storage.storages)."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import ZEO
from ZEO.ClientStorage import ClientStorage

import objweb
from objweb.storage.storages import file_storage_paths, postgresql_uri, redact_uri


@pytest.fixture
def zeo_address(tmp_path):
    """A ZEO server in this process (ZEO's own test helper), over a blob-keeping storage."""
    address, stop = ZEO.server(path=str(tmp_path / "Data.fs"), blob_dir=str(tmp_path / "blobs"))
    yield address
    stop()


def test_a_zeo_client_syncs_with_the_server_by_default(zeo_address, tmp_path):
    host, port = zeo_address
    db = objweb.open_db(f"zeo://{host}:{port}?blob_dir={tmp_path}/cache")
    try:
        assert type(db.storage) is ClientStorage
        assert "sync" in vars(db.storage)  # objweb's round trip, not ZEO's no-op method
        objweb.bootstrap(db)
        with objweb.site(db) as root:
            root.add("f", objweb.File(data=b"blob over zeo", content_type="text/plain"))
        with objweb.site(db) as root:
            assert root["f"].data == b"blob over zeo"
    finally:
        db.close()


def test_server_sync_can_be_turned_off(zeo_address, tmp_path):
    host, port = zeo_address
    db = objweb.open_db(f"zeo://{host}:{port}?blob_dir={tmp_path}/cache&server_sync=0")
    try:
        assert "sync" not in vars(db.storage)
        assert db.storage._blob_cache_size == 1 << 30
    finally:
        db.close()


def query(uri: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(uri).query).items()}


def test_postgresql_keeps_blobs_in_the_database_by_default():
    uri = postgresql_uri("postgresql://u:p@db:5432/site")
    assert uri.startswith("postgres://u:p@db:5432/site?")
    assert query(uri) == {"shared_blob_dir": "false", "blob_dir": "var/blobcache-postgresql",
                          "blob_cache_size": str(1 << 30), "connect_timeout": "5"}


def test_postgresql_with_a_shared_blob_directory_gets_no_cache_defaults():
    uri = postgresql_uri("postgresql://u:p@db/site?shared_blob_dir=true&blob_dir=/nfs/blobs")
    assert query(uri) == {"shared_blob_dir": "true", "blob_dir": "/nfs/blobs",
                          "connect_timeout": "5"}


def test_file_storage_paths_follow_the_uri(tmp_path):
    paths = file_storage_paths("file://var/Data.fs?blobstorage_dir=var/blobs", home=tmp_path)
    assert (paths.data_file, paths.blob_dir) == (tmp_path / "var/Data.fs", tmp_path / "var/blobs")
    bare = file_storage_paths("file:///srv/Data.fs", home=tmp_path)
    assert (bare.data_file, bare.blob_dir) == (Path("/srv/Data.fs"), None)
    with pytest.raises(ValueError, match="nothing on disk to back up"):
        file_storage_paths("memory://", home=tmp_path)
    with pytest.raises(ValueError, match="PostgreSQL's own tools"):
        file_storage_paths("postgresql://u:p@db/site", home=tmp_path)


def test_passwords_are_hidden_in_messages():
    assert redact_uri("postgresql://u:secret@db/site") == "postgresql://u:***@db/site"
    assert redact_uri("zeo://127.0.0.1:8100") == "zeo://127.0.0.1:8100"


def test_the_zeo_server_configuration_names_the_files_and_the_log():
    from objweb.storage.zeo import ZeoServerPlan, zconfig_text
    plan = ZeoServerPlan("127.0.0.1", 8100, Path("/srv/var/Data.fs"), Path("/srv/var/blobs"),
                         event_log="/srv/var/log/zeo.log")
    text = zconfig_text(plan)
    assert "address 127.0.0.1:8100" in text
    assert "path /srv/var/Data.fs" in text and "blob-dir /srv/var/blobs" in text
    assert "path /srv/var/log/zeo.log" in text
    assert "path STDERR" in zconfig_text(ZeoServerPlan("::1", 1, Path("a"), Path("b")))
