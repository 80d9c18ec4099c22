"""Opening databases, making a new site, and the `site()` block.

`open_db` takes zodburi-style URIs. `memory://` gives a DemoStorage, which
(unlike a bare MappingStorage) keeps blobs, so files work in tests.
`postgresql://` is RelStorage's PostgreSQL resolver under the scheme name
operators expect; `objweb.storage.storages` gives it and `zeo://` their defaults
(blob caches, timeouts).
"""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import transaction
import ZODB
import zodburi
from ZODB.DemoStorage import DemoStorage
from ZODB.POSException import ConflictError

from objweb.catalog import ensure_catalog
from objweb.content import Folder
from objweb.content.broken import class_factory
from objweb.content.site import ROOT_KEY, ensure_site, site_root
from objweb.errors import ObjwebError
from objweb.security.permissions import MANAGER
from objweb.security.principals import TRUSTED_CODE, Principal, acting_as
from objweb.storage.storages import REMOTE_SCHEMES, reporting_repairs, resolve_remote_uri

DEFAULT_URI = "file://var/Data.fs?blobstorage_dir=var/blobs"


class DatabaseURIError(ObjwebError, ValueError):
    """A database URI objweb cannot open."""


def _memory_storage_factory(uri: str):
    return lambda: DemoStorage(name="memory")


def resolve_db_uri(uri: str):
    """Return (storage factory, DB keyword arguments) for `uri`.

    Raises `DatabaseURIError` for a scheme no resolver knows or a malformed URI.
    """
    if not isinstance(uri, str) or "://" not in uri:
        raise DatabaseURIError(f"not a database URI: {uri!r} (try {DEFAULT_URI!r})")
    scheme = uri.split("://", 1)[0]
    if scheme == "memory":
        return _memory_storage_factory(uri), {}
    if scheme == "file" and not uri[len("file://"):].split("?", 1)[0]:
        raise DatabaseURIError(f"a file:// URI names a file: {uri!r} (try {DEFAULT_URI!r})")
    try:
        if scheme in REMOTE_SCHEMES:
            return resolve_remote_uri(uri)
        return zodburi.resolve_uri(uri)
    except zodburi.UnknownDatabaseKeywords as error:
        raise DatabaseURIError(f"bad database URI {uri!r}: {error.args[0]} "
                               f"(try {DEFAULT_URI!r})") from None
    except KeyError:
        raise DatabaseURIError(f"unknown database scheme {scheme!r} in {uri!r} "
                               f"(try {DEFAULT_URI!r})") from None
    except ValueError as error:
        raise DatabaseURIError(f"bad database URI {uri!r}: {error} (try {DEFAULT_URI!r})") from None


def open_db(uri: str = DEFAULT_URI, **db_options) -> ZODB.DB:
    """Open the database at `uri` and return a `ZODB.DB`.

    For a `file://` URI the folders of the data file and blob directory are
    created if missing, and what the FileStorage repairs as it opens (a last
    transaction cut short, a missing or stale index) is logged. Raises
    `DatabaseURIError` for a bad URI; a storage's own errors (a locked file,
    an unreachable server) pass through.
    """
    factory, db_keywords = resolve_db_uri(uri)
    if uri.startswith("file://"):
        _make_parent_dirs(uri)
        with reporting_repairs(_file_path(uri)) as findings:
            storage = findings.storage = factory()
    else:
        storage = factory()
    # Objects of a removed package load as broken objects objweb can show and move.
    db_keywords = {"class_factory": class_factory, **db_keywords, **db_options}
    try:
        return ZODB.DB(storage, **db_keywords)
    except BaseException:
        storage.close()
        raise


def _file_path(uri: str) -> str:
    return uri[len("file://"):].split("?", 1)[0]


def _make_parent_dirs(uri: str) -> None:
    query = parse_qs(urlsplit(uri).query)
    for directory in [os.path.dirname(_file_path(uri))] + query.get("blobstorage_dir", []):
        if directory:
            os.makedirs(directory, exist_ok=True)


def bootstrap(db: ZODB.DB, admin: str | None = None, password: str | None = None) -> bool:
    """Create the site if needed, and the user `admin` as a Manager if missing.

    Idempotent: an existing site and an existing user are left alone.
    Returns whether anything was created. Raises `ValidationError` for a bad
    user name or password.
    """
    ensure_catalog(db)
    with db.transaction() as connection:
        created = ROOT_KEY not in connection.root()
        root = ensure_site(connection)
        users = root["acl_users"]
        if admin is not None and users.get_user(admin) is None:
            users.add_user(admin, password, roles=[MANAGER])
            created = True
        if created:
            transaction_note(connection, "bootstrap", "/")
    return created


def transaction_note(connection, note: str, path: str, user_id: str | None = None) -> None:
    """Record who changed what, where, on the connection's current transaction."""
    txn = connection.transaction_manager.get()
    txn.setUser(user_id or "", path)
    txn.note(note)


FIRST_ADMIN = "admin"


def make_first_admin(db: ZODB.DB) -> str | None:
    """Give a site without users its first Manager, `admin`, and return the password.

    Returns None when the site has users already, or when another process
    made them at the same moment (its commit wins; this one's is dropped).
    """
    if has_users(db):
        return None
    password = secrets.token_urlsafe(12)
    try:
        bootstrap(db, admin=FIRST_ADMIN, password=password)
    except ConflictError:
        return None
    return password


def first_admin_line(password: str) -> str:
    """Return the sentence that gives a new site's first Manager their password."""
    return (f"Created the first user of this site. Log in as {FIRST_ADMIN!r} "
            f"with the password {password!r}")


def has_users(db: ZODB.DB) -> bool:
    """Return whether the root user folder holds any user."""
    with db.transaction() as connection:
        root = site_root(connection)
        # Asked at every start: a B-tree's first bucket says, not a list of every name.
        return root is not None and root["acl_users"].has_users()


@contextmanager
def site(db: ZODB.DB, user: str | None = None) -> Iterator[Folder]:
    """Yield the root folder in a private transaction: commit on a clean exit, else abort.

    Objects added inside the block are owned by `user`, as a user of the
    nearest user folder above them that holds that name; with no user they
    have no owner. The Python API is trusted code: no permission is checked.
    """
    ensure_catalog(db)
    manager = transaction.TransactionManager(explicit=True)
    connection = db.open(transaction_manager=manager)
    try:
        with acting_as(Principal(id=user) if user else TRUSTED_CODE), manager:
            root = ensure_site(connection)
            yield root
            if user:
                transaction_note(connection, "changed with objweb.site()", "/", user)
    finally:
        connection.close()
