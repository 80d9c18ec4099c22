"""Reading an export file before ZODB does, so that reading it cannot run code.

An export file is ZODB's own format (`Connection.exportFile`): a magic
string, then records of an 8-byte oid, an 8-byte length and two pickles (the
class, then the state); a blob record is followed by a marker, an 8-byte
length and the blob's bytes. A pickle can name any importable callable and
call it, and ZODB's import unpickles every record. So each record is first
loaded here by an unpickler that knows only what a site stores:

- the persistent classes a site is made of (the registered content types,
  users and groups, security and property records, file chunks, blobs, the
  B-trees of folders and user folders), which a record may only name, as
  its class or in a reference; never call;
- a few value types, each made only the way objweb's own records make it: a
  permission setting from its two fields, a set or frozenset from a list, a
  date from its four bytes.

Anything else, and any state that brings volatile (`_v_`) or persistence
(`_p_`) attributes, is refused with a sentence naming it, and then ZODB never
sees the file. The 143-byte file that once stored 64 MiB through
`bytearray` names a type no record of a site holds.
"""

import dataclasses
import datetime
import io
import pickle
import pickletools

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree, OOBucket
from ZODB.blob import Blob
from ZODB.utils import u64

from objweb.content.chunks import Chunk, ChunkedData
from objweb.content.properties import PropertySheet
from objweb.content.registry import registered_types
from objweb.content.revisions import Revision, RevisionLog
from objweb.content.userfolder import Group, User
from objweb.errors import ValidationError
from objweb.security.rolemap import FORMER_MODULE, FORMER_NAMES, PermissionSetting, RoleMap

MAGIC = b"ZEXP"
END_MARKER = b"\377" * 16
BLOB_MARKER = b"\000BLOBSTART"
# No record objweb writes comes near this; a Page of 16 MB is a record of 16 MB.
MAX_RECORD = 64 << 20

# The persistent classes a site stores besides its content types.
STORED_CLASSES = (User, Group, RoleMap, PropertySheet, Chunk, ChunkedData,
                  OOBTree, OOBucket, Length, Blob, RevisionLog, Revision)
# Opcodes ZODB's records never hold: instances built the old way and the extension registry.
_REFUSED_OPCODES = frozenset({"INST", "OBJ", "EXT1", "EXT2", "EXT4"})


class RecordRefusedError(ValidationError):
    """An export file holds a record objweb does not write; nothing was imported."""

    def __init__(self, reason: str):
        super().__init__(f"the export file {reason}; it was not imported", "file")


@dataclasses.dataclass(frozen=True)
class ExportContents:
    """What an export file holds: how many objects, and how many of them are blobs."""

    objects: int
    blobs: int


# -- the whole file ------------------------------------------------------------------

def check_export_file(stream) -> ExportContents:
    """Read a whole export file and return what it holds; the stream is left at its end.

    Raises `ValidationError` if it is not in ZODB's export format, or if a
    record names or builds anything but what objweb stores, or carries
    volatile or persistence attributes, so that reading it cannot run code.
    """
    if stream.read(len(MAGIC)) != MAGIC:
        raise ValidationError("not an export file (ZODB's .zexp format)", "file")
    blobs = 0
    referenced: set = set()
    held: set = set()
    while True:
        header = stream.read(16)
        if header == END_MARKER:
            break
        if len(header) != 16:
            raise ValidationError("the export file is truncated", "file")
        oid, length = header[:8], u64(header[8:])
        if length > MAX_RECORD:
            raise RecordRefusedError(f"holds a record of {length} bytes, more than objweb writes")
        data = stream.read(length)
        if len(data) != length:
            raise ValidationError("the export file is truncated", "file")
        # ZODB's import finds each record's new place through an earlier reference.
        if oid in held or (held and oid not in referenced):
            raise RecordRefusedError("holds a record twice, or one nothing before it refers to")
        held.add(oid)
        if check_record(data, referenced):
            _skip_blob(stream)
            blobs += 1
    if not referenced <= held:
        raise RecordRefusedError("refers to objects it does not hold")
    return ExportContents(len(held), blobs)


def _skip_blob(stream) -> None:
    if stream.read(len(BLOB_MARKER)) != BLOB_MARKER:
        raise ValidationError("the export file is truncated: a file's data is missing",
                              "file")
    length = stream.read(8)
    target = stream.tell() + u64(length.rjust(8, b"\0"))
    if len(length) != 8 or target > stream.seek(0, io.SEEK_END):
        raise ValidationError("the export file is truncated: a file's data is missing",
                              "file")
    stream.seek(target)


# -- one record ----------------------------------------------------------------------

def check_record(data: bytes, referenced: set) -> bool:
    """Check both pickles of a record; return whether it holds a blob.

    The oids the record refers to are added to `referenced`. Raises
    `ValidationError` as `check_export_file`.
    """
    stream = io.BytesIO(data)
    reader = _RecordReader(stream, referenced)
    header = _load_pickle(stream, reader)
    state = _load_pickle(stream, reader)
    stored = header[0] if isinstance(header, tuple) and len(header) == 2 \
        and header[1] in (None, ()) else header
    if isinstance(stored, tuple) and len(stored) == 2 and all(type(part) is str for part in stored):
        # A class written by its name, as a broken object's is: the same check as any class.
        stored = reader.find_class(*stored)
    if not isinstance(stored, StoredClass):
        raise RecordRefusedError("holds a record that names no stored class")
    _check_state(stored, state)
    return stored.cls is Blob


