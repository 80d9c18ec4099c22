"""Moving subtrees: export and import in ZODB's export format, and copies.

An export file is ZODB's own (`Connection.exportFile`, read back by
`Connection.importFile`): the pickle of an object and of everything it
references, blob data inline, so Zope operators' `.zexp` habits apply. ZODB
follows every reference, and an objweb object references its container
through `__parent__`; exporting it as it stands would export the whole site.
So the top object is cut from its container first, in a savepoint that is
rolled back afterwards: the site itself never changes. In the same savepoint
the users' password hashes are blanked, because no export carries a password
or its hash (imported users keep their ids, roles and groups, and get a new
password from a Manager). Owners and local roles are kept as they are.

A pickle can name any importable callable, so an export file could run code
when it is read. `import_subtree` therefore reads every record first and
refuses a file that names anything but the persistent classes and plain value
types a site is made of; only then does ZODB import it.

`copy_of` copies a subtree through the same export and import, in memory and
a temporary file, for the management screens' copy and paste. A copy stays on
the server, so it keeps the users' password hashes.
"""

import dataclasses
import importlib
import io
import os
import pickle
import pickletools
import tempfile
from collections.abc import Iterator

from persistent import Persistent
from ZODB.interfaces import IBlobStorage
from ZODB.POSException import ExportError, POSKeyError
from ZODB.utils import u64

from objweb.content.base import Item
from objweb.content.userfolder import UserFolder
from objweb.errors import StorageError, ValidationError
from objweb.traversal.location import lineage, path_of

EXPORT_SUFFIX = ".zexp"
USER_FOLDER_NAME = "acl_users"

# ZODB's export format (ZODB.ExportImport): a magic string, then records of
# an 8-byte oid, an 8-byte length and two pickles (class, then state); a blob
# record is followed by a marker, an 8-byte length and the blob's bytes.
_MAGIC = b"ZEXP"
_END_MARKER = b"\377" * 16
_BLOB_MARKER = b"\000BLOBSTART"
_BLOB_CLASS = ("ZODB.blob", "Blob")

# What an export file may name: the modules a site's objects come from, and
# the plain value types their state holds.
_SAFE_MODULE_PREFIXES = ("objweb.", "BTrees.", "persistent.")
_SAFE_GLOBALS = {
    ("ZODB.blob", "Blob"),
    ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "object"),
    ("builtins", "bytearray"), ("__builtin__", "set"), ("__builtin__", "frozenset"),
    ("__builtin__", "object"), ("copy_reg", "_reconstructor"),
    ("copyreg", "_reconstructor"), ("datetime", "datetime"), ("datetime", "date"),
    ("datetime", "time"), ("datetime", "timedelta"), ("datetime", "timezone"),
    ("decimal", "Decimal"),
}
_REFUSED_OPCODES = frozenset({"STACK_GLOBAL", "INST", "OBJ", "EXT1", "EXT2", "EXT4"})


# -- export -------------------------------------------------------------------

def export_subtree(obj: Item, target) -> int:
    """Write `obj` and everything below it to `target` in ZODB's export format.

    `target` is a file path or a binary file open for writing. Returns the
    number of bytes written. Users' password hashes are left out. The site is
    not changed. Raises `ValidationError` if `obj` is not stored in a database.
    """
    if isinstance(target, (str, os.PathLike)):
        with open(target, "wb") as stream:
            return export_subtree(obj, stream)
    start = target.tell() if target.seekable() else 0
    _export_detached(obj, target, keep_passwords=False)
    return target.tell() - start


def _export_detached(obj: Item, stream, *, keep_passwords: bool) -> None:
    """Export `obj` cut from its container, inside a savepoint rolled back after."""
    jar = _jar_of(obj)
    txn = jar.transaction_manager.get()
    before = txn.savepoint(optimistic=True)
    try:
        if obj.__parent__ is not None:
            obj.__parent__ = None
        if not keep_passwords:
            for users in _user_folders(obj):
                _blank_password_hashes(users)
        txn.savepoint(optimistic=True)
        jar.exportFile(obj._p_oid, stream)
    finally:
        before.rollback()


def _blank_password_hashes(users: UserFolder) -> None:
    for login in users.user_names():
        users.get_user(login).password_hash = None


def _jar_of(obj):
    for node in lineage(obj):
        jar = getattr(node, "_p_jar", None)
        if jar is not None:
            return jar
    raise ValidationError(f"{path_of(obj) or obj!r} is not stored in a database", "path")


def _user_folders(obj) -> Iterator[UserFolder]:
    """Yield every user folder at or below `obj`, walking containers only."""
    if isinstance(obj, UserFolder):
        yield obj
    if not getattr(obj, "is_container", False):
        return
    for child in obj.values():
        if isinstance(child, UserFolder) or getattr(child, "is_container", False):
            yield from _user_folders(child)


# -- import -------------------------------------------------------------------

