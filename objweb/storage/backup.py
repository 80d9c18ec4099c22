"""Backups of a FileStorage with ZODB's `repozo`, blobs included, and restores.

`repozo` backs up `Data.fs` only: a full copy first, then increments that
hold what was appended since, and it restores the state as of any of them.
Blobs live outside `Data.fs`, in files ZODB never changes once written, so
next to each `repozo` backup objweb keeps a snapshot of the blob directory
named with the same time stamp: a full tree in which the files already in
the previous snapshot are hard links to it. Each snapshot is complete, and
costs only the blobs that are new.

    BACKUP_DIR/datafs/2026-11-22-10-00-00.fs        repozo's files
    BACKUP_DIR/datafs/2026-11-22-11-00-00.deltafs
    BACKUP_DIR/blobs/2026-11-22-10-00-00/           blob snapshots
    BACKUP_DIR/blobs/2026-11-22-11-00-00/

A backup may run while the site is served (by `objweb serve` or `objweb
zeo`): `repozo` reads the data file as it grows, and the blobs are copied
after it, so every blob the backup refers to is in the snapshot. A restore
needs the database closed.
"""

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import zc.lockfile
from ZODB.scripts import repozo

from objweb.errors import ObjwebError
from objweb.storage.storages import FileStoragePaths

STAMP = re.compile(r"^(\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)\.(fs|deltafs|fsz|deltafsz)$")
STAMP_FORMAT = re.compile(r"^\d{4}-\d\d-\d\d(-\d\d(-\d\d(-\d\d)?)?)?$")
DATAFS_DIR = "datafs"
BLOBS_DIR = "blobs"
# Not part of a blob directory's data: its scratch space and its locks.
SKIPPED_NAMES = {"tmp", ".lock"}


class BackupError(ObjwebError):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    """What a backup wrote: its time stamp, whether it was full, and the blobs copied."""

    stamp: str | None
    full: bool
    blobs_copied: int
    blobs_linked: int


def backup(paths: FileStoragePaths, backup_dir: Path, *, full: bool = False) -> BackupResult:
    """Back up `paths` into `backup_dir`: incrementally unless `full` (or repozo must).

    Returns what was written; `stamp` is None when nothing changed since the
    last backup. Raises `BackupError` if there is no data file or repozo fails.
    """
    if not paths.data_file.is_file():
        raise BackupError(f"there is no database at {paths.data_file} to back up")
    repository = backup_dir / DATAFS_DIR
    repository.mkdir(parents=True, exist_ok=True)
    before = set(_stamped_files(repository))
    arguments = ["-B", "-r", str(repository), "-f", str(paths.data_file)]
    _run_repozo(arguments + (["-F"] if full else []))
    new = sorted(set(_stamped_files(repository)) - before)
    if not new:
        return BackupResult(None, False, 0, 0)
    stamp, kind = STAMP.match(new[-1]).groups()
    copied = linked = 0
    if paths.blob_dir is not None and paths.blob_dir.is_dir():
        copied, linked = snapshot_blobs(paths.blob_dir, backup_dir / BLOBS_DIR, stamp)
    return BackupResult(stamp, kind in ("fs", "fsz"), copied, linked)


def _stamped_files(repository: Path) -> list[str]:
    return sorted(name for name in os.listdir(repository) if STAMP.match(name))


def _run_repozo(arguments: list[str]) -> None:
    try:
        repozo.main(arguments)
    except SystemExit as stop:
        if stop.code not in (None, 0):
            raise BackupError(f"repozo: {stop.code}") from None