def _load_pickle(stream, reader: "_RecordReader"):
    """Load the pickle at the stream's position, its opcodes looked at first."""
    start = stream.tell()
    try:
        for opcode, _arg, _position in pickletools.genops(stream):
            if opcode.name in _REFUSED_OPCODES:
                raise RecordRefusedError(f"holds the pickle opcode {opcode.name}, "
                                         "which ZODB does not write")
        stream.seek(start)
        return reader.load()
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 (any failure to read is a refusal, never a 500)
        raise ValidationError(f"the export file holds a damaged record: {error}",
                              "file") from None


def _check_state(stored: "StoredClass", state) -> None:
    """Refuse an object state carrying attributes that belong to this process."""
    dicts = [state] if isinstance(state, dict) else \
        [part for part in state if isinstance(part, dict)] \
        if isinstance(state, tuple) and stored.has_instance_state else []
    for attributes in dicts:
        for key in attributes:
            if not isinstance(key, str):
                raise RecordRefusedError(f"gives a {stored.name} an attribute that is not "
                                         "named by text")
            if key.startswith(("_v_", "_p_")) or (
                    key.startswith("__") and key not in ("__name__", "__parent__")):
                raise RecordRefusedError(f"gives a {stored.name} the attribute {key!r}, "
                                         "which no stored object carries")


@dataclasses.dataclass(frozen=True)
class StoredClass:
    """A persistent class named by a record: it may be referred to, never called."""

    cls: type

    @property
    def name(self) -> str:
        """The class's name, for messages."""
        return self.cls.__name__

    def __call__(self, *args, **kwargs):
        raise RecordRefusedError(f"calls {self.cls.__module__}.{self.cls.__qualname__}, "
                                 "which a record only names")

    @property
    def has_instance_state(self) -> bool:
        """Whether the class keeps its attributes in a dict (the B-trees do not)."""
        return self.cls not in (OOBTree, OOBucket, Length, Blob)


class _CheckedPermissionSetting:
    """Stands for `PermissionSetting` while checking: made empty, given its two fields."""

    def __setstate__(self, state) -> None:
        if not (isinstance(state, dict) and set(state) == {"roles", "acquire"}
                and isinstance(state["roles"], frozenset)
                and all(isinstance(role, str) for role in state["roles"])
                and isinstance(state["acquire"], bool)):
            raise RecordRefusedError("holds a permission setting objweb did not write")


def _collection(kind: type):
    def make(*args):
        if len(args) != 1 or type(args[0]) is not list:
            raise RecordRefusedError(f"makes a {kind.__name__} from something else than a list")
        return kind(args[0])
    return make


def _date(*args) -> datetime.date:
    if len(args) != 1 or type(args[0]) is not bytes or len(args[0]) != 4:
        raise RecordRefusedError("makes a date from something else than its four bytes")
    return datetime.date(args[0])


# What a record may build, by the global it names: the stand-in that checks it.
_VALUE_TYPES = {
    (PermissionSetting.__module__, PermissionSetting.__qualname__): _CheckedPermissionSetting,
    (FORMER_MODULE, "PermissionSetting"): _CheckedPermissionSetting,
    ("builtins", "frozenset"): _collection(frozenset),
    ("builtins", "set"): _collection(set),
    ("datetime", "date"): _date,
}


def stored_classes() -> dict:
    """Return the persistent classes a record may name, by (module, name)."""
    classes = list(registered_types()) + list(STORED_CLASSES)
    found = {(cls.__module__, cls.__qualname__): StoredClass(cls) for cls in classes}
    # Files written before a class moved name it where it was.
    found.update({former: StoredClass(cls) for former, cls in FORMER_NAMES.items()
                  if cls in STORED_CLASSES})
    return found


class _RecordReader(pickle.Unpickler):
    """Loads a record with stand-ins: stored classes cannot be called, values are checked."""

    def __init__(self, stream, referenced: set):
        super().__init__(stream)
        self._stored = stored_classes()
        self._referenced = referenced

    def find_class(self, module: str, name: str):
        """Return the stand-in for `module.name`; refuse anything a site does not store."""
        found = self._stored.get((module, name)) or _VALUE_TYPES.get((module, name))
        if found is None:
            raise RecordRefusedError(f"names {module}.{name}, which is not part of an "
                                     "objweb site")
        return found

    def persistent_load(self, pid):
        """Accept a reference to another record of the file: an oid, with its class."""
        oid, stored = pid if isinstance(pid, tuple) and len(pid) == 2 else (pid, None)
        if type(oid) is not bytes or len(oid) != 8 or not (
                stored is None or isinstance(stored, StoredClass)):
            raise RecordRefusedError("holds a reference objweb does not write")
        self._referenced.add(oid)
        return stored

