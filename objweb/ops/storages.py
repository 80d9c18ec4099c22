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
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import zodburi

ZEO_BLOB_CACHE = "var/blobcache"
POSTGRESQL_BLOB_CACHE = "var/blobcache-postgresql"
SHARED_BLOB_DIR = "var/blobs"
BLOB_CACHE_SIZE = str(1 << 30)
CONNECT_TIMEOUT = "5"
TRUE_WORDS = ("1", "true", "yes", "on")
REMOTE_SCHEMES = ("zeo", "postgresql", "postgres")
DATA_FILE = "var/Data.fs"


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
    if scheme != "file":
        raise ValueError(f"{redact_uri(uri)} is not a FileStorage on this machine; "
                         "back up PostgreSQL with its own tools (pg_dump, base backups)")
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
