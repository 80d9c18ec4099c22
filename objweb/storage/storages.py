"""The database servers: objweb's defaults for `zeo://` and `postgresql://` URIs.

Both URIs go to the resolvers their packages register with zodburi (ZEO's
through zodburi itself, RelStorage's under the name `postgres`); objweb only
fills in what a site needs and the URI leaves out. Every default can be
overridden in the URI's query string.

ZEO (`zeo://HOST:PORT`):

- `blob_dir=var/blobcache`, ZEO's blob cache: a client downloads a blob the
  first time it is read and keeps it. ZEO locks the cache's files, so every
  process of one instance home shares it, and it works for clients on other
  machines too. `blob_cache_size` bounds it (1 GB). On the server's machine,
  `?shared_blob_dir=1` reads the server's own `var/blobs` instead, with no
  copying.
- `wait_timeout=5`: with no server, opening fails after 5 seconds (ZEO's own
  default is 30) and a request waits that long at most for a reconnection.
- `server_sync=1`: each transaction starts with a round trip to the server,
  so an edit committed through one process is seen by the others on their
  very next request (ZEO otherwise sends invalidations asynchronously). A
  disconnected client skips it rather than wait, so a health check answers
  at once.

PostgreSQL (`postgresql://USER:PASSWORD@HOST:PORT/DBNAME`):

- `shared_blob_dir=0` and `blob_dir=var/blobcache-postgresql`: blobs are
  stored in the database itself, so machines share nothing but PostgreSQL,
  and each instance home keeps a cache of them (bounded by
  `blob_cache_size`, 1 GB).
- `connect_timeout=5`: an unreachable server fails fast.

A FileStorage repairs itself when it opens: it drops a last transaction that
was cut short (and copies its bytes to `Data.fs.tr0`), and rebuilds or brings
up to date an index that is missing, unreadable or older than the data.
`reporting_repairs` says so in objweb's log, in words an operator can act on.
"""

import base64
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import zodburi
from ZODB.FileStorage.FileStorage import packed_version as FILE_STORAGE_MAGIC

ZEO_BLOB_CACHE = "var/blobcache"
POSTGRESQL_BLOB_CACHE = "var/blobcache-postgresql"
SHARED_BLOB_DIR = "var/blobs"
BLOB_CACHE_SIZE = str(1 << 30)
CONNECT_TIMEOUT = "5"
TRUE_WORDS = ("1", "true", "yes", "on")
REMOTE_SCHEMES = ("zeo", "postgresql", "postgres")
DATA_FILE = "var/Data.fs"

log = logging.getLogger("objweb.storage.db")


@dataclass(frozen=True)
class FileStoragePaths:
    """Where a FileStorage keeps its data file and its blobs."""

    data_file: Path
    blob_dir: Path | None


def resolve_remote_uri(uri: str):
    """Return (storage factory, DB keyword arguments) for a zeo:// or postgresql:// URI.

    Raises `ValueError` for a bad URI or option, as zodburi does.
    """
    if uri.startswith("zeo://"):
        return _resolve_zeo(uri)
    return zodburi.resolve_uri(postgresql_uri(uri))


def _with_query(uri: str, options: dict) -> str:
    parts = urlsplit(uri)
    return urlunsplit(parts._replace(query=urlencode(options)))


def _resolve_zeo(uri: str):
    options = dict(parse_qsl(urlsplit(uri).query))
    server_sync = options.pop("server_sync", "1").lower() in TRUE_WORDS
    options.setdefault("wait_timeout", CONNECT_TIMEOUT)
    if options.get("shared_blob_dir", "0").lower() in TRUE_WORDS:
        options.setdefault("blob_dir", SHARED_BLOB_DIR)
    else:
        options.setdefault("blob_dir", ZEO_BLOB_CACHE)
        options.setdefault("blob_cache_size", BLOB_CACHE_SIZE)
    factory, db_keywords = zodburi.resolve_uri(_with_query(uri, options))

    def client_factory():
        storage = _forget_oids_on_reconnection(factory())
        return _sync_with_server(storage) if server_sync else storage
    return client_factory, db_keywords


