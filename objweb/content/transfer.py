"""Moving subtrees: export and import in ZODB's export format, and copies.

An export file is ZODB's own (`Connection.exportFile`, read back by
`Connection.importFile`): the pickle of an object and of everything it
references, blob data inline, so Zope operators' `.zexp` habits apply. ZODB
follows every reference, and an objweb object references its container
through `__parent__`; exporting it as it stands would export the whole site.
So the top object is cut from its container first, in a savepoint that is
rolled back afterwards: the site itself never changes. In the same savepoint
the users' password hashes are blanked, because no export carries a password
or its hash. Owners and local roles are written as they are.

A pickle can name any importable callable, so an export file could run code
when it is read. `import_subtree` therefore reads every record first
(`objweb.content.exportfile`) and refuses a file that names or builds
anything but what a site stores; only then does ZODB import it. What it
imported is then checked whole (`objweb.content.incoming`) before it joins
the site.

`copy_of` copies a subtree through the same export and import, in memory and
a temporary file, for the management screens' copy and paste. A copy stays on
the server, so it keeps the users' password hashes.
"""

import os
import pickle
import tempfile
from collections.abc import Iterator

from ZODB.interfaces import IBlobStorage
from ZODB.POSException import ExportError, POSKeyError, StateLoadError

from objweb.content.base import Item
from objweb.content.exportfile import ExportContents, check_export_file
from objweb.content.incoming import USER_FOLDER_NAME, check_subtree
from objweb.content.userfolder import UserFolder
from objweb.errors import StorageError, ValidationError
from objweb.traversal.location import lineage, path_of

__all__ = ["EXPORT_SUFFIX", "ExportContents", "check_export_file", "copy_of",
           "export_subtree", "import_subtree"]

EXPORT_SUFFIX = ".zexp"


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
                users.forget_passwords()
        txn.savepoint(optimistic=True)
        jar.exportFile(obj._p_oid, stream)
    finally:
        before.rollback()


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
    `ValidationError` for a file that is not an objweb export, or names or
    holds anything a site is not made of, `NameInUseError` if the name is
    taken, `ValueError` for a bad name, and `StorageError` for blobs in a
    database that keeps none; nothing is imported then.
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
        # The top object is cut from its container when exported: a parent means a forgery.
        if obj.__parent__ is not None:
            raise ValidationError("the export file's top object says it is in a folder", "file")
        if isinstance(obj, UserFolder) and new_name != USER_FOLDER_NAME:
            raise ValidationError(f"a user folder is imported as {USER_FOLDER_NAME}", "name")
        check_subtree(obj)
        container.add(new_name, obj)
    except BaseException:
        before.rollback()
        raise
    return obj


def _import(jar, stream) -> Item:
    try:
        obj = jar.importFile(stream)
        if isinstance(obj, Item):
            obj._p_activate()
    except (ExportError, EOFError, TypeError, ValueError, AttributeError, StateLoadError,
            pickle.UnpicklingError) as error:
        raise ValidationError(f"the export file cannot be read: {error or type(error).__name__}",
                              "file") from None
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


# -- copies -------------------------------------------------------------------

def copy_of(obj: Item) -> Item:
    """Return a copy of `obj` and everything below it, in no container yet.

    The copy is made in the current transaction of the connection `obj` is
    in, through an export and an import; it keeps the original's name (as
    `__name__`, for the caller to reuse or change), owners, local roles and
    the users' password hashes. Add it to a folder to keep it. Raises
    `ValidationError` if `obj` is not stored in a database, or if a record
    below it is one objweb does not write.
    """
    jar = _jar_of(obj)
    with tempfile.TemporaryFile(prefix="objweb-copy") as buffer:
        _export_detached(obj, buffer, keep_passwords=True)
        # Read as an import is: a record that a forged import stored before
        # objweb refused them is not copied on.
        buffer.seek(0)
        check_export_file(buffer)
        buffer.seek(0)
        try:
            copy = _import(jar, buffer)
        except POSKeyError as error:  # pragma: no cover (a damaged database)
            raise StorageError(f"cannot copy {path_of(obj)}: {error}") from None
    return copy