def snapshot_blobs(blob_dir: Path, snapshots: Path, stamp: str) -> tuple[int, int]:
    """Copy `blob_dir` to `snapshots/stamp`, linking files the last snapshot has.

    Returns how many files were copied and how many linked.
    """
    previous = _latest_snapshot(snapshots, before=stamp)
    target = snapshots / stamp
    partial = snapshots / (stamp + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    copied = linked = 0
    for source in _blob_files(blob_dir):
        relative = source.relative_to(blob_dir)
        destination = partial / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if previous is not None and _same_file(source, previous / relative):
            os.link(previous / relative, destination)
            linked += 1
        else:
            shutil.copy2(source, destination)
            copied += 1
    partial.mkdir(parents=True, exist_ok=True)
    partial.rename(target)
    return copied, linked


def _blob_files(blob_dir: Path):
    for directory, subdirectories, files in os.walk(blob_dir):
        subdirectories[:] = sorted(name for name in subdirectories if name not in SKIPPED_NAMES)
        for name in sorted(files):
            if name not in SKIPPED_NAMES:
                yield Path(directory) / name


def _same_file(source: Path, earlier: Path) -> bool:
    try:
        mine, theirs = source.stat(), earlier.stat()
    except FileNotFoundError:
        return False
    return mine.st_size == theirs.st_size and int(mine.st_mtime) == int(theirs.st_mtime)


def _latest_snapshot(snapshots: Path, *, before: str | None = None) -> Path | None:
    """Return the newest complete snapshot whose stamp is at or before `before`."""
    if not snapshots.is_dir():
        return None
    stamps = sorted(name for name in os.listdir(snapshots)
                    if STAMP_FORMAT.match(name) and (before is None or name <= before))
    return snapshots / stamps[-1] if stamps else None


def check_date(date: str | None) -> str | None:
    """Return `date` if repozo accepts it (UTC, `yyyy-mm-dd[-hh[-mm[-ss]]]`).

    Raises `BackupError` otherwise.
    """
    if date is not None and not STAMP_FORMAT.match(date):
        raise BackupError(f"{date!r} is not a date as yyyy-mm-dd[-hh[-mm[-ss]]] (UTC)")
    return date


def restore(paths: FileStoragePaths, backup_dir: Path, *, date: str | None = None) -> str:
    """Replace the database at `paths` with the backup as of `date` (default: the latest).

    Returns the stamp of the blob snapshot restored (or of the data file).
    Raises `BackupError` if the database is open, there is no backup
    at or before `date`, or repozo fails; the database is then untouched.
    """
    check_date(date)
    repository = backup_dir / DATAFS_DIR
    if not repository.is_dir() or not _stamped_files(repository):
        raise BackupError(f"there is no backup in {backup_dir}")
    with _database_closed(paths.data_file):
        restored = paths.data_file.with_name(paths.data_file.name + ".restoring")
        for stale in (restored, Path(str(restored) + ".index")):
            stale.unlink(missing_ok=True)
        arguments = ["-R", "-r", str(repository), "-o", str(restored)]
        _run_repozo(arguments + (["-D", date] if date else []))
        # The same rule as repozo's: a stamp counts if it sorts at or before the date.
        snapshot = _latest_snapshot(backup_dir / BLOBS_DIR, before=date)
        if paths.blob_dir is not None:
            _replace_blobs(paths.blob_dir, snapshot)
        _replace_data_file(paths.data_file, restored)
    return snapshot.name if snapshot is not None else _stamped_files(repository)[-1][:19]


class _database_closed:
    """Hold the data file's lock, so that no server opens the database meanwhile."""

    def __init__(self, data_file: Path):
        self.lock_path = str(data_file) + ".lock"
        self.lock = None

    def __enter__(self):
        try:
            self.lock = zc.lockfile.LockFile(self.lock_path)
        except zc.lockfile.LockError:
            raise BackupError("the database is open (is `objweb serve` or `objweb zeo` "
                              "running?); stop it before restoring") from None
        return self

    def __exit__(self, *exc_info):
        self.lock.close()


def _replace_blobs(blob_dir: Path, snapshot: Path | None) -> None:
    incoming = blob_dir.with_name(blob_dir.name + ".restoring")
    shutil.rmtree(incoming, ignore_errors=True)
    incoming.mkdir(parents=True)
    if snapshot is not None:
        for source in _blob_files(snapshot):
            destination = incoming / source.relative_to(snapshot)
            destination.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(source, destination)
    shutil.rmtree(blob_dir, ignore_errors=True)
    incoming.rename(blob_dir)


def _link_or_copy(source: Path, destination: Path) -> None:
    # Committed blob files are never written again (ZODB makes them read-only),
    # so the restored directory may share them with the backup.
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _replace_data_file(data_file: Path, restored: Path) -> None:
    for stale in ("index", "tmp"):
        Path(f"{data_file}.{stale}").unlink(missing_ok=True)
    restored_index = Path(f"{restored}.index")
    if restored_index.exists():
        restored_index.rename(f"{data_file}.index")
    restored.rename(data_file)