def _forget_oids_on_reconnection(storage):
    """Make `storage` (a ZEO ClientStorage) drop, on reconnecting, the oids it fetched ahead.

    A ZEO client fetches new object ids 100 at a time. A FileStorage counts
    the ids it hands out in memory only, so a ZEO server killed and started
    again counts on from the highest id stored: the ids its predecessor had
    handed out ahead would be handed out twice, and two new objects (in this
    process, or in this one and another) would get the same id.
    """
    notify_connected = storage.notify_connected

    def connected(conn, info):
        # ZEO keeps the ids fetched ahead in `_oids`; the next new_oid fetches more.
        del storage._oids[:]
        notify_connected(conn, info)
    storage.notify_connected = connected
    return storage


def _sync_with_server(storage):
    """Make each transaction of `storage` (a ZEO ClientStorage) start with a round trip.

    ZEO's own `server_sync` option does the same, but then waits for a
    reconnection on every transaction while the server is away.
    """
    def sync():
        if storage.is_connected():
            storage.ping()
    # ZEO itself installs `sync = ping` on the instance when asked to sync.
    storage.sync = sync
    return storage


def postgresql_uri(uri: str) -> str:
    """Return RelStorage's `postgres://` URI for `uri`, objweb's defaults filled in."""
    uri = "postgres://" + uri.split("://", 1)[1]
    options = dict(parse_qsl(urlsplit(uri).query))
    options.setdefault("shared_blob_dir", "false")
    if options["shared_blob_dir"].lower() not in TRUE_WORDS:
        options.setdefault("blob_dir", POSTGRESQL_BLOB_CACHE)
        options.setdefault("blob_cache_size", BLOB_CACHE_SIZE)
    options.setdefault("connect_timeout", CONNECT_TIMEOUT)
    return _with_query(uri, options)


def file_storage_paths(uri: str, *, home: Path) -> FileStoragePaths:
    """Return the data file and blob directory behind `uri`, for backups and `objweb zeo`.

    A `file://` URI names them; a `zeo://` URI means the files the instance
    home's `objweb zeo` serves (`var/Data.fs`, `var/blobs`). Raises
    `ValueError` for a database that is not a FileStorage on this machine.
    """
    scheme = uri.split("://", 1)[0] if "://" in uri else ""
    if scheme == "zeo":
        return FileStoragePaths(home / DATA_FILE, home / SHARED_BLOB_DIR)
    if scheme in ("postgresql", "postgres"):
        raise ValueError(f"{redact_uri(uri)} is kept by PostgreSQL; back it up with "
                         "PostgreSQL's own tools (pg_dump, base backups)")
    if scheme == "memory":
        raise ValueError(f"{uri} lives in memory and is gone when the process ends: "
                         "there is nothing on disk to back up")
    if scheme != "file":
        raise ValueError(f"{redact_uri(uri)} is not a FileStorage on this machine; "
                         "only a file:// database (or the zeo:// one this home serves) "
                         "is backed up by objweb")
    parts = urlsplit(uri)
    path = uri[len("file://"):].split("?", 1)[0]
    blob_dirs = [value for key, value in parse_qsl(parts.query) if key == "blobstorage_dir"]
    return FileStoragePaths(home / path, home / blob_dirs[0] if blob_dirs else None)


def redact_uri(uri: str) -> str:
    """Return `uri` with any password replaced by `***`, fit for messages and logs."""
    parts = urlsplit(uri)
    if not parts.password:
        return uri
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


@contextmanager
def reporting_repairs(data_file: str) -> Iterator["_FileStorageFindings"]:
    """Log, in objweb's words, what a FileStorage opened inside the block repairs.

    Before: an index that is missing, or older than the data (the last process
    did not close the database). During: ZODB's own findings, read from its
    log: a last transaction cut short (dropped, its bytes kept aside), an
    index it cannot read or that does not match the data. The block gives the
    storage it opened to the findings it is handed (`findings.storage = ...`)
    so that the report can tell a rejected index from ZODB's false alarm.
    """
    size = _file_storage_size(data_file)
    findings = _FileStorageFindings()
    if size > len(FILE_STORAGE_MAGIC):
        findings.index_state = _index_state(data_file)
        if findings.index_state == "missing":
            # Said first: rebuilding the index of a big file takes a while.
            log.warning("rebuilding the index of %s: %s.index is missing; this reads the "
                        "whole file once", data_file, data_file)
    # ZODB logs its repairs as warnings, objweb's report too: a log set to drop
    # the one drops the other.
    zodb_log = logging.getLogger("ZODB.FileStorage")
    zodb_log.addHandler(findings)
    zodb_log.addFilter(_without_traceback)
    zodb_log.addFilter(findings.said_by_objweb)
    try:
        yield findings
    finally:
        zodb_log.removeHandler(findings)
        zodb_log.removeFilter(_without_traceback)
        zodb_log.removeFilter(findings.said_by_objweb)
    findings.report(data_file, size)