def import_subtree(container, source, *, name: str | None = None) -> Item:
    """Import the export file `source` into `container` and return the new object.

    `source` is a file path or a binary file open for reading. The object
    keeps the name it was exported under unless `name` is given. Raises
    `ValidationError` for a file that is not an objweb export or names
    anything a site is not made of, `NameInUseError` if the name is taken
    (nothing is imported then), `ValueError` for a bad name, and
    `StorageError` for blobs in a database that keeps none.
    """
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            return import_subtree(container, stream, name=name)
    stream = _seekable(source)
    start = stream.tell()
    contents = check_export_file(stream)
    stream.seek(start)
    jar = _jar_of(container)
    if contents.blobs and not IBlobStorage.providedBy(jar.db().storage):
        raise StorageError("this database keeps no blobs, so it cannot hold the files "
                           "in this export; open it with a blob directory")
    txn = jar.transaction_manager.get()
    before = txn.savepoint(optimistic=True)
    try:
        obj = _import(jar, stream)
        new_name = name if name is not None else obj.__name__
        if new_name is None:
            raise ValidationError("the export holds a site's root folder; "
                                  "give the name to import it under", "name")
        container.add(new_name, obj)
    except BaseException:
        before.rollback()
        raise
    return obj


def _import(jar, stream) -> Item:
    try:
        obj = jar.importFile(stream)
    except (ExportError, EOFError, TypeError, ValueError, pickle.UnpicklingError) as error:
        raise ValidationError(f"the export file cannot be read: {error}", "file") from None
    if not isinstance(obj, Item):
        raise ValidationError("the export file holds no objweb object", "file")
    return obj


def _seekable(source):
    if source.seekable():
        return source
    spool = tempfile.SpooledTemporaryFile(max_size=16 << 20)
    while chunk := source.read(1 << 16):
        spool.write(chunk)
    spool.seek(0)
    return spool


@dataclasses.dataclass(frozen=True)
class ExportContents:
    """What an export file holds: how many objects, and how many of them are blobs."""

    objects: int
    blobs: int


def check_export_file(stream) -> ExportContents:
    """Read a whole export file and return what it holds.

    Raises `ValidationError` if it is not in ZODB's export format or if a
    pickle in it names anything but the classes and value types objweb
    stores, so that reading it cannot run code.
    """
    if stream.read(len(_MAGIC)) != _MAGIC:
        raise ValidationError("not an export file (ZODB's .zexp format)", "file")
    objects = blobs = 0
    while True:
        header = stream.read(16)
        if header == _END_MARKER:
            return ExportContents(objects, blobs)
        if len(header) != 16:
            raise ValidationError("the export file is truncated", "file")
        data = stream.read(u64(header[8:]))
        if len(data) != u64(header[8:]):
            raise ValidationError("the export file is truncated", "file")
        if _check_record(data):
            _skip_blob(stream)
            blobs += 1
        objects += 1


def _check_record(data: bytes) -> bool:
    """Check both pickles of a record; return whether it holds a blob."""
    class_globals, end = _checked_globals(data, 0)
    _checked_globals(data, end)
    return bool(class_globals) and class_globals[0] == _BLOB_CLASS


def _checked_globals(data: bytes, start: int) -> tuple[list, int]:
    try:
        found, end = _globals_of(data, start)
    except ValueError as error:
        raise ValidationError(f"the export file holds a damaged record: {error}",
                              "file") from None
    for module, name in found:
        if not _is_safe_global(module, name):
            raise ValidationError(f"the export file names {module}.{name}, which is not "
                                  "part of an objweb site; it was not imported", "file")
    return found, end


def _globals_of(data: bytes, start: int) -> tuple[list, int]:
    """Return the (module, name) globals of the pickle at `start`, and where it ends."""
    found = []
    stream = io.BytesIO(data)
    stream.seek(start)
    for opcode, arg, position in pickletools.genops(stream):
        if opcode.name in _REFUSED_OPCODES:
            raise ValueError(f"the pickle opcode {opcode.name} is not used by ZODB")
        if opcode.name == "GLOBAL":
            module, _, name = arg.partition(" ")
            found.append((module, name))
        if opcode.name == "STOP":
            return found, position + 1
    raise ValueError("a pickle has no end")  # pragma: no cover (genops raises first)


def _is_safe_global(module: str, name: str) -> bool:
    if (module, name) in _SAFE_GLOBALS:
        return True
    if not module.startswith(_SAFE_MODULE_PREFIXES) or name.startswith("_"):
        return False
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return False
    if not isinstance(found, type):
        return False
    return issubclass(found, Persistent) or dataclasses.is_dataclass(found)


def _skip_blob(stream) -> None:
    if stream.read(len(_BLOB_MARKER)) != _BLOB_MARKER:
        raise ValidationError("the export file is truncated: a file's data is missing",
                              "file")
    length = stream.read(8)
    target = stream.tell() + u64(length.rjust(8, b"\0"))
    if len(length) != 8 or target > stream.seek(0, io.SEEK_END):
        raise ValidationError("the export file is truncated: a file's data is missing",
                              "file")
    stream.seek(target)


# -- copies -------------------------------------------------------------------

def copy_of(obj: Item) -> Item:
    """Return a copy of `obj` and everything below it, in no container yet.

    The copy is made in the current transaction of the connection `obj` is
    in, through an export and an import; it keeps the original's name (as
    `__name__`, for the caller to reuse or change), owners, local roles and
    the users' password hashes. Add it to a folder to keep it. Raises
    `ValidationError` if `obj` is not stored in a database.
    """
    jar = _jar_of(obj)
    with tempfile.TemporaryFile(prefix="objweb-copy") as buffer:
        _export_detached(obj, buffer, keep_passwords=True)
        buffer.seek(0)
        try:
            copy = _import(jar, buffer)
        except POSKeyError as error:  # pragma: no cover (a damaged database)
            raise StorageError(f"cannot copy {path_of(obj)}: {error}") from None
    return copy
