"""`objweb backup` and `objweb restore`: repozo for Data.fs, snapshots for blobs."""

import io
import os
import time
from pathlib import Path

import pytest

import objweb
from objweb import File, Folder, Page
from objweb.security.rolemap import local_roles_of
from objweb.storage import backup as backups
from objweb.storage.storages import FileStoragePaths
from ops_servers import make_site
from support import ADMIN, run_objweb, wait_for

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("backup")]


def site_uri(home: Path) -> str:
    return f"file://{home}/var/Data.fs?blobstorage_dir={home}/var/blobs"


def change(home: Path, function):
    """Run `function(root)` in a committed transaction on the home's database."""
    db = objweb.open_db(site_uri(home))
    try:
        with objweb.site(db, user=ADMIN) as root:
            function(root)
    finally:
        db.close()


def read(home: Path, function):
    db = objweb.open_db(site_uri(home))
    try:
        with objweb.site(db) as root:
            return function(root)
    finally:
        db.close()


def next_second() -> str:
    """Wait until the UTC second changes (repozo names backups by the second); return it."""
    now = time.gmtime()[:6]
    wait_for(lambda: time.gmtime()[:6] != now, timeout=5)
    return time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime())


@pytest.fixture
def home(tmp_path):
    """An instance home with a site holding a page, a file, a user and local roles."""
    make_site(tmp_path)

    def fill(root):
        news = root.add("news", Folder(title="News"))
        news.add("hello", Page(title="Hello v1"))
        news.add("first", File(title="First", data=b"first blob" * 500,
                               content_type="application/pdf"))
        root["acl_users"].add_user("editor", "editor-pw", roles=["Editor"])
        news.manage_setLocalRoles("editor", ["Owner"])
    change(tmp_path, fill)
    return tmp_path


def test_full_then_incremental_backup_restores_each_state_with_blobs(home, objweb_ok):
    first = objweb_ok(["backup"], home)
    assert first.stdout.startswith("Full backup ")
    first_stamp = first.stdout.split()[2]
    next_second()

    def second_state(root):
        root["news"]["hello"].edit(title="Hello v2")
        root["news"].add("second", File(title="Second", data=b"second blob" * 500,
                                        content_type="text/plain"))
    change(home, second_state)
    second = objweb_ok(["backup"], home)
    assert second.stdout.startswith("Incremental backup ")
    assert "1 blob file(s) copied" in second.stdout
    next_second()

    def disaster(root):
        del root["news"]
        root["acl_users"].delete_user("editor")
    change(home, disaster)

    restored = objweb_ok(["restore", "--yes"], home)
    assert "Restored" in restored.stdout
    state = read(home, lambda root: (
        root["news"]["hello"].title, root["news"]["first"].data, root["news"]["second"].data,
        root["acl_users"].check_password("editor", "editor-pw"),
        local_roles_of(root["news"])["editor"]))
    assert state == ("Hello v2", b"first blob" * 500, b"second blob" * 500, True,
                     {"Owner"})

    objweb_ok(["restore", "--yes", "--date", first_stamp], home)
    state = read(home, lambda root: (
        root["news"]["hello"].title, root["news"]["first"].data, "second" in root["news"]))
    assert state == ("Hello v1", b"first blob" * 500, False)


def test_blob_snapshots_share_unchanged_files(home, objweb_ok):
    objweb_ok(["backup"], home)
    next_second()
    change(home, lambda root: root.add("more", File(data=b"more", content_type="text/plain")))
    objweb_ok(["backup"], home)
    snapshots = sorted((home / "var" / "backups" / "blobs").iterdir())
    assert len(snapshots) == 2
    files = {path.relative_to(snapshot): path.stat().st_ino
             for snapshot in snapshots for path in snapshot.rglob("*.blob")}
    older = {path.relative_to(snapshots[0]) for path in snapshots[0].rglob("*.blob")}
    newer = {path.relative_to(snapshots[1]) for path in snapshots[1].rglob("*.blob")}
    assert older < newer and len(newer - older) == 1
    for relative in older:
        assert (snapshots[0] / relative).stat().st_ino == (snapshots[1] / relative).stat().st_ino
    assert files