# How far back ZODB's check of a saved index reads (FileStorage._check_sanity).
_SANITY_RECORDS = 5


def _stores_an_object_twice(storage) -> bool:
    """Whether one of the last transactions of a FileStorage writes an oid twice."""
    if storage is None:
        return False
    recent = storage.undoLog(0, _SANITY_RECORDS)
    if not recent:
        return False
    oldest = min(base64.decodebytes(entry["id"] + b"\n") for entry in recent)
    for txn in storage.iterator(start=oldest):
        oids = [record.oid for record in txn]
        if len(oids) != len(set(oids)):
            return True
    return False


def _file_storage_size(data_file: str) -> int:
    """Return the size of the FileStorage `data_file`; 0 if it is none (yet)."""
    try:
        with open(data_file, "rb") as file:
            if file.read(len(FILE_STORAGE_MAGIC)) != FILE_STORAGE_MAGIC:
                return 0
            return os.fstat(file.fileno()).st_size
    except OSError:  # a new database, or one that will not open: nothing to repair
        return 0


def _without_traceback(record: logging.LogRecord) -> bool:
    """Keep ZODB's note that it could not load an index, without its traceback."""
    if record.msg == "loading index" and record.exc_info:
        record.msg = "loading index: %s"
        record.args = (f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}",)
        record.exc_info = record.exc_text = None
    return True


def _index_state(data_file: str) -> str:
    """Return "missing", "stale" (older than the data) or "saved"."""
    try:
        index_time = os.path.getmtime(data_file + ".index")
    except OSError:
        return "missing"
    return "stale" if index_time < os.path.getmtime(data_file) else "saved"


class _FileStorageFindings(logging.Handler):
    """Collects what ZODB's FileStorage logs while it opens a data file."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.index_state = "saved"
        self.cut_at: int | None = None
        self.kept_in: str | None = None
        self.index_rejected = False
        self.storage = None

    def said_by_objweb(self, record: logging.LogRecord) -> bool:
        """Drop ZODB's "Ignoring index" line: the report says the same, and why."""
        if str(record.msg).startswith("Ignoring index for"):
            self.index_rejected = True
            return False
        return True

    def emit(self, record: logging.LogRecord) -> None:
        message = str(record.msg)
        if message.startswith("%s truncated") and len(record.args or ()) == 2:
            self.cut_at = int(record.args[1])
        elif message.startswith("Writing truncated data from"):
            self.kept_in = str(record.args[1])
        elif message.startswith(("Ignoring index for", "loading index")):
            self.index_rejected = True

    def report(self, data_file: str, size: int) -> None:
        if self.index_rejected and _stores_an_object_twice(self.storage):
            log.info("rebuilt the index of %s: ZODB checks a saved index against the last "
                     "records written, and one of the last transactions stores an object "
                     "twice (ZEO writes a new blob's record so); the data and the index are "
                     "sound, and the index is rebuilt at each start until more changes "
                     "are saved", data_file)
        elif self.index_rejected:
            log.warning("rebuilt the index of %s: the index did not match the data or could "
                        "not be read", data_file)
        elif self.index_state == "stale":
            log.warning("rebuilt the index of %s from its last save: it was older than the "
                        "data (the last process to use it did not close it)", data_file)
        if self.cut_at is not None:
            kept = f"kept in {self.kept_in}" if self.kept_in else "too short to keep"
            log.warning("%s: the last transaction was cut short (the process writing it "
                        "stopped) and was dropped: %d bytes from offset %d, %s; every "
                        "transaction before it is intact", data_file,
                        max(0, size - self.cut_at), self.cut_at, kept)
