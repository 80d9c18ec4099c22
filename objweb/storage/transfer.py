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
(`objweb.storage.exportfile`) and refuses a file that names or builds
anything but what a site stores; only then does ZODB import it. What it
imported is then checked whole and given to the importer
(`objweb.content.incoming`): the importer owns every object, Scripts keep
only the proxy roles the importer holds, and imported users have no password
until a Manager gives them one.

`copy_to` copies a subtree through the same export and import, in a
temporary file, for the management screens' paste: the paster owns the copy,
and the users of a copied user folder keep their passwords only if the
paster may manage those users where they come from. `copy_of` is the trusted
copy of the Python API, which keeps everything.

`copy_item` and `move_item` are a paste of one object, with every check the
management screens' paste makes, for every door that copies or moves (the
ZMI's paste, WebDAV's COPY and MOVE): a copy needs *View management
screens* on the object, a move *Delete objects* on its container, and both
*Add objects* in the target and the right to create there every type among
the object and everything inside it. A moved object keeps its owner; a copy
belongs to whoever makes it.
"""

import os
import pickle
import tempfile
from collections.abc import Callable, Iterator

from ZODB.interfaces import IBlobStorage
from ZODB.POSException import ExportError, POSKeyError, StateLoadError

from objweb.content.base import Item
from objweb.content.incoming import (
    USER_FOLDER_NAME, Arrival, adopt, check_creation, check_subtree, types_in)
from objweb.content.userfolder import UserFolder
from objweb.errors import StorageError, ValidationError
from objweb.events import ObjectCopied, notify
from objweb.security.permissions import MANAGE_USERS
from objweb.security.protections import ADD, DELETE, MANAGE
from objweb.storage.exportfile import ExportContents, check_export_file
from objweb.traversal.location import is_inside, lineage, path_of

__all__ = ["EXPORT_SUFFIX", "ExportContents", "check_export_file", "check_placing", "copy_item",
           "copy_of", "copy_to", "export_subtree", "import_subtree", "move_item"]

EXPORT_SUFFIX = ".zexp"


def _never(users) -> bool:
    return False


def _always(users) -> bool:
    return True


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
    _export_detached(obj, target, keeps_passwords=_never)
    return target.tell() - start


def _export_detached(obj: Item, stream, *,
                     keeps_passwords: Callable[[UserFolder], bool]) -> None:
    """Export `obj` cut from its container, inside a savepoint rolled back after.

    The users of a user folder for which `keeps_passwords` is false are
    written without their password hashes.
    """
    jar = _jar_of(obj)
    txn = jar.transaction_manager.get()
    before = txn.savepoint(optimistic=True)
    try:
        # Decided before the cut, where the user folders still are.
        blanked = [users for users in _user_folders(obj) if not keeps_passwords(users)]
        if obj.__parent__ is not None:
            obj.__parent__ = None
        for users in blanked:
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

def import_subtree(container, source, *, name: str | None = None, policy=None,
                   keep_owners: bool = False) -> Item:
    """Import the export file `source` into `container` and return the new object.

    `source` is a file path or a binary file open for reading. The object
    keeps the name it was exported under unless `name` is given. `policy` is
    the security policy of the user importing, whose rights are checked and
    who owns what is imported; None is trusted code, acting for the current
    user (see `objweb.content.incoming`), which alone may `keep_owners`.
    Imported users have no password. Raises `ValidationError` for a file
    that is not an objweb export, names or holds anything a site is not made
    of, `NameInUseError` if the name is taken, `ValueError` for a bad name,
    `StorageError` for blobs in a database that keeps none, and the policy's
    refusals; nothing is imported then.
    """
    if keep_owners and policy is not None:
        raise ValueError("only trusted code may keep the owners of an export file")
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            return import_subtree(container, stream, name=name, policy=policy,
                                  keep_owners=keep_owners)
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
        objects = check_subtree(obj)
        container.add(new_name, obj)
        adopt(objects, container, Arrival(policy=policy, keep_owners=keep_owners))
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
    the users' password hashes: the Python API is trusted code. Add it to a
    folder to keep it. Raises `ValidationError` if `obj` is not stored in a
    database.
    """
    copy = _copy(obj, keeps_passwords=_always)
    notify(ObjectCopied(copy, obj))
    return copy


def copy_to(obj: Item, container, name: str, *, policy=None) -> Item:
    """Copy `obj` and everything below it into `container` under `name`; return the copy.

    `policy` is the security policy of the user pasting: they need the right
    to create every type of the copy in `container`, they own every copied
    object (a Script keeps only the proxy roles they hold there), and a
    copied user folder keeps its users' passwords only if they may manage
    users in the original one. None is trusted code: the copy keeps
    everything. Raises as `Folder.add` and the policy's refusals; the
    caller's transaction is to be aborted then.
    """
    if policy is None:
        keeps_passwords = _always
    else:
        def keeps_passwords(users) -> bool:
            return policy.has_permission(MANAGE_USERS, users)
    copy = _copy(obj, keeps_passwords=keeps_passwords)
    notify(ObjectCopied(copy, obj))
    objects = list(_subtree(copy))
    container.add(name, copy)
    adopt(objects, container, Arrival(policy=policy, from_file=False,
                                      keep_owners=policy is None))
    return copy


def _copy(obj: Item, *, keeps_passwords) -> Item:
    jar = _jar_of(obj)
    with tempfile.TemporaryFile(prefix="objweb-copy") as buffer:
        _export_detached(obj, buffer, keeps_passwords=keeps_passwords)
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


def _subtree(obj) -> Iterator[Item]:
    """Yield `obj` and every object below it, walking containers."""
    pending = [obj]
    while pending:
        node = pending.pop()
        yield node
        if node.is_container:
            pending.extend(node.values())


# -- one object, checked as a paste --------------------------------------------

def check_placing(obj, target, policy) -> None:
    """Return if the user may put `obj` and everything inside it into `target`.

    Raises the policy's refusals, or `ValidationError` for a type that refuses the place.
    """
    policy.check(ADD, target)
    check_creation(types_in(obj), target, policy)
    check = getattr(type(obj), "can_be_added_to", None)
    if check is not None and not check(target):
        raise ValidationError(f"a {obj.type_name} cannot be pasted here")


def copy_item(obj: Item, target, name: str, *, policy) -> Item:
    """Copy `obj` into `target` under `name` as the user of `policy`; return the copy.

    Raises the policy's refusals, `ValidationError`, `ValueError` for a bad
    name and `NameInUseError` for a taken one; the caller aborts then.
    """
    policy.check(MANAGE, obj)
    check_placing(obj, target, policy)
    return copy_to(obj, target, name, policy=policy)


def move_item(obj: Item, target, name: str | None = None, *, policy) -> Item:
    """Move `obj` into `target`, under `name` (default: its own); return it.

    Raises as `copy_item`, and `ValidationError` for a folder moved into itself.
    """
    source = obj.__parent__
    policy.check(DELETE, source)
    check_placing(obj, target, policy)
    if obj.is_container and is_inside(target, obj):
        raise ValidationError(f"{obj.__name__} cannot be moved into itself")
    return source.move(obj.__name__, target, name)