def test_a_backup_with_nothing_changed_writes_nothing(home, objweb_ok):
    objweb_ok(["backup"], home)
    next_second()
    again = objweb_ok(["backup"], home)
    assert again.stdout.startswith("Nothing changed since the last backup")


def test_a_forced_full_backup_and_a_backup_dir_option(home, tmp_path_factory, objweb_ok):
    elsewhere = tmp_path_factory.mktemp("backups")
    objweb_ok(["backup", "--backup-dir", str(elsewhere)], home)
    next_second()
    change(home, lambda root: root["news"]["hello"].edit(title="Hello v3"))
    forced = objweb_ok(["backup", "--full", "--backup-dir", str(elsewhere)], home)
    assert forced.stdout.startswith("Full backup ")
    assert len(list((elsewhere / "datafs").glob("*.fs"))) == 2


def test_restore_refuses_while_the_database_is_open(home, objweb_ok, objweb_command):
    objweb_ok(["backup"], home)
    db = objweb.open_db(site_uri(home))
    try:
        refused = objweb_command(["restore", "--yes"], home)
    finally:
        db.close()
    assert refused.returncode == 1
    assert "the database is open" in refused.stderr
    assert read(home, lambda root: root["news"]["hello"].title) == "Hello v1"


def test_restore_asks_for_confirmation(home, objweb_ok):
    objweb_ok(["backup"], home)
    refused = run_objweb(["restore"], home, input="")
    assert refused.returncode == 1
    assert "add --yes to confirm" in refused.stderr


@pytest.mark.parametrize("args, message", [
    (["restore", "--yes"], "there is no backup in"),
    (["restore", "--yes", "--date", "yesterday"], "is not a date"),
    (["backup", "--db", "postgresql://u:secret@127.0.0.1:1/db"], "u:***@127.0.0.1:1/db"),
    (["backup", "--db", "memory://"], "there is nothing on disk to back up"),
    (["backup", "--db", "zeo+x://elsewhere"], "is not a FileStorage on this machine"),
])
def test_backup_and_restore_refusals_are_one_sentence(home, args, message, objweb_command):
    result = objweb_command(args, home)
    assert result.returncode in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "secret" not in result.stderr


class Terminal(io.StringIO):
    """Standard input that a person types at."""

    def isatty(self):
        return True


@pytest.mark.parametrize("answer, restored", [("n\n", False), ("yes\n", True)])
def test_restore_at_a_terminal_asks_first(home, objweb_ok, objweb_command, monkeypatch,
                                          answer, restored):
    objweb_ok(["backup"], home)
    change(home, lambda root: root["news"]["hello"].edit(title="After the backup"))
    monkeypatch.setattr("sys.stdin", Terminal(answer))
    result = objweb_command(["restore"], home)
    assert result.returncode == (0 if restored else 1)
    assert ("Nothing restored." in result.stdout) is not restored
    title = read(home, lambda root: root["news"]["hello"].title)
    assert title == ("Hello v1" if restored else "After the backup")


def test_backup_of_a_home_without_a_database_is_one_sentence(tmp_path, objweb_command):
    result = objweb_command(["backup"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"objweb backup: there is no database at {tmp_path}/var/Data.fs to back up")


def test_restore_before_the_first_backup_is_refused(home, objweb_ok, objweb_command):
    objweb_ok(["backup"], home)
    result = objweb_command(["restore", "--yes", "--date", "2000-01-01"], home)
    assert result.returncode == 1
    assert "No files in repository before 2000-01-01" in result.stderr


def test_backup_without_a_database_is_refused(tmp_path):
    paths = FileStoragePaths(tmp_path / "var" / "Data.fs", tmp_path / "var" / "blobs")
    with pytest.raises(backups.BackupError, match="no database at"):
        backups.backup(paths, tmp_path / "backups")


def test_backup_over_zeo_reads_the_instance_files(home, objweb_ok):
    """A zeo:// URI means the files this home's `objweb zeo` serves."""
    result = objweb_ok(["backup", "--db", "zeo://127.0.0.1:8100"], home)
    assert result.stdout.startswith("Full backup ")
    assert any((home / "var" / "backups" / "blobs").iterdir())
    assert os.path.isdir(home / "var" / "backups" / "datafs")
